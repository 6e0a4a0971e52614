"""The production way to run, started for real: gunicorn with DEBUG off and real secrets, static
files hashed, compressed and served by the app, GraphiQL from this host alone; and the start-up
that refuses default secrets."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from tests.support.servers import REPO, free_port

SECRETS = ("DJANGO_SECRET_KEY", "XINFANG_FIELD_KEYS", "XINFANG_PERSON_KEY_SECRET",
           "XINFANG_QUERY_CODE_KEY")  # fmt: skip


def production_env(**extra) -> dict:
    """The documented production variables (README, Production), on this test run's database."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and k != "DJANGO_DEBUG"}
    env.update(
        DJANGO_DEBUG="0",
        PYTHONUNBUFFERED="1",
        DJANGO_SECRET_KEY="x" * 20 + os.urandom(24).hex(),
        XINFANG_FIELD_KEYS=Fernet.generate_key().decode(),
        XINFANG_PERSON_KEY_SECRET=os.urandom(16).hex(),
        XINFANG_QUERY_CODE_KEY=os.urandom(16).hex(),
        DJANGO_ALLOWED_HOSTS=".localhost",
        XINFANG_HTTPS="1",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    env.update(extra)
    return env


def without_secrets(env: dict) -> dict:
    return {k: v for k, v in env.items() if k not in SECRETS}


def _run_together(*runs: tuple[list, dict]) -> list[tuple[str, str]]:
    """Start every command at once (each pays Django's start-up), then collect them."""
    started = [
        subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for command, env in runs
    ]
    return [p.communicate(timeout=180) for p in started]


def test_with_debug_off_default_secrets_stop_the_web_server_the_worker_and_beat(tmp_path):
    env = without_secrets(production_env())
    beat = [sys.executable, "-m", "celery", "-A", "xinfang.platform.celery", "beat",
            "--schedule", str(tmp_path / "schedule")]  # fmt: skip
    results = _run_together(
        (beat, env),
        ([sys.executable, "-c", "import xinfang.platform.wsgi"], env),
        (
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "xinfang.platform.celery",
                "worker",
                "--pool=solo",
                "--queues",
                "never-used",
            ],
            env,
        ),
    )
    assert len(results) == 3
    for out, err in results:
        for variable in SECRETS:
            assert variable in out + err, err[-2000:]
    started = subprocess.run([sys.executable, "-c", "import xinfang.platform.wsgi"], cwd=REPO,
                             env=production_env(), capture_output=True, timeout=180)  # fmt: skip
    assert started.returncode == 0, started.stderr


def test_check_deploy_is_clean_with_the_production_variables_and_flags_default_keys():
    check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    (clean, clean_err), (_, flagged) = _run_together(
        (check, production_env()), (check, without_secrets(production_env()))
    )
    assert "System check identified no issues" in clean, clean_err
    assert flagged.count("xinfang.E001") == len(SECRETS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(port, path, host="xihu.localhost", **headers):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": host, **headers}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _Server(int):
    """The port, and where the server's log is."""

    log_path = ""


def _served(port: int, log_path: str) -> _Server:
    server = _Server(port)
    server.log_path = log_path
    return server


@pytest.fixture(scope="module")
def gunicorn(offices, tmp_path_factory):
    """gunicorn from deploy/gunicorn.conf.py after `collectstatic`, as the image runs them."""
    static_root = tmp_path_factory.mktemp("static")
    port = free_port()
    env = production_env(XINFANG_STATIC_ROOT=str(static_root), WEB_BIND=f"127.0.0.1:{port}",
                         WEB_CONCURRENCY="1", WEB_THREADS="2")  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=REPO, env=env, check=True, timeout=300)  # fmt: skip
    log = open(REPO / ".data" / f"test-gunicorn{settings.INSTANCE}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            if _get(port, "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail("gunicorn did not answer /healthz")
    yield _served(port, log.name)
    server.send_signal(signal.SIGINT)  # quick shutdown (TERM waits for keep-alive connections)
    server.wait(timeout=30)
    log.close()


HTTPS = {"X-Forwarded-Proto": "https"}


def test_plain_http_is_redirected_to_https_but_probes_are_not(gunicorn):
    status, headers, _ = _get(gunicorn, "/graphql/")
    assert status == 301 and headers["Location"].startswith("https://xihu.localhost/")
    assert _get(gunicorn, "/healthz")[0] == 200


def test_graphiql_loads_only_hashed_scripts_from_the_office_host(gunicorn):
    status, headers, page = _get(gunicorn, "/graphql/", Accept="text/html", **HTTPS)
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    sources = re.findall(rb'(?:src|href)="([^"]+)"', page)
    assert len(sources) >= 8 and all(s.startswith(b"/static/") for s in sources), sources
    assert b"<script>" not in page and b'type="application/javascript">' not in page
    for source in sources:
        assert re.search(rb"\.[0-9a-f]{12}\.(js|css)$", source), source  # hashed name
        status, headers, body = _get(gunicorn, source.decode(), **{"Accept-Encoding": "br, gzip"},
                                     **HTTPS)  # fmt: skip
        assert status == 200 and body
        assert headers["Content-Encoding"] in {"br", "gzip"}
        assert "immutable" in headers["Cache-Control"]


def test_the_admin_has_its_static_files(gunicorn):
    status, _, page = _get(gunicorn, "/admin/login/", **HTTPS)
    assert status == 200
    stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet and _get(gunicorn, stylesheet.group(1).decode(), **HTTPS)[0] == 200


def test_the_public_site_is_a_few_kilobytes_of_hashed_files(gunicorn):
    """The petitioners' pages (docs/public-site.md): server-rendered HTML (not compressed: it
    carries a CSRF token, BREACH), its one stylesheet and one script under hashed names and
    compressed; the figure printed is what a phone downloads for the guide."""
    status, _, html = _get(gunicorn, "/public/", **HTTPS)
    assert status == 200
    assets = re.findall(rb'(?:src|href)="(/static/publicsite/[^"]+)"', html)
    assert len(assets) == 2 and all(re.search(rb"\.[0-9a-f]{12}\.(css|js)$", a) for a in assets)
    total = len(html)
    for asset in assets:
        status, headers, body = _get(gunicorn, asset.decode(), **{"Accept-Encoding": "br, gzip"},
                                     **HTTPS)  # fmt: skip
        assert status == 200 and headers["Content-Encoding"] in {"br", "gzip"}
        total += len(body)
    print(f"the guide page with its stylesheet and script: {total / 1024:.1f} KB over the wire")
    assert total < 20 * 1024


def test_a_broken_query_is_a_400_and_never_shows_settings(gunicorn):
    status, _, body = _get(
        gunicorn, "/graphql/?query=query%7B...A%7Dfragment%20A%20on%20Query%7B...A%7D",
        Accept="application/json", **HTTPS,
    )  # fmt: skip
    assert status == 400 and b"GRAPHQL_VALIDATION_FAILED" in body
    assert b"DATABASE_URL" not in body and b"SECRET" not in body


def test_the_server_log_keeps_no_id_number_phone_or_query_code(gunicorn):
    """Grep the log of a real run: paths and errors carrying personal data are scrubbed, in
    gunicorn's access lines and in Django's own."""
    secrets = ["110101199003074578", "13812345678", "K7M2P9Q4R8TZ"]
    for secret in secrets:
        assert _get(gunicorn, f"/nothing/{secret}.txt", **HTTPS)[0] == 404
    # The two leaks: a lookup sent by GET (its code in the request line) and an ID
    # number in a query that fails.
    lookup = urllib.parse.quote(
        '{ petitionProgress(reference: "330106-2026-000001", queryCode: "K7M2P9Q4R8TZ") '
        "{ status } }"
    )
    assert _get(gunicorn, f"/graphql/?query={lookup}", Accept="application/json", **HTTPS)[0] == (
        405
    )
    failing = urllib.parse.quote('{ petitionByReference(reference: "110101199003074578") { id } }')
    assert _get(gunicorn, f"/graphql/?query={failing}", Accept="application/json", **HTTPS)[0] in (
        200,
        400,
    )
    time.sleep(1)
    log = Path(gunicorn.log_path).read_text()
    assert "Not Found: /nothing/[redacted].txt" in log  # Django's request logger
    assert '"GET /nothing/[redacted].txt" 404' in log  # gunicorn's access line
    for secret in secrets:
        assert secret not in log
