"""With the broker unreachable, a registration answers in its usual time (the request never
touches the broker), and everything it recorded runs once the broker is back: a web server whose
broker URL points at a port where nothing listens, beside one on the real broker for comparison,
and a real worker."""

import statistics
import time

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.support import servers
from tests.support.recorded import settle_effects
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
mutation($content: String!) {
  registerPetition(channel: ONLINE, category: "02.01", place: "杭州市西湖区文三路",
                   content: $content, request: "支付欠薪",
                   petitioners: [{name: "周九", phone: "13700000000"}]) {
    petition { reference }
  }
}
"""
RUNS = 12


@pytest.fixture
def token(offices, committed):
    with tenant_context(offices["xihu"]):
        admin = factories.officer(roles=("admin", "registrar"))
        issued = api_token_create(by=admin, officer=admin, name="broker-down", scopes=["registrar"])
    connection.set_schema_to_public()
    yield issued.raw
    with tenant_context(offices["xihu"]):
        admin.delete()


def _registrations(web, token: str, label: str) -> tuple[list[float], list[str]]:
    timings, references = [], []
    for n in range(RUNS):
        started = time.perf_counter()
        body = servers.graphql(web, "xihu.localhost", token, REGISTER,
                               content=f"公司拖欠工资（{label} {n}）")  # fmt: skip
        timings.append(time.perf_counter() - started)
        assert "errors" not in body, body
        references.append(body["data"]["registerPetition"]["petition"]["reference"])
    return timings[1:], references  # the first request also loads the application


def test_registrations_answer_with_the_broker_down_and_their_work_runs_once_it_is_back(
    offices, committed, token, celery_worker_process, search_index
):
    dead = f"redis://127.0.0.1:{servers.free_port()}/0"
    references: list[str] = []
    with_broker = servers.web_server().start()
    without_broker = servers.web_server(CELERY_BROKER_URL=dead).start()
    try:
        down, made = _registrations(without_broker, token, "broker down")
        references += made
        ids = list(
            PetitionRecord.objects.filter(reference__in=made).values_list("petition_id", flat=True)
        )
        effects = Effect.objects.filter(subject_id__in=[str(i) for i in ids])
        assert effects.count() == 2 * RUNS
        assert not effects.exclude(done_at=None).exists()  # nothing reached a worker
        usual, made = _registrations(with_broker, token, "broker up")
        references += made
        print(
            f"\nregistration p50 / max: broker up {statistics.median(usual) * 1000:.0f} / "
            f"{max(usual) * 1000:.0f} ms, broker down {statistics.median(down) * 1000:.0f} / "
            f"{max(down) * 1000:.0f} ms ({RUNS - 1} each, runserver)"
        )
        assert max(down) < 1.0

        # The broker is back (this process's URL): beat's sweep relays what waits, every few
        # seconds in production, every second here, until all is done. (A drain mark an earlier
        # test left without its message once kept the checks back from a single sweep: the
        # sweep now sends through such a mark, tests/outbox/test_drain_messages.py.)
        deadline, sweeps = time.monotonic() + 180, 0
        while effects.filter(done_at=None).exists() and time.monotonic() < deadline:
            sweep_task.apply()
            sweeps += 1
            time.sleep(1)
        print(f"sweeps until every effect was done: {sweeps}")
        assert not effects.filter(done_at=None).exists()
        es_client().indices.refresh(index=alias_name())
        found = es_client().mget(index=alias_name(), ids=[str(i) for i in ids])["docs"]
        assert all(doc["found"] for doc in found)
        with tenant_context(offices["xihu"]):
            checks = RepeatCheck.objects.filter(petition_id__in=ids)
            assert list(checks.values_list("state", flat=True)) == ["done"] * RUNS
    finally:
        with_broker.stop()
        without_broker.stop()
        connection.set_schema_to_public()
        records = PetitionRecord.objects.filter(reference__in=references)
        settle_effects(records.values_list("petition_id", flat=True))
        with tenant_context(offices["xihu"]):
            Petition.objects.filter(reference__in=references).delete()
        connection.set_schema_to_public()
        PetitionRecord.objects.filter(reference__in=references).delete()
