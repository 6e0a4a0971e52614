"""The workbench in a real browser: a real web server process on the test database, the demo offices
with their officers and petitions (committed), a Celery worker, and Debian's Chromium driven by the
playwright-core scripts in web/e2e/ (one pytest test per script; a failing script fails the run).

The data the scripts write stays in the test database, which the session drops at the end; these
tests run last (tests/web sorts after every other folder), so no other test sees it.
"""

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import REPO
from tests.support.servers import free_port

WEB = REPO / "web"
CHROMIUM = os.environ.get("XINFANG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = WEB / "screenshots"
# The offices the scripts log in to; the province only decides a disputed objection and 余杭区 is
# the office with more officers than a page holds (`crowded_office`): no demo petitions for them.
BROWSER_OFFICES = ("xihu", "hangzhou", "zhejiang", "yuhang")
DEMO_PETITION_OFFICES = ("xihu", "hangzhou")


@pytest.fixture(scope="session")
def web_build():
    """The built workbench (`make web`); the browser tests never run against a missing build."""
    index = WEB / "dist" / "index.html"
    if not index.exists():
        pytest.fail("web/dist is missing: run `make web` (npm ci, npm run build)", False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `deploy/browser.sh`", False)
    if not (WEB / "node_modules" / "playwright-core").exists():
        pytest.fail("web/node_modules is missing: run `make web`", False)
    return index


@pytest.fixture(scope="session")
def search_index_ready(real_services):
    """This run's index family, emptied before the browser data is seeded: documents left by
    earlier tests (their petitions rolled back) or by an earlier run on this instance (its
    database dropped) would otherwise show in the scripts' searches, repeat checks and collective
    alerts."""
    from xinfang.search import documents

    documents.drop_family()
    documents.ensure_index()
    return documents.alias_name()


@pytest.fixture(scope="session")
def browser_data(offices, celery_worker_process, search_index_ready, django_db_blocker):
    """The demo officers (password xinfang-demo) of the offices the scripts use, and petitions."""
    from django.test import override_settings
    from django_tenants.utils import tenant_context

    from tests.web.server_settings import PASSWORD_HASHERS
    from xinfang.platform.cases.demo import seed_demo_officers, seed_demo_petitions

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS):
        for name in BROWSER_OFFICES:
            with tenant_context(offices[name]):
                seed_demo_officers()
                if name in DEMO_PETITION_OFFICES:
                    seed_demo_petitions(count=30)
        connection.set_schema_to_public()
        return {name: offices[name].primary_host() for name in BROWSER_OFFICES}


@pytest.fixture(scope="session")
def collective_action(offices, browser_data, search_index_ready, django_db_blocker):
    """Five people at 西湖区 about one refuse station: an open collective alert for the alerts
    screen, detected now (beat refreshes alerts every ten minutes; no script waits for that)."""
    from django_tenants.utils import tenant_context

    from tests.search.builders import person, register_by
    from tests.search.test_collective import PLACE, VOICES
    from xinfang.search.alerts import refresh_province
    from xinfang.search.client import es_client
    from xinfang.search.indexing import index_petition

    with django_db_blocker.unblock():
        with tenant_context(offices["xihu"]):
            for voice in VOICES[:5]:
                petition = register_by(person(), content=voice, place=PLACE, place_code="330106")
                index_petition(petition.pk)
        es_client().indices.refresh(index=search_index_ready)
        report = refresh_province(offices["zhejiang"].code)
        connection.set_schema_to_public()
    assert report.groups >= 1, report
    return PLACE


@pytest.fixture(scope="session")
def crowded_office(offices, browser_data, django_db_blocker):
    """余杭区 with more officers (127) and API tokens (110) than a page of 管理 holds: clerk000 to
    clerk119 beside the demo officers, zhaomin (承办人 赵敏) found only by a search, and tokens
    接口000 to 接口109 issued in that order."""
    from django_tenants.utils import tenant_context

    from xinfang.platform.accounts.models import Officer
    from xinfang.platform.accounts.services import api_token_create

    with django_db_blocker.unblock(), tenant_context(offices["yuhang"]):
        Officer.objects.bulk_create(
            Officer(username=f"clerk{i:03d}", full_name=f"登记员{i:03d}", roles=["registrar"])
            for i in range(120)
        )
        Officer.objects.create(username="zhaomin", full_name="承办人 赵敏", roles=["handler"])
        admin = Officer.objects.get(username="admin")
        for i in range(110):
            api_token_create(by=admin, officer=admin, name=f"接口{i:03d}", scopes=["admin"])
    connection.set_schema_to_public()


@pytest.fixture(scope="session")
def login_throttle():
    """The web server's login counters (tests/web/server_settings.py): their cache key prefix, and
    `reset()`, which deletes them so that every script starts with no failed logins counted."""
    import redis

    prefix = f"e2e-axes-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])

    class Throttle:
        key_prefix = prefix

        @staticmethod
        def reset() -> None:
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)

    yield Throttle
    Throttle.reset()
    client.close()


@pytest.fixture(scope="session")
def mailbox(smtp_server):
    """The run's SMTP server read over HTTP by the scripts (`XINFANG_E2E_MAILBOX`)."""
    from tests.support.smtp import Mailbox

    box = Mailbox(smtp_server).start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def web_server(web_build, browser_data, login_throttle, smtp_server):
    """`manage.py runserver` (no reloader, DEBUG off: WhiteNoise serves the build as in production)
    on the test database, with tests/web/server_settings.py; yields its port. Office hosts are
    `<name>.localhost:<port>`. Its e-mail notices go to the run's SMTP server (the session's
    worker sends them), so the scripts can read what a petitioner receives."""
    db = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "tests.web.server_settings",
        "XINFANG_E2E_AXES_PREFIX": login_throttle.key_prefix,
        "XINFANG_E2E_CACHE_PREFIX": f"e2e-{uuid.uuid4().hex}",
        "XINFANG_SMTP_HOST": "127.0.0.1",
        "XINFANG_SMTP_PORT": str(smtp_server.port),
    }
    log = open(REPO / ".data" / f"test-web{settings.INSTANCE}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            pytest.fail(f"the web server exited: see {log.name}", False)
        try:
            urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the web server did not answer within 60 s: see {log.name}", False)
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def run_script(
    web_server, browser_data, collective_action, crowded_office, login_throttle, mailbox
):
    """`run_script("login.spec.mjs")`: runs one playwright-core script with node's test runner
    (`extra_env` for scripts that need more than the browser offices' hosts), with no failed
    logins counted against 127.0.0.1 when it starts."""
    SCREENSHOTS.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "XINFANG_E2E_PORT": str(web_server),
        "XINFANG_E2E_SCREENSHOTS": str(SCREENSHOTS),
        "XINFANG_CHROMIUM": CHROMIUM,
        "XINFANG_E2E_MAILBOX": mailbox.url,
        **{f"XINFANG_E2E_HOST_{name.upper()}": host for name, host in browser_data.items()},
    }

    def run(script: str, **extra_env: str) -> subprocess.CompletedProcess:
        login_throttle.reset()
        return subprocess.run(
            ["node", "--test", "--test-reporter=spec", f"e2e/{script}"],
            cwd=WEB, env={**env, **extra_env}, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    return run
