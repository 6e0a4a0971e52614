"""Session-wide fixtures: the real services, the demo offices, clients per office host, a worker.

Offices are provisioned once per session (schema DDL is not rolled back with a test's transaction).
Services are never mocked and never skipped: if one is down, the session fails at once.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def real_services(django_db_blocker):
    """Fail the run (not skip) when PostgreSQL, Redis or Elasticsearch is not answering."""
    from xinfang.platform.health import service_status

    with django_db_blocker.unblock():
        status = service_status()
    down = {name: state for name, state in status.items() if state != "ok"}
    if down:
        pytest.fail(f"services not answering: {down}; run `deploy/services.sh start`", False)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The test database, always (pytest-django only creates it when a collected test is marked
    django_db, but real-worker tests use committed data without that mark). With `--reuse-db` it
    is kept after the run and used again by the next (the national benchmarks' 4.5 GB of offices
    serve several sessions)."""
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    keep = request.config.getoption("reuse_db")
    with django_db_blocker.unblock():
        if keep and _test_database_exists(connection):
            # Django's test setup would run its migrate (django-tenants' migrate_schemas, with
            # syncdb) in every office schema: 40 minutes at 3,216 offices. A kept database is
            # brought up to date the way a release does it (`make migrate`) instead.
            config = None
            _use_test_database(connection)
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
            call_command("migrate_offices", verbosity=0)
        else:
            config = setup_databases(
                verbosity=0, interactive=False, keepdb=keep, aliases={"default"}
            )
        trade_durability_for_speed(connection)
    yield
    if not keep:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


def _test_database_exists(conn) -> bool:
    name = conn.creation._get_test_db_name()
    with conn._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _use_test_database(conn) -> None:
    """Point the connection at the test database, as Django's test setup does."""
    name = conn.creation._get_test_db_name()
    conn.close()
    settings.DATABASES[conn.alias]["NAME"] = conn.settings_dict["NAME"] = name


def trade_durability_for_speed(conn) -> None:
    """The test database alone skips waiting for its commits to reach the disk: the cluster stays
    durable for `make run` (deploy/services.sh), a crash may lose a test run's last commits, never
    corrupt anything. Connections opened from now on (the worker's too) use it."""
    with conn.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {conn.ops.quote_name(conn.settings_dict['NAME'])} "
            "SET synchronous_commit = off"
        )
    conn.close()


@pytest.fixture(scope="session")
def offices(django_db_setup, django_db_blocker):
    """The demo hierarchy (Zhejiang; Hangzhou: Xihu, Yuhang; Ningbo: Yinzhou) by short name."""
    from xinfang.tenants.demo import seed_offices

    with django_db_blocker.unblock():
        created = seed_offices()
        connection.set_schema_to_public()
    names = ["zhejiang", "hangzhou", "xihu", "yuhang", "ningbo", "yinzhou"]
    return dict(zip(names, created, strict=True))


@pytest.fixture(scope="session")
def search_index(real_services):
    """Drop and recreate this run's index family (only indices under our own prefix)."""
    from xinfang.search import documents

    assert documents.alias_name().startswith(settings.ELASTICSEARCH_INDEX_PREFIX + "_")
    documents.drop_family()
    documents.ensure_index()
    yield documents.alias_name()
    documents.drop_family()


@pytest.fixture
def es_index(search_index):
    """The live index, empty at the start of the test."""
    from elasticsearch.helpers import bulk, scan

    from xinfang.search import documents
    from xinfang.search.client import es_client

    client = es_client()
    documents.ensure_index()
    client.indices.refresh(index=search_index)
    ids = [hit["_id"] for hit in scan(client, index=search_index, _source=False)]
    if ids:  # no _delete_by_query in the server core (it lives in the reindex module)
        bulk(client, ({"_op_type": "delete", "_index": search_index, "_id": i} for i in ids))
        client.indices.refresh(index=search_index)
    return search_index


@pytest.fixture
def client_for(offices):
    """`client_for("xihu")`: a Django test client whose requests go to that office's host."""

    def make(name: str, **kwargs) -> Client:
        office = offices[name]
        return Client(HTTP_HOST=office.domains.get(is_primary=True).domain, **kwargs)

    return make


@pytest.fixture
def in_office(offices):
    """`with in_office("xihu"):` runs ORM code in that office's schema."""
    from django_tenants.utils import tenant_context

    return lambda name: tenant_context(offices[name])


@pytest.fixture
def officer_client(offices, client_for):
    """`officer_client("xihu", "registrar", "leader")`: a logged-in client and its officer."""
    from django_tenants.utils import tenant_context

    from tests import factories

    def make(name: str, *roles: str, username: str = ""):
        with tenant_context(offices[name]):
            officer = factories.officer(username=username, roles=roles or ("registrar",))
            client = client_for(name)
            client.force_login(officer)  # the session row lives in the office's schema
        return client, officer

    return make


@pytest.fixture
def committed(django_db_blocker, offices):
    """For tests with a real worker: no wrapping transaction, every write commits (clean up!)."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture(scope="session", autouse=True)
def _static_files_from_finders():
    """Production serves hashed names from `collectstatic`'s manifest (tests/security checks it);
    the other tests render admin pages without running collectstatic first."""
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise's root
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Officers are created in most tests; the production hasher costs ~0.4 s per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache_namespace(settings):
    """Each test its own cache keys: throttling counters live in Redis and outlive a test."""
    from axes.handlers.proxy import AxesProxyHandler

    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}
    AxesProxyHandler.get_implementation(force=True)  # login counters: it holds its cache object


@pytest.fixture(autouse=True)
def _back_to_public():
    yield
    connection.set_schema_to_public()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free loopback port for the whole run (tests/support/smtp.py)."""
    from tests.support.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """E-mail notices configured, to the run's SMTP server, emptied for this test."""
    settings.XINFANG_SMTP_HOST, settings.XINFANG_SMTP_PORT = "127.0.0.1", smtp_server.port
    smtp_server.clear()
    return smtp_server


@pytest.fixture(scope="session")
def celery_worker_process(offices, smtp_server):
    """A real Celery worker on the test database and this run's own queue; its e-mail notices go
    to the run's SMTP server."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",  # the local secrets the tests use; with DEBUG off it would refuse
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "XINFANG_SMTP_HOST": "127.0.0.1",
        "XINFANG_SMTP_PORT": str(smtp_server.port),
    }
    from tests.support import servers

    queues = ",".join(settings.XINFANG_QUEUES.values())  # one worker takes every queue here
    name = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-test@localhost"
    servers.purge_queues()
    log = open(REPO / ".data" / f"test-worker{settings.INSTANCE}.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "xinfang.platform.celery", "worker",
            "--pool=solo", "--queues", queues, "--loglevel=INFO", "--without-heartbeat",
            "--without-mingle", "--without-gossip", "--hostname", name,
            "--include", "tests.support.probe_tasks",
        ],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    from xinfang.platform.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"celery worker exited: see {log.name}", False)
        if app.control.ping(destination=[name], timeout=0.5):
            break
    else:
        worker.kill()
        pytest.fail("celery worker did not answer within 60 s", False)
    yield worker
    worker.terminate()
    worker.wait(timeout=30)
    log.close()


class Clock:
    """Time for platform/delays.py, moved forward by the test instead of waited for."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The lookups' growing delays (platform/delays.py) on a clock the test moves."""
    from xinfang.platform import delays

    clock = Clock()
    monkeypatch.setattr(delays, "time", clock)
    return clock
