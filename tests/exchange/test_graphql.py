"""The exchange over GraphQL, the admin and tasks: every door checks the office and jurisdiction."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.support.graphql import gid as support_gid
from tests.support.graphql import gql
from tests.support.petitions import copies_of
from tests.support.queries import assert_queries
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff


def gid(office, petition):
    return support_gid("Petition", office.code, petition.pk)


def codes(body):
    return [e["extensions"]["code"] for e in body.get("errors", [])]


TRANSFER = """
mutation($id: ID!, $to: String!, $key: String) {
  transferPetition(petitionId: $id, receiverCode: $to, reason: "属地", idempotencyKey: $key) {
    handoff { id kind status receiverReference receiverOffice { code } }
  }
}"""

INBOX = """
{ handoffInbox { totalCount edges { node {
  id kind status senderReference senderPetitionId receiverPetitionId senderOffice { code name }
  receiverOffice { code } deciderOffice { code } } } } }"""


def inbox_of(body) -> list[dict]:
    return [edge["node"] for edge in body["data"]["handoffInbox"]["edges"]]


def test_a_retried_transfer_mutation_creates_one_handoff(offices, officer_client, register):
    client, _ = officer_client("xihu", "registrar")
    petition = register("xihu")
    variables = {"id": gid(offices["xihu"], petition), "to": "330110", "key": "req-77"}
    first = gql(client, TRANSFER, **variables)
    again = gql(client, TRANSFER, **variables)
    assert "errors" not in first, first
    handoff = first["data"]["transferPetition"]["handoff"]
    assert handoff["kind"] == "TRANSFER" and handoff["receiverOffice"]["code"] == "330110"
    assert again["data"]["transferPetition"]["handoff"]["id"] == handoff["id"]
    assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 1


def test_a_petition_id_of_another_office_cannot_be_transferred(offices, officer_client, register):
    client, _ = officer_client("ningbo", "registrar")
    petition = register("xihu")
    body = gql(client, TRANSFER, id=gid(offices["xihu"], petition), to="330212")
    assert codes(body) == ["NOT_FOUND"]
    assert set(copies_of(offices, petition.matter_id)) == {"xihu"}


def test_the_inbox_lists_received_handoffs_in_a_fixed_number_of_queries(
    offices, officer_client, register, staff, act
):
    client, _ = officer_client("yuhang", "registrar")
    for _ in range(3):
        petition = register("xihu")
        with act("xihu"):
            services.petition_transfer(
                petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
            )
    # the host's office, the session, the officer, ONE query for the inbox with its offices,
    # and the count
    with assert_queries(5):
        body = gql(client, INBOX)
    assert body["data"]["handoffInbox"]["totalCount"] == 3
    handoffs = inbox_of(body)
    assert len(handoffs) == 3 and {h["senderOffice"]["code"] for h in handoffs} == {"330106"}
    assert all(h["senderPetitionId"] and h["receiverPetitionId"] for h in handoffs)
    other, _ = officer_client("yinzhou", "registrar")
    assert inbox_of(gql(other, INBOX)) == []


def test_an_objection_round_trip_over_graphql(offices, officer_client, register, staff, act):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330212"
        )
    receiver, _ = officer_client("yinzhou", "leader")
    body = gql(
        receiver,
        'mutation($id: ID!) { objectToHandoff(handoffId: $id, reason: "非本辖区") '
        "{ handoff { status deciderOffice { code } } } }",
        id=support_gid("Handoff", "330212", handoff.pk),
    )
    assert body["data"]["objectToHandoff"]["handoff"] == {
        "status": "OBJECTED",
        "deciderOffice": {"code": "330106"},
    }
    sender, _ = officer_client("xihu", "leader")
    inbox = inbox_of(gql(sender, INBOX))
    sender_id = support_gid("Handoff", "330106", handoff.pk)
    assert [h["id"] for h in inbox] == [sender_id]
    decide = (
        "mutation($id: ID!, $up: Boolean!) { decideObjection(handoffId: $id, uphold: $up) "
        "{ handoff { status decision } } }"
    )
    receiver_id = support_gid("Handoff", "330212", handoff.pk)
    assert codes(gql(receiver, decide, id=receiver_id, up=True)) == ["NOT_DECIDER"]
    assert codes(gql(receiver, decide, id=sender_id, up=True)) == ["NOT_FOUND"]
    body = gql(sender, decide, id=sender_id, up=True)
    assert body["data"]["decideObjection"]["handoff"] == {
        "status": "RETURNED",
        "decision": "UPHELD",
    }


CROSS = """
query($id: ID!) { crossOfficePetition(id: $id) {
  id reference content status petitionerNames office { code } } }"""


def test_another_office_petition_is_readable_only_where_jurisdiction_allows(
    offices, officer_client, register, staff, act
):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
    yuhang, _ = officer_client("yuhang", "handler")
    seen_from_yuhang = support_gid("CrossOfficePetition", "330110", petition.pk)
    body = gql(yuhang, CROSS, id=seen_from_yuhang)
    assert body["data"]["crossOfficePetition"]["office"]["code"] == "330106"
    assert body["data"]["crossOfficePetition"]["petitionerNames"] == ["张三"]
    assert body["data"]["crossOfficePetition"]["status"] == "TRANSFERRED"
    node = gql(yuhang, "query($id: ID!) { node(id: $id) { id } }", id=seen_from_yuhang)
    assert node["data"]["node"]["id"] == seen_from_yuhang
    for outsider, code in (
        ("yinzhou", "330212"), ("ningbo", "330200"), ("hangzhou", "330100"), ("zhejiang", "330000"),
    ):  # fmt: skip
        client, _ = officer_client(outsider, "handler", "leader", "supervisor")
        for pk in (petition.pk, handoff.receiver_petition_id):
            body = gql(client, CROSS, id=support_gid("CrossOfficePetition", code, pk))
            assert codes(body) == ["NOT_VISIBLE"], outsider
        body = gql(
            client,
            "query($id: ID!) { handoff(id: $id) { id } }",
            id=support_gid("Handoff", code, handoff.pk),
        )
        assert codes(body) == ["NOT_VISIBLE"]
    missing = support_gid("CrossOfficePetition", "330110", uuid.uuid4())
    assert codes(gql(yuhang, CROSS, id=missing)) == ["NOT_FOUND"]
    assert codes(gql(yuhang, CROSS, id=support_gid("CrossOfficePetition", "330110", "x"))) == [
        "NOT_FOUND"
    ]


TIMELINE = """
query($m: ID!) { matter(id: $m) { timeline(first: 100) { totalCount edges { node {
  source eventKind handoff { kind } office { code } reference note } } } } }"""


def timeline(client, office_code, matter_id) -> list[dict]:
    """The entries, with `kind` the event kind or `ledger:<handoff kind>` as the test reads."""
    body = gql(client, TIMELINE, m=support_gid("Matter", office_code, matter_id))
    if "errors" in body:
        return body
    entries = [edge["node"] for edge in body["data"]["matter"]["timeline"]["edges"]]
    for entry in entries:
        entry["kind"] = (
            f"ledger:{entry['handoff']['kind'].lower()}" if entry["handoff"] else entry["eventKind"]
        )
    return entries


def test_the_timeline_shows_the_journey_as_far_as_the_office_may_see(
    offices, officer_client, register, staff, act
):
    petition = register("xihu")
    with act("xihu"):
        first = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110", reason="一转"
        )
    with act("yuhang"):
        services.handoff_object(handoff_id=first.pk, officer=staff("yuhang"), reason="非本区")
    with act("xihu"):
        services.objection_decide(handoff_id=first.pk, officer=staff("xihu"), uphold=True)
        services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330212", reason="二转"
        )
    xihu, _ = officer_client("xihu", "handler")
    entries = timeline(xihu, "330106", petition.matter_id)
    offices_seen = {e["office"]["code"] for e in entries}
    assert offices_seen == {"330106", "330110", "330212"}
    assert [e["note"] for e in entries if e["kind"] == "ledger:transfer"] == ["一转", "二转"]
    assert "OBJECTION_RAISED" in [e["kind"] for e in entries]
    # Yinzhou sees its own copy and Xihu's, and the ledger, but not Yuhang's copy's log.
    yinzhou, _ = officer_client("yinzhou", "handler")
    entries = timeline(yinzhou, "330212", petition.matter_id)
    kinds_by_office = {(e["office"]["code"], e["kind"]) for e in entries}
    assert ("330110", "OBJECTION_RAISED") not in kinds_by_office
    assert ("330106", "ledger:transfer") in kinds_by_office
    assert ("330110", "RECEIVED") not in kinds_by_office
    assert ("330212", "RECEIVED") in kinds_by_office
    assert len([e for e in entries if e["kind"] == "ledger:transfer"]) == 2
    ningbo, _ = officer_client("ningbo", "handler", "supervisor")
    assert codes(timeline(ningbo, "330200", petition.matter_id)) == ["NOT_VISIBLE"]


def test_the_admin_shows_only_the_office_own_handoffs(offices, client_for, register, staff, act):
    from tests import factories

    mine, theirs = register("xihu"), register("ningbo")
    with act("xihu"):
        services.petition_transfer(
            petition_id=mine.pk, officer=staff("xihu"), receiver_code="330110"
        )
    with act("ningbo"):
        services.petition_transfer(
            petition_id=theirs.pk, officer=staff("ningbo"), receiver_code="330212"
        )
    pages = {}
    for name in ("xihu", "yuhang", "yinzhou"):
        with tenant_context(offices[name]):
            admin = factories.officer(roles=("admin",))
            admin.is_staff = admin.is_superuser = True
            admin.save()
            client = client_for(name)
            client.force_login(admin)
        response = client.get("/admin/exchange/handoff/")
        assert response.status_code == 200
        pages[name] = response.content.decode()
    assert mine.reference in pages["xihu"] and theirs.reference not in pages["xihu"]
    assert mine.reference in pages["yuhang"] and theirs.reference not in pages["yuhang"]
    assert theirs.reference in pages["yinzhou"] and mine.reference not in pages["yinzhou"]


def test_a_task_run_for_an_uninvolved_office_cannot_touch_the_handoff(
    offices, register, staff, act
):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
    with act("ningbo"), pytest.raises(ServiceError) as error:
        services.handoff_deliver(handoff_id=handoff.pk)
    assert error.value.code == "NOT_VISIBLE"
    handoff.refresh_from_db()
    assert handoff.notified_at is None
    with act("yuhang"):
        assert services.handoff_deliver(handoff_id=handoff.pk) is True


ASSIGN = """
mutation($id: ID!, $to: String!, $due: Date!) {
  assignToOffice(petitionId: $id, receiverCode: $to, dueDate: $due, reason: "请核查并报告结果") {
    handoff { kind status dueDate receiverOffice { code } }
  }
}"""


def test_a_city_assigns_a_petition_to_a_county_with_a_report_deadline(
    offices, officer_client, register
):
    client, _ = officer_client("hangzhou", "leader")
    petition = register("hangzhou")
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    body = gql(client, ASSIGN, id=gid(offices["hangzhou"], petition), to="330106", due=due)
    assert "errors" not in body, body
    handoff = body["data"]["assignToOffice"]["handoff"]
    assert handoff["kind"] == "ASSIGN" and handoff["dueDate"] == due
    assert handoff["receiverOffice"]["code"] == "330106"
    assert set(copies_of(offices, petition.matter_id)) == {"hangzhou", "xihu"}
    upward = gql(client, ASSIGN, id=gid(offices["hangzhou"], petition), to="330000", due=due)
    assert codes(upward) == ["INVALID_RECEIVER"]
