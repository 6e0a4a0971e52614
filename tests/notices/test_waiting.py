"""Notices recorded while their channel was not configured wait for it: once it is configured the
periodic release (beat, on the notices workers) lets them go through the outbox, at most a batch
per run, and the drain sends them to the real SMTP server once; the ones older than the resend
window are given up; a channel still unconfigured releases nothing."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.notices.conftest import person
from xinfang.platform.notices.models import Notice
from xinfang.platform.notices.services import SEND
from xinfang.platform.notices.tasks import release_waiting
from xinfang.platform.outbox import relay
from xinfang.platform.outbox.models import Effect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_effects():
    """Effects other tests committed (the test transaction hides nothing of theirs)."""
    Effect.objects.filter(kind=SEND, done_at__isnull=True).update(done_at=timezone.now())


def _register(staff, in_office, **fields) -> Notice:
    with in_office("xihu"):
        petition = factories.petition(officer=staff["registrar"], petitioners=[person(**fields)])
        return Notice.objects.select_related("petition").get(
            petition=petition.petition, channel="email"
        )


def _status(in_office, notice) -> tuple:
    with in_office("xihu"):
        notice.refresh_from_db()
    return notice.status, notice.attempts, notice.last_error


def test_a_notice_waits_for_its_channel_and_goes_once_it_is_configured(
    staff, in_office, settings, smtp_server
):
    settings.XINFANG_SMTP_HOST = ""
    notice = _register(staff, in_office, email="wait@example.com")
    reference = notice.petition.reference
    assert _status(in_office, notice) == (
        "not_sent", 0, "e-mail is not configured (XINFANG_SMTP_HOST)"
    )  # fmt: skip
    (effect,) = Effect.objects.filter(kind=SEND, subject_id=str(notice.pk))
    assert effect.waiting_for == "channel:email" and effect.done_at is None
    assert relay.drain(SEND) == (0, False)  # never due while it waits
    assert release_waiting() == {}  # still not configured: nothing released

    settings.XINFANG_SMTP_HOST, settings.XINFANG_SMTP_PORT = "127.0.0.1", smtp_server.port
    smtp_server.clear()
    assert release_waiting() == {"email": 1}
    assert relay.drain(SEND) == (1, False)
    (mail,) = smtp_server.to("wait@example.com")
    assert reference in mail["Subject"]
    assert _status(in_office, notice) == ("sent", 1, "")
    assert release_waiting() == {"email": 0}  # released once
    assert relay.drain(SEND) == (0, False)
    assert len(smtp_server.to("wait@example.com")) == 1


def test_a_release_is_bounded_and_the_stale_are_given_up(staff, in_office, settings, smtp):
    settings.XINFANG_SMTP_HOST = ""
    notices = [_register(staff, in_office, email=f"w{i}@example.com") for i in range(3)]
    stale = Effect.objects.get(subject_id=str(notices[0].pk))
    Effect.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.XINFANG_NOTICE_RESEND_DAYS + 1)
    )
    settings.XINFANG_SMTP_HOST = "127.0.0.1"
    settings.XINFANG_NOTICE_RELEASE_BATCH = 1
    assert release_waiting()["email"] == 1
    assert relay.drain(SEND) == (1, False)
    assert release_waiting()["email"] == 1
    assert relay.drain(SEND) == (1, False)
    assert release_waiting()["email"] == 0
    stale.refresh_from_db()
    assert stale.done_at is not None and "not configured within" in stale.last_error
    assert [_status(in_office, n)[0] for n in notices] == ["not_sent", "sent", "sent"]
    assert {m["To"] for m in smtp.messages} == {"w1@example.com", "w2@example.com"}


def test_a_released_notice_whose_channel_went_away_waits_again(staff, in_office, settings, smtp):
    settings.XINFANG_SMTP_HOST = ""
    notice = _register(staff, in_office, email="again@example.com")
    settings.XINFANG_SMTP_HOST = "127.0.0.1"
    assert release_waiting()["email"] == 1
    settings.XINFANG_SMTP_HOST = ""  # a worker without the setting drains it
    assert relay.drain(SEND) == (1, False)
    assert _status(in_office, notice)[0] == "not_sent"
    assert (
        Effect.objects.filter(
            subject_id=str(notice.pk), waiting_for="channel:email", done_at__isnull=True
        ).count()
        == 1
    )
