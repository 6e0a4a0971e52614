"""Sentry events carry the office and never a national ID or mobile number."""

import json

import pytest
import sentry_sdk
from django_tenants.utils import tenant_context
from sentry_sdk.transport import Transport

from xinfang.platform.observability import init_sentry, scrub_text

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


class RecordingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(json.loads(item.get_bytes()))


@pytest.fixture
def sentry_events():
    transport = RecordingTransport()
    init_sentry(dsn="https://public@sentry.example/1", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


@pytest.mark.django_db
def test_events_are_tagged_with_the_office_and_scrubbed(offices, sentry_events):
    with tenant_context(offices["xihu"]):
        petitioner_id = ID_NUMBER  # a local variable Sentry would otherwise ship with the frame
        try:
            raise ValueError(f"bad petitioner {petitioner_id}, phone {MOBILE}")
        except ValueError as exc:
            sentry_sdk.capture_exception(exc)
    sentry_sdk.flush()
    [event] = sentry_events
    raw = json.dumps(event, ensure_ascii=False)
    assert ID_NUMBER not in raw and MOBILE not in raw
    assert "[redacted]" in event["exception"]["values"][0]["value"]
    assert event["tags"]["office_schema"] == "office_330106"
    assert event["tags"]["office_level"] == "county"
    assert sentry_sdk.get_client().should_send_default_pii() is False  # no user, IP or cookies


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"id {ID_NUMBER}.", ID_NUMBER),
        ("old id 110105491231002", "110105491231002"),
        (f"tel:{MOBILE}", MOBILE),
        ("call +86 138-1234-5678 now", "138-1234-5678"),
        (f"身份证号{ID_NUMBER.lower()}，电话{MOBILE}", ID_NUMBER.lower()),
        (f"身份证号{ID_NUMBER}，电话{MOBILE}", MOBILE),
        (f"id{ID_NUMBER}", ID_NUMBER),
        ("办公电话0571-88888888转", "0571-88888888"),
        ("座机 02112345678", "02112345678"),
    ],
)
def test_scrubbing_removes_id_and_mobile_numbers(text, secret):
    scrubbed = scrub_text(text)
    assert secret not in scrubbed
    assert "[redacted]" in scrubbed


def test_scrubbing_keeps_reference_numbers_and_dates():
    text = "330106-2026-000123 registered 2026-11-23, reply by 2026-01-05 (30 days)"
    assert scrub_text(text) == text


@pytest.mark.django_db
def test_a_failure_repeated_by_every_request_sends_one_event(offices, sentry_events):
    """A PostgreSQL restart fails every request the same way: Sentry hears of it once."""
    for port in range(5432, 5442):
        try:
            raise ConnectionError(f"connection to 127.0.0.1:{port} refused")
        except ConnectionError as exc:
            sentry_sdk.capture_exception(exc)
    try:
        raise KeyError("another cause")
    except KeyError as exc:
        sentry_sdk.capture_exception(exc)
    sentry_sdk.flush()
    assert [e["exception"]["values"][0]["type"] for e in sentry_events] == [
        "ConnectionError",
        "KeyError",
    ]
