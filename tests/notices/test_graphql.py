"""Officers see every notice of a petition, with its delivery (channel, status, attempts, the
last error, when it was sent), in a bounded number of queries; never its text or address.
A petitioner asks for the receipt again with the reference and query code."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.notices.conftest import person
from tests.support.graphql import error_code, gid, gql
from xinfang.platform.notices.services import SEND
from xinfang.platform.outbox import relay

pytestmark = pytest.mark.django_db

NOTICES = """
query($id: ID!) { petition(id: $id) { notices(first: 10) { totalCount edges { node {
  id kind channel status subject recipientName addressMasked attempts lastError createdAt sentAt
} } } } }
"""


def test_an_officer_sees_each_notice_and_how_its_delivery_stands(
    officer_client, smtp, settings, in_office
):
    client, officer = officer_client("xihu", "registrar")
    with in_office("xihu"):
        petitions = [
            factories.petition(officer=officer, petitioners=[person(phone="13900001111")]).petition
            for _ in range(3)
        ]
    relay.drain(SEND)
    with CaptureQueriesContext(connection) as queries:
        body = gql(client, NOTICES, id=gid("Petition", "330106", petitions[0].pk))
    assert "errors" not in body, body
    notices = body["data"]["petition"]["notices"]
    assert notices["totalCount"] == 2
    by_channel = {e["node"]["channel"]: e["node"] for e in notices["edges"]}
    assert by_channel["EMAIL"]["status"] == "SENT" and by_channel["EMAIL"]["attempts"] == 1
    assert (
        by_channel["EMAIL"]["sentAt"] and by_channel["EMAIL"]["addressMasked"] == "l***@example.com"
    )
    assert by_channel["SMS"]["status"] == "NOT_SENT"
    assert by_channel["SMS"]["lastError"] == "SMS is not configured (XINFANG_SMS_PROVIDER)"
    assert by_channel["SMS"]["addressMasked"] == "139****1111"
    assert {n["kind"] for n in by_channel.values()} == {"REGISTERED"}
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_the_receipt_goes_again_to_the_address_typed_with_the_right_code_only(
    client_for, smtp, staff, in_office
):
    with in_office("xihu"):
        registration = factories.petition(
            officer=staff["registrar"], petitioners=[person(email="")]
        )
    mutation = """mutation($r: String!, $c: String!, $e: String) {
      sendPetitionReceipt(reference: $r, queryCode: $c, email: $e) { channels } }"""
    client = client_for("xihu")
    reference = registration.petition.reference
    wrong = gql(client, mutation, r=reference, c="23456789ABCD", e="me@example.com")
    assert error_code(wrong) == "NOT_FOUND"
    bad = gql(client, mutation, r=reference, c=registration.query_code, e="not-an-address")
    assert error_code(bad) == "INVALID_EMAIL"
    body = gql(client, mutation, r=reference, c=registration.query_code.lower(), e="me@example.com")
    assert "errors" not in body, body
    assert body["data"]["sendPetitionReceipt"]["channels"] == ["EMAIL"]
    relay.drain(SEND)
    (mail,) = smtp.to("me@example.com")
    assert registration.query_code in mail.get_content()
    for _ in range(2):
        gql(client, mutation, r=reference, c=registration.query_code, e="me@example.com")
    over = gql(client, mutation, r=reference, c=registration.query_code, e="me@example.com")
    assert error_code(over) == "THROTTLED"
