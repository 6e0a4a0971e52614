"""With the broker unreachable, a registration answers in its usual time (the request never
touches the broker), and everything it recorded runs once the broker is back: a web server whose
broker URL points at a port where nothing listens, a real worker on the real broker."""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.conftest import REPO
from xinfang.platform.accounts.services import api_token_create
from xinfang.platform.cases.models import Petition
from xinfang.platform.outbox.models import Effect
from xinfang.platform.outbox.tasks import sweep_task
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name
from xinfang.search.models import RepeatCheck

pytestmark = pytest.mark.worker

REGISTER = """
mutation($n: String!) {
  registerPetition(channel: ONLINE, category: "02.01", place: "杭州市西湖区文三路",
                   content: $n, request: "支付欠薪",
                   petitioners: [{name: "周九", phone: "13700000000"}]) {
    petition { id reference }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web_without_broker(offices, committed):
    """`runserver` on the test database, its broker URL at a port where nothing listens."""
    db = settings.DATABASES["default"]
    port, dead = _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{dead}/0",
        "DJANGO_DEBUG": "0",
    }
    log = open(REPO / ".data" / f"test-web{settings.INSTANCE}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"runserver exited: see {log.name}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/graphql/"
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture
def token(offices, committed):
    with tenant_context(offices["xihu"]):
        admin = factories.officer(roles=("admin", "registrar"))
        issued = api_token_create(by=admin, officer=admin, name="broker-down", scopes=["registrar"])
    connection.set_schema_to_public()
    yield issued.raw
    with tenant_context(offices["xihu"]):
        admin.delete()


def _register(url: str, token: str, n: int) -> tuple[float, str]:
    body = json.dumps({"query": REGISTER, "variables": {"n": f"公司拖欠工资（断线登记 {n}）"}})
    request = urllib.request.Request(
        url, data=body.encode(), method="POST",
        headers={"Host": "xihu.localhost", "Content-Type": "application/json",
                 "Authorization": f"Bearer {token}"},
    )  # fmt: skip
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.load(response)
    elapsed = time.perf_counter() - started
    assert "errors" not in payload, payload
    return elapsed, payload["data"]["registerPetition"]["petition"]["reference"]


def test_registrations_answer_with_the_broker_down_and_their_work_runs_once_it_is_back(
    offices, web_without_broker, token, celery_worker_process, search_index
):
    timings, references = [], []
    try:
        for n in range(12):
            elapsed, reference = _register(web_without_broker, token, n)
            timings.append(elapsed)
            references.append(reference)
        p50, worst = statistics.median(timings) * 1000, max(timings) * 1000
        print(f"\nregistration, broker down: p50 {p50:.0f} ms, max {worst:.0f} ms, {len(timings)}")
        assert max(timings[1:]) < 1.0  # the first request also loads the application

        ids = list(
            PetitionRecord.objects.filter(reference__in=references).values_list(
                "petition_id", flat=True
            )
        )
        effects = Effect.objects.filter(subject_id__in=[str(i) for i in ids])
        assert effects.count() == 2 * len(references)
        assert not effects.filter(done_at__isnull=False).exists()  # nothing could be relayed

        sweep_task.apply()  # the broker is back (the test's own URL): the sweep relays
        deadline = time.monotonic() + 60
        while effects.filter(done_at__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not effects.filter(done_at__isnull=True).exists()
        es_client().indices.refresh(index=alias_name())
        found = es_client().mget(index=alias_name(), ids=[str(i) for i in ids])["docs"]
        assert all(doc["found"] for doc in found)
        with tenant_context(offices["xihu"]):
            checks = RepeatCheck.objects.filter(petition_id__in=ids)
            assert sorted(checks.values_list("state", flat=True)) == ["done"] * len(ids)
    finally:
        connection.set_schema_to_public()
        with tenant_context(offices["xihu"]):
            Petition.objects.filter(reference__in=references).delete()
        connection.set_schema_to_public()
        PetitionRecord.objects.filter(reference__in=references).delete()
