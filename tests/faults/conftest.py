"""The fault suite's stack: PRIVATE PostgreSQL, Redis and Elasticsearch (its own ports and data
directory, started by `make faults`), and on them a web server, a Celery worker per queue (as
deployed: settings.XINFANG_QUEUES) and beat, each a process of its own that a fault may stop, kill
or restart.

It stops and restarts services, so it refuses to run on the default ports that `make run` and
every other test run share.
"""

import os
import subprocess
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.support import servers
from xinfang.platform.accounts.services import api_token_create

# Repeat checks are the slowest effect (a search and the verification of up to 250 documents
# each): two at a time, as deploy/k8s runs them (replicas and concurrency).
CONCURRENCY = {"checks": 2}
DEFAULT_PORTS = {"XINFANG_PG_PORT": "5432", "XINFANG_REDIS_PORT": "6379", "XINFANG_ES_PORT": "9200"}
ROWS: list[dict] = []


def pytest_configure(config):
    for variable, shared in DEFAULT_PORTS.items():
        if os.environ.get(variable, shared) == shared:
            raise pytest.UsageError(
                f"the fault suite stops and restarts services: run it with `make faults` (private "
                f"ports and data), never on the shared {variable}={shared}"
            )


def pytest_terminal_summary(terminalreporter):
    if not ROWS:
        return
    columns = ["fault", "client ok", "client failed", "failed after recovery", "committed",
               "lost", "duplicated", "unindexed", "unchecked", "handoffs", "undelivered",
               "caught up in"]  # fmt: skip
    widths = [max(len(c), *(len(str(r[c])) for r in ROWS)) for c in columns]
    line = " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    terminalreporter.write_line("\n" + line)
    terminalreporter.write_line("-" * len(line))
    for row in ROWS:
        cells = [str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)]
        terminalreporter.write_line(" | ".join(cells))


class Services:
    """deploy/services.sh on the private ports and data directory of this run's environment."""

    def run(self, command: str, service: str) -> None:
        subprocess.run(
            [str(servers.REPO / "deploy" / "services.sh"), command, service],
            check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if service == "postgres":
            connection.close()  # this process's connection did not survive


class Stack:
    def __init__(self, token: str):
        self.services = Services()
        self.token = token
        self.web = servers.web_server()
        self.workers = [
            servers.worker(queue, concurrency=CONCURRENCY.get(queue, 1))
            for queue in settings.XINFANG_QUEUES
        ]
        self.beat = servers.beat()

    def start(self) -> "Stack":
        for process in (*self.workers, self.beat, self.web):
            process.start()
        return self

    def stop(self) -> None:
        for process in (self.web, self.beat, *self.workers):
            process.stop()


@pytest.fixture(scope="session")
def stack(offices, django_db_blocker, search_index):
    with django_db_blocker.unblock():
        with tenant_context(offices["xihu"]):
            officer = factories.officer(
                username=f"faults-{uuid.uuid4().hex[:8]}", roles=("admin", "registrar", "leader")
            )
            token = api_token_create(
                by=officer, officer=officer, name="faults", scopes=["registrar", "leader"]
            ).raw
        connection.set_schema_to_public()
    servers.purge_queues()  # an earlier run's messages (the broker persists them) are not ours
    running = Stack(token).start()
    yield running
    running.stop()


@pytest.fixture
def committed_db(django_db_blocker):
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()
