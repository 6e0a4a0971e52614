"""The API the workbench's screens need, called with the screens' own documents: the workbench's
one query, the list's filters, registration's options and draft repeat check, handoff actions."""

import pytest

from tests.support.graphql import gql
from tests.web.documents import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(officer_client):
    client, _officer = officer_client("xihu", "registrar", "leader")
    me = gql(client, document("Session"))["data"]["me"]
    return client, me


def test_the_workbench_is_one_query_with_counts_by_status(leader, in_office):
    from tests import factories

    client, me = leader
    with in_office("xihu"):
        factories.petition()
    body = gql(client, document("Workbench"), me=me["id"])
    assert "errors" not in body, body
    data = body["data"]
    counts = {row["status"]: row["count"] for row in data["petitionCounts"]}
    assert counts["REGISTERED"] == 1 and len(counts) == 12
    assert data["awaitingDecision"]["totalCount"] == 1
    assert data["dueSoon"]["totalCount"] == 0 and data["overdue"]["totalCount"] == 0


def test_the_list_filters_by_flags_and_due_state(leader, in_office):
    from tests import factories

    client, _ = leader
    with in_office("xihu"):
        factories.petition(
            is_accusation=True,
            accused_body="某街道办事处",
            accused_kind="town",
            accused_division_code="330106",
        )
        factories.petition()
    body = gql(client, document("PetitionList"), filter={"isAccusation": True}, first=20)
    assert body["data"]["petitions"]["totalCount"] == 1
    body = gql(client, document("PetitionList"), filter={"dueStates": ["OVERDUE"]}, first=20)
    assert body["data"]["petitions"]["totalCount"] == 0


def test_registration_offers_the_provinces_divisions(leader):
    client, _ = leader
    divisions = gql(client, document("RegistrationOptions"))["data"]["divisions"]
    codes = [d["code"] for d in divisions]
    assert codes[0] == "330000" and "330106" in codes
    assert all(code.startswith("33") for code in codes)
    assert "市辖区" not in {d["name"] for d in divisions}


def test_the_draft_repeat_check_answers_without_storing(leader, search_index_ready):
    client, _ = leader
    body = gql(
        client,
        document("RepeatPreview"),
        petitioners=[{"name": "陈某", "idNumber": "330106198001010013"}],
        content="补偿款没有发放",
        place="龙坞村",
    )
    assert "errors" not in body, body
    assert body["data"]["repeatPreview"]["available"] is True


def test_a_handler_may_not_run_the_draft_repeat_check(officer_client):
    client, _ = officer_client("xihu", "handler")
    body = gql(client, document("RepeatPreview"), petitioners=[], content="x")
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_the_inbox_says_what_the_receiver_may_do(officer_client, in_office):
    from tests import factories
    from xinfang.platform.exchange import services

    sender, sender_officer = officer_client("xihu", "registrar", "leader")
    receiver, _ = officer_client("hangzhou", "leader")
    with in_office("xihu"):
        petition = factories.petition().petition
        services.petition_transfer(
            petition_id=petition.pk, officer=sender_officer, receiver_code="330100"
        )
    rows = gql(receiver, document("HandoffInbox"))["data"]["handoffInbox"]["edges"]
    assert [row["node"]["availableActions"] for row in rows] == [["ACCEPT", "OBJECT"]]
    rows = gql(sender, document("HandoffOutbox"))["data"]["handoffOutbox"]["edges"]
    assert [row["node"]["availableActions"] for row in rows] == [[]]
