"""Delivery after the commit through the outbox: a notice reaches the real SMTP server once,
however often its drain runs; what fails is retried with back-off and, in the end, given up;
an address the server refuses is failed for good. Everything is visible on the notice."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.notices.conftest import person
from tests.support.recorded import settle_effects
from tests.support.servers import free_port
from xinfang.platform.notices.models import Notice
from xinfang.platform.notices.services import SEND, notice_deliver
from xinfang.platform.outbox import relay
from xinfang.platform.outbox.models import Effect
from xinfang.platform.registry.models import PetitionRecord


@pytest.fixture(autouse=True)
def _only_this_tests_effects(django_db_blocker):
    with django_db_blocker.unblock():
        Effect.objects.filter(kind=SEND, done_at__isnull=True).update(done_at=timezone.now())


def _register(staff, in_office, **fields):
    with in_office("xihu"):
        return factories.petition(officer=staff["registrar"], petitioners=[person(**fields)])


def _notice(in_office, registration) -> Notice:
    with in_office("xihu"):
        return Notice.objects.get(petition_id=registration.petition.pk)


@pytest.mark.django_db
def test_the_drain_sends_the_email_once_and_records_it_sent(staff, smtp, in_office):
    registration = _register(staff, in_office)
    assert relay.drain(SEND) == (1, False)
    assert relay.drain(SEND) == (0, False)
    notice = _notice(in_office, registration)
    with in_office("xihu"):
        assert notice_deliver(notice_id=notice.pk) is None  # a second run
    (mail,) = smtp.to("lisi@example.com")
    notice = _notice(in_office, registration)
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 1, "")
    assert notice.sent_at is not None and notice.provider_id == mail["Message-ID"]
    assert mail["Message-ID"] == f"<notice-{notice.pk}@xinfang.localhost>"
    assert registration.petition.reference in mail["Subject"]
    body = mail.get_content()
    assert registration.query_code in body and "西湖区信访局" in body
    assert "西湖区信访局" in mail["From"]


def test_drains_racing_each_other_send_a_committed_notice_once(offices, committed, smtp):
    """Three workers' drains at once, then the sweep's: the effect is claimed by one drain
    (SKIP LOCKED), the notice row stays locked while it is sent, and a later run finds it sent.
    The effect is committed not yet due, so the session's worker (nudged by the commit) leaves
    it to the race."""
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
        with transaction.atomic():
            petition = factories.petition(officer=officer, petitioners=[person()]).petition
            notice = Notice.objects.get(petition=petition)
            later = timezone.now() + datetime.timedelta(hours=1)
            Effect.objects.filter(kind=SEND, subject_id=str(notice.pk)).update(due_at=later)
    connection.set_schema_to_public()
    try:
        time.sleep(1)  # the nudge has reached the worker, which found nothing due
        Effect.objects.filter(kind=SEND, subject_id=str(notice.pk)).update(due_at=timezone.now())
        barrier = threading.Barrier(3)

        def drain():
            barrier.wait()
            try:
                return relay.drain(SEND)[0]
            finally:
                connection.close()

        with ThreadPoolExecutor(3) as pool:
            claimed = list(pool.map(lambda _: drain(), range(3)))
        assert sorted(claimed)[:2] == [0, 0]  # one drain at most (or the worker) sent it
        assert relay.drain(SEND)[0] == 0
        with tenant_context(offices["xihu"]):
            assert notice_deliver(notice_id=notice.pk) is None
            assert Notice.objects.get(pk=notice.pk).status == "sent"
        assert len(smtp.to("lisi@example.com")) == 1
    finally:
        _delete(offices["xihu"], petition, officer)


def _delete(office, petition, officer) -> None:
    with tenant_context(office):
        notices = list(Notice.objects.filter(petition=petition).values_list("pk", flat=True))
    connection.set_schema_to_public()
    settle_effects([petition.pk, *notices])
    with tenant_context(office):
        petition.delete()
        officer.delete()
    connection.set_schema_to_public()
    PetitionRecord.objects.filter(petition_id=petition.pk).delete()


@pytest.mark.django_db
def test_a_server_that_does_not_answer_is_retried_with_back_off_then_given_up(
    staff, smtp, settings, in_office
):
    settings.XINFANG_SMTP_PORT = free_port()  # nobody listens there
    settings.XINFANG_SMTP_TIMEOUT = 1
    settings.XINFANG_NOTICE_MAX_ATTEMPTS = 2
    registration = _register(staff, in_office)
    before = timezone.now()
    assert relay.drain(SEND) == (1, False)
    notice = _notice(in_office, registration)
    effect = Effect.objects.get(kind=SEND, subject_id=str(notice.pk))
    assert (notice.status, notice.attempts) == ("pending", 1)
    assert "Connection refused" in notice.last_error or "Errno" in notice.last_error
    assert effect.done_at is None and effect.due_at > before and effect.last_error
    Effect.objects.filter(pk=effect.pk).update(due_at=timezone.now())  # the back-off passed
    assert relay.drain(SEND) == (1, False)
    notice = _notice(in_office, registration)
    assert (notice.status, notice.attempts) == ("failed", 2)
    assert notice.last_error.startswith("gave up:")
    assert Effect.objects.get(pk=effect.pk).done_at is not None
    assert not smtp.messages


@pytest.mark.django_db
def test_an_address_the_server_refuses_is_failed_for_good(staff, smtp, in_office):
    smtp.refused.add("nobody@example.com")
    registration = _register(staff, in_office, email="nobody@example.com")
    assert relay.drain(SEND) == (1, False)
    notice = _notice(in_office, registration)
    assert (notice.status, notice.attempts) == ("failed", 1)
    assert "550" in notice.last_error
