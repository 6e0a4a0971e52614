"""Nothing lost, nothing half-written: a failure at any step of a handoff leaves all of it or none
of it; concurrent handoffs of one petition make exactly one."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.petitions import copies_of, event_kinds, petition_in
from tests.support.recorded import settle_effects
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services import common
from xinfang.platform.registry.models import PetitionRecord


class InjectedFailure(Exception):
    pass


def fail_at(monkeypatch, step: str) -> None:
    def checkpoint(name):
        if name == step:
            raise InjectedFailure(step)

    monkeypatch.setattr(common, "checkpoint", checkpoint)


@pytest.mark.parametrize("step", ["sender_written", "ledger_written", "receiver_copy"])
def test_a_transfer_failing_at_any_step_leaves_nothing_behind(
    offices, staff, register, act, monkeypatch, step
):
    petition = register("xihu")
    fail_at(monkeypatch, step)
    with act("xihu"), pytest.raises(InjectedFailure):
        services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )

    assert set(copies_of(offices, petition.matter_id)) == {"xihu"}
    original = petition_in(offices["xihu"], petition.pk)
    assert (original.status, original.version) == (Status.REGISTERED, petition.version)
    assert event_kinds(offices["xihu"], petition.pk) == ["registered"]
    assert not Handoff.objects.filter(matter_id=petition.matter_id).exists()
    assert list(
        PetitionRecord.objects.filter(matter_id=petition.matter_id).values_list("status", flat=True)
    ) == ["registered"]
    with tenant_context(offices["yuhang"]):
        assert not Petition.objects.filter(matter_id=petition.matter_id).exists()


@pytest.mark.parametrize("step", ["sender_written", "ledger_written", "receiver_copy"])
def test_a_review_request_failing_at_any_step_leaves_nothing_behind(
    offices, staff, register, act, monkeypatch, step
):
    from tests.exchange.test_review import replied, visit_by_the_petitioner

    petition = replied(offices, register("xihu"), days_ago=3)
    fail_at(monkeypatch, step)
    with act("hangzhou"), pytest.raises(InjectedFailure):
        services.review_request(
            reference=petition.reference,
            officer=staff("hangzhou"),
            grounds="不服处理意见",
            evidence=visit_by_the_petitioner(petition.reference),
        )
    assert set(copies_of(offices, petition.matter_id)) == {"xihu"}
    assert not Handoff.objects.filter(matter_id=petition.matter_id).exists()
    assert "review_requested" not in event_kinds(offices["xihu"], petition.pk)


def test_a_failing_delivery_never_undoes_the_handoff_and_a_retry_delivers_once(
    offices, staff, register, act, monkeypatch
):
    from xinfang.platform.exchange.services.delivery import DELIVER
    from xinfang.platform.outbox.models import Effect

    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
    [delivery] = Effect.objects.filter(kind=DELIVER, subject_id=str(handoff.pk))
    assert delivery.office.code == "330106" and delivery.done_at is None

    fail_at(monkeypatch, "task")
    with act("xihu"), pytest.raises(InjectedFailure):
        services.handoff_deliver(handoff_id=handoff.pk)
    handoff.refresh_from_db()
    assert handoff.notified_at is None
    assert set(copies_of(offices, petition.matter_id)) == {"xihu", "yuhang"}

    monkeypatch.undo()
    with act("xihu"):
        assert services.handoff_deliver(handoff_id=handoff.pk) is True
        assert services.handoff_deliver(handoff_id=handoff.pk) is False
    handoff.refresh_from_db()
    assert handoff.notified_at is not None


# --- concurrency: real commits, several connections ---------------------------------------------


def _cleanup(offices, matter_ids, officers=()):
    copies = PetitionRecord.objects.filter(matter_id__in=matter_ids)
    settle_effects(copies.values_list("petition_id", flat=True))
    Handoff.objects.filter(matter_id__in=matter_ids).delete()
    PetitionRecord.objects.filter(matter_id__in=matter_ids).delete()
    for office in offices.values():
        with tenant_context(office):
            Petition.objects.filter(matter_id__in=matter_ids).delete()
    for office, officer in officers:
        with tenant_context(office):
            officer.delete()
    connection.set_schema_to_public()


def _race(n, work):
    """Run `work(i)` in n threads at once; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def committed_petition(offices, committed):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar", "leader"))
        petition = factories.petition(officer=officer).petition
    connection.set_schema_to_public()
    yield officer, petition
    _cleanup(offices, [petition.matter_id], [(offices["xihu"], officer)])


def _transfer_in_thread(offices, officer, petition, receiver, key=""):
    with tenant_context(offices["xihu"]):
        return services.petition_transfer(
            petition_id=petition.pk, officer=officer, receiver_code=receiver, idempotency_key=key
        )


def test_concurrent_transfers_of_one_petition_make_exactly_one(offices, committed_petition):
    officer, petition = committed_petition
    receivers = ["330110", "330212", "330100", "330200"]
    results = _race(4, lambda i: _transfer_in_thread(offices, officer, petition, receivers[i]))

    made = [r for r in results if isinstance(r, Handoff)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(made) == 1 and len(refused) == 3, results
    assert {r.code for r in refused} <= {"INVALID_TRANSITION", "DUPLICATE_HANDOFF"}
    assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 1
    assert len(copies_of(offices, petition.matter_id)) == 2
    assert PetitionRecord.objects.filter(matter_id=petition.matter_id).count() == 2


def test_concurrent_retries_with_one_key_return_the_same_handoff(offices, committed_petition):
    officer, petition = committed_petition
    key = f"retry-{uuid.uuid4()}"
    results = _race(4, lambda i: _transfer_in_thread(offices, officer, petition, "330110", key=key))
    assert all(isinstance(r, Handoff) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 1
    assert set(copies_of(offices, petition.matter_id)) == {"xihu", "yuhang"}


def test_a_handoff_whose_nudge_was_lost_is_delivered_by_the_outbox_drain(
    offices, staff, register, act
):
    """The sweep's drain (run here in the test's transaction) finds the recorded, undelivered
    receipt; a second drain finds nothing left to do."""
    from xinfang.platform.exchange.services.delivery import DELIVER
    from xinfang.platform.outbox import relay
    from xinfang.platform.outbox.models import Effect

    Effect.objects.filter(done_at__isnull=True).update(done_at=timezone.now())  # earlier tests'
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
    assert DELIVER in relay.due_kinds()
    assert relay.drain(DELIVER) == (1, False)
    handoff.refresh_from_db()
    assert handoff.notified_at is not None
    assert relay.drain(DELIVER) == (0, False)
    assert Effect.objects.get(kind=DELIVER, subject_id=str(handoff.pk)).done_at is not None
