"""The outbox: effects commit with the change that needs them or not at all, run once, are
recorded done, and what fails is retried with back-off until it is done."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from xinfang.platform.outbox import handlers, relay
from xinfang.platform.outbox import services as outbox
from xinfang.platform.outbox.models import Effect
from xinfang.search.client import es_client
from xinfang.search.effects import CHECK_REPEATS, INDEX
from xinfang.search.models import RepeatCheck

FLAKY = "tests.flaky"
flaky_calls: list[str] = []


@handlers.each(FLAKY, batch=10)
def _flaky(subject_id: str) -> None:
    """Fails on its first run for each subject, succeeds after."""
    flaky_calls.append(subject_id)
    if flaky_calls.count(subject_id) == 1:
        raise RuntimeError("not yet")


OUTAGE = "tests.outage"
service = {"down": False}


@handlers.each(OUTAGE, batch=10)
def _needs_a_service(subject_id: str) -> None:
    if service["down"]:
        raise RuntimeError("service unavailable")


@pytest.fixture(autouse=True)
def _only_this_tests_effects(db):
    """Effects committed by earlier tests (inside this test's transaction: undone after) are out of
    the way, so a drain claims exactly what the test recorded."""
    Effect.objects.filter(done_at__isnull=True).update(done_at=timezone.now())


def _effects(subject_id):
    return Effect.objects.filter(subject_id=str(subject_id))


def test_a_registration_records_its_indexing_and_repeat_check_in_its_own_transaction(
    staff, in_office
):
    class Abandoned(Exception):
        pass

    with in_office("xihu"):
        with pytest.raises(Abandoned), transaction.atomic():
            gone = factories.petition(officer=staff["registrar"]).petition
            assert _effects(gone.pk).count() == 2
            raise Abandoned
        kept = factories.petition(officer=staff["registrar"]).petition
    assert not _effects(gone.pk).exists()
    assert sorted(_effects(kept.pk).values_list("kind", "office__code", "done_at")) == [
        (CHECK_REPEATS, "330106", None),
        (INDEX, "330106", None),
    ]


def test_an_unknown_kind_is_refused_when_recorded_not_left_waiting(staff, in_office):
    with in_office("xihu"), pytest.raises(LookupError):
        outbox.record("search.typo", subject_id="x")


def test_the_drain_indexes_and_checks_once_and_records_both_done(
    staff, in_office, offices, es_index
):
    with in_office("xihu"):
        petition = factories.petition(officer=staff["registrar"]).petition
    assert relay.drain(INDEX) == (1, False)
    assert relay.drain(CHECK_REPEATS) == (1, False)
    assert relay.drain(INDEX) == (0, False)  # done: never run twice
    assert not _effects(petition.pk).filter(done_at__isnull=True).exists()
    assert set(_effects(petition.pk).values_list("attempts", flat=True)) == {1}
    assert es_client().get(index=es_index, id=str(petition.pk))["_source"]["office_code"] == (
        "330106"
    )
    with tenant_context(offices["xihu"]):
        assert RepeatCheck.objects.get(petition=petition).state == RepeatCheck.State.DONE


def test_thirty_petitions_are_indexed_in_one_batch_with_a_bounded_number_of_queries(
    staff, in_office, es_index, django_assert_max_num_queries
):
    with in_office("xihu"):
        made = [factories.petition(officer=staff["registrar"]).petition for _ in range(30)]
    # claim, offices, petitions, petitioners, registry rows, the update; schema switches and
    # savepoints: the same whatever the batch size
    with django_assert_max_num_queries(13):
        assert relay.drain(INDEX) == (30, False)
    es_client().indices.refresh(index=es_index)
    assert es_client().count(index=es_index)["count"] == 30
    pending = Effect.objects.filter(subject_id__in=[str(p.pk) for p in made], done_at=None)
    assert list(pending.values_list("kind", flat=True)) == [CHECK_REPEATS] * 30


def test_a_failed_effect_backs_off_and_the_sweep_runs_it_again_until_done(staff, in_office):
    flaky_calls.clear()
    with in_office("xihu"):
        outbox.record(FLAKY, subject_id="a")
    assert relay.drain(FLAKY) == (1, False)
    effect = Effect.objects.get(kind=FLAKY)
    assert (effect.attempts, effect.done_at) == (1, None)
    assert "RuntimeError: not yet" in effect.last_error
    assert effect.due_at > timezone.now()  # backed off: not claimed again at once
    assert relay.drain(FLAKY) == (0, False)
    assert FLAKY not in relay.due_kinds()

    Effect.objects.filter(pk=effect.pk).update(due_at=timezone.now())  # the back-off has passed
    assert relay.due_kinds()[FLAKY] == 1
    assert relay.drain(FLAKY) == (1, False)
    effect.refresh_from_db()
    assert effect.done_at is not None and effect.attempts == 2 and effect.last_error == ""
    assert flaky_calls == ["a", "a"]


def test_once_a_kind_works_again_its_backed_off_effects_are_due_at_once(staff, in_office):
    service["down"] = True
    with in_office("xihu"):
        for subject in ("during-1", "during-2"):
            outbox.record(OUTAGE, subject_id=subject)
    assert relay.drain(OUTAGE) == (2, False)
    waiting = Effect.objects.filter(kind=OUTAGE, done_at=None)
    assert all(e.due_at > timezone.now() for e in waiting)

    service["down"] = False
    relay._released.pop(OUTAGE, None)  # no release by this process yet
    with in_office("xihu"):
        outbox.record(OUTAGE, subject_id="after")
    assert relay.drain(OUTAGE) == (1, False)  # it works: the two waiting are due now
    assert relay.drain(OUTAGE) == (2, False)
    assert not Effect.objects.filter(kind=OUTAGE, done_at=None).exists()


def test_back_off_grows_to_a_cap_with_jitter():
    waits = [relay.backoff(n).total_seconds() for n in range(1, 12)]
    assert 1 <= waits[0] <= 3
    assert all(w <= relay.BACKOFF_MAX * 1.5 for w in waits)
    assert waits[9] >= relay.BACKOFF_MAX * 0.5
    assert len({relay.backoff(3) for _ in range(20)}) > 1


def test_a_repeat_check_that_found_search_down_is_kept_and_retried(
    staff, in_office, offices, monkeypatch
):
    from xinfang.search import repeats

    def unavailable(probe, **options):
        raise ConnectionError("elasticsearch is down")

    monkeypatch.setattr(repeats, "find_matches", unavailable)
    with in_office("xihu"):
        petition = factories.petition(officer=staff["registrar"]).petition
    assert relay.drain(CHECK_REPEATS) == (1, False)
    check = _effects(petition.pk).get(kind=CHECK_REPEATS)
    assert check.done_at is None and check.last_error == "search unavailable"
    with tenant_context(offices["xihu"]):
        assert RepeatCheck.objects.get(petition=petition).state == RepeatCheck.State.UNAVAILABLE


def test_done_effects_are_purged_after_a_week(staff, in_office):
    with in_office("xihu"):
        outbox.record(FLAKY, subject_id="old")
    Effect.objects.filter(kind=FLAKY).update(done_at=timezone.now() - datetime.timedelta(days=8))
    assert relay.purge_done() >= 1
    assert not Effect.objects.filter(kind=FLAKY).exists()
