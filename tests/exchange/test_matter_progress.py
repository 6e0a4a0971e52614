"""The petitioner never loses the way (Arts 21, 22, 35): one query code for the matter, a lookup
that follows it through every office, and notices that say where it went and where to go next."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.support.graphql import error_code, gql
from tests.support.queries import assert_queries
from xinfang.platform.cases import services as cases
from xinfang.platform.exchange import services

LOOKUP = """
query($reference: String!, $code: String!) {
  petitionProgress(reference: $reference, queryCode: $code) {
    reference status
    offices { name code reference arrivedBy receivedAt status acceptedAt repliedAt sentOnAt }
    handlingOffice { name reference status }
    steps { kind office }
    documents { kind title text office }
  }
}
"""


def handle_and_reply(officer, petition_id, *, opinion="经调查，依法答复如下。"):
    """Route (unless it arrived routed), accept, give to a handler and reply, by one officer
    holding every role."""
    petition = cases.lock_petition(petition_id)
    if petition.status == "registered":
        petition = cases.petition_route(petition=petition, officer=officer)
    petition = cases.petition_accept(petition=petition, officer=officer)
    petition = cases.petition_assign(petition=petition, officer=officer, handler=officer)
    return cases.petition_reply(petition=petition, officer=officer, opinion=opinion)


@pytest.fixture
def registered(staff, act):
    """`registered("xihu", **fields)`: (petition, the petitioner's query code)."""

    def make(name: str, **fields):
        with act(name):
            registration = factories.petition(officer=staff(name), **fields)
        return registration.petition, registration.query_code

    return make


def lookup(client, reference, code):
    body = gql(client, LOOKUP, reference=reference, code=code)
    assert "errors" not in body, body
    return body["data"]["petitionProgress"]


def test_one_code_follows_the_matter_through_two_transfers_from_any_office_host(
    staff, act, registered, client_for
):
    petition, code = registered("xihu")
    with act("xihu"):
        to_city = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330100"
        )
    with act("hangzhou"):
        to_yuhang = services.petition_transfer(
            petition_id=to_city.receiver_petition_id, officer=staff("hangzhou"),
            receiver_code="330110",
        )  # fmt: skip
    with act("yuhang"):
        handle_and_reply(staff("yuhang"), to_yuhang.receiver_petition_id)

    first = lookup(client_for("xihu"), petition.reference, code)
    # The receiving office's reference opens the same matter, on any office's host.
    last = lookup(client_for("ningbo"), to_yuhang.receiver_reference, code)
    assert first["offices"] == last["offices"]
    assert [(o["name"], o["reference"], o["arrivedBy"]) for o in first["offices"]] == [
        ("杭州市西湖区信访局", petition.reference, None),
        ("杭州市信访局", to_city.receiver_reference, "TRANSFER"),
        ("杭州市余杭区信访局", to_yuhang.receiver_reference, "TRANSFER"),
    ]
    assert all(o["sentOnAt"] for o in first["offices"][:2])
    assert first["offices"][2]["acceptedAt"] and first["offices"][2]["repliedAt"]
    assert first["status"] == "已转送有权处理机关"
    assert first["handlingOffice"] == {
        "name": "杭州市余杭区信访局",
        "reference": to_yuhang.receiver_reference,
        "status": "已答复",
    }
    documents = {(d["kind"], d["office"]): d["text"] for d in first["documents"]}
    assert "已转送杭州市信访局办理" in documents[("transfer_notice", "杭州市西湖区信访局")]
    assert "已转送杭州市余杭区信访局办理" in documents[("transfer_notice", "杭州市信访局")]
    assert ("acceptance_notice", "杭州市余杭区信访局") in documents
    assert "30日内向杭州市信访局请求复查" in documents[("reply", "杭州市余杭区信访局")]
    assert [s["office"] for s in first["steps"]][-1] == "杭州市余杭区信访局"


def test_a_review_and_its_opinion_show_with_the_office_that_issued_them(
    staff, act, registered, client_for
):
    petition, code = registered("xihu")
    with act("xihu"):
        handle_and_reply(staff("xihu"), petition.pk)
    with act("hangzhou"):
        review = services.review_request(
            reference=petition.reference, officer=staff("hangzhou"), grounds="不服",
            evidence=services.ReviewEvidence(kind="query_code", query_code=code),
        )  # fmt: skip
        services.review_opinion_issue(
            handoff_id=review.pk, officer=staff("hangzhou"), opinion="维持原处理意见"
        )
    progress = lookup(client_for("xihu"), petition.reference, code)
    assert [(o["name"], o["arrivedBy"]) for o in progress["offices"]] == [
        ("杭州市西湖区信访局", None),
        ("杭州市信访局", "REVIEW"),
    ]
    assert progress["handlingOffice"]["reference"] == review.receiver_reference
    documents = {d["kind"]: d for d in progress["documents"]}
    assert documents["review_received"]["office"] == "杭州市信访局"
    assert "前出具复查意见" in documents["review_received"]["text"]
    opinion = documents["review_opinion"]
    assert opinion["office"] == "杭州市信访局"  # kept with the copy it answers, issued above it
    assert "30日内向浙江省信访局请求复核" in opinion["text"]


def test_a_skip_level_petition_sent_down_tells_the_petitioner_where_it_went(
    staff, act, registered, client_for
):
    petition, code = registered("hangzhou", place_code="330106")
    with act("hangzhou"):
        down = services.skip_level_transfer_down(petition_id=petition.pk, officer=staff("hangzhou"))
    progress = lookup(client_for("hangzhou"), petition.reference, code)
    notice = next(d for d in progress["documents"] if d["kind"] == "transfer_notice")
    assert "属杭州市西湖区信访局职责范围" in notice["text"]
    assert "已转送杭州市西湖区信访局办理" in notice["text"]
    assert progress["handlingOffice"]["reference"] == down.receiver_reference


def test_an_assignment_names_the_office_that_handles_it_and_an_escalation_stays_off_the_path(
    staff, act, registered, client_for
):
    petition, code = registered("hangzhou")
    with act("hangzhou"):
        services.petition_assign_to_office(
            petition_id=petition.pk, officer=staff("hangzhou"), receiver_code="330110",
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )  # fmt: skip
    escalated, escalated_code = registered("xihu")
    with act("xihu"):
        services.petition_escalate(
            petition_id=escalated.pk, officer=staff("xihu"), reason="涉及人数众多"
        )
    assigned = lookup(client_for("hangzhou"), petition.reference, code)
    notice = next(d for d in assigned["documents"] if d["kind"] == "assign_notice")
    assert "已交由杭州市余杭区信访局办理" in notice["text"]
    assert assigned["handlingOffice"]["name"] == "杭州市余杭区信访局"
    assert [o["arrivedBy"] for o in assigned["offices"]] == [None, "ASSIGN"]
    kept = lookup(client_for("xihu"), escalated.reference, escalated_code)
    assert [o["name"] for o in kept["offices"]] == ["杭州市西湖区信访局"]


def test_another_matters_code_opens_nothing(staff, act, registered, client_for):
    petition, _ = registered("xihu")
    _, other_code = registered("xihu")
    with act("xihu"):
        services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
    body = gql(client_for("yuhang"), LOOKUP, reference=petition.reference, code=other_code)
    assert error_code(body) == "NOT_FOUND"


def test_the_lookup_reads_each_office_once(staff, act, registered, client_for):
    petition, code = registered("xihu")
    sent = None
    for sender, receiver in (("xihu", "330100"), ("hangzhou", "330110")):
        with act(sender):
            sent = services.petition_transfer(
                petition_id=sent.receiver_petition_id if sent else petition.pk,
                officer=staff(sender), receiver_code=receiver,
            )  # fmt: skip
    client = client_for("xihu")
    # The host's domain, the record by reference, its code, the matter's records, one read of
    # events per office on the path.
    with assert_queries(4 + 3):
        assert len(lookup(client, petition.reference, code)["offices"]) == 3
