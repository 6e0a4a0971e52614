"""The search API as officers use it: search, the repeat check and decisions, typed errors."""

import pytest
from django_tenants.utils import tenant_context

from tests.search.builders import person, register_by
from tests.search.test_repeats import ORIGINAL, PLACE, REWORDED
from tests.support.graphql import gql
from xinfang.graphql.nodes import OfficeNode
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search.client import es_client

pytestmark = pytest.mark.django_db


def petition_gid(office, petition):
    with tenant_context(office):
        return OfficeNode.to_global_id("Petition", petition.pk)


SEARCH = """
query($text: String, $filter: SearchFilterInput) {
  searchPetitions(text: $text, filter: $filter) {
    totalCount
    edges { node { petitionId reference registeredAt status channel office { code level }
                   category { code } highlights } }
    facets { category { category { code } count } office { office { code } count }
             status { status count } channel { channel count } }
  }
}"""

CHECK = """
mutation($id: ID!) {
  checkRepeats(petitionId: $id) {
    check {
      available unavailableCode onTerminatedMatter
      candidates { id reference office { code level } status score reasons visible decision
                   canOpen explanation details { content place } }
    }
  }
}"""

CONFIRM = """
mutation($id: ID!) { confirmRepeatCandidate(candidateId: $id) { candidate { decision } } }
"""


def test_an_officer_searches_with_highlights_and_facets(
    offices, officer_client, in_office, index_now
):
    with in_office("xihu"):
        petition = register_by(content=ORIGINAL, place=PLACE)
    index_now("xihu", petition)
    client, _ = officer_client("xihu", "handler")
    data = gql(client, SEARCH, text="补偿款")["data"]["searchPetitions"]
    assert data["totalCount"] == 1
    [hit] = [edge["node"] for edge in data["edges"]]
    assert hit["petitionId"] == petition_gid(offices["xihu"], petition)
    assert hit["registeredAt"].startswith(petition.registered_at.date().isoformat()[:4])
    assert hit["status"] == "REGISTERED" and hit["office"] == {"code": "330106", "level": "COUNTY"}
    assert "<em>" in hit["highlights"][0]
    assert data["facets"]["office"] == [{"office": {"code": "330106"}, "count": 1}]
    assert data["facets"]["status"] == [{"status": "REGISTERED", "count": 1}]
    other, _ = officer_client("yuhang", "handler")
    assert gql(other, SEARCH, text="补偿款")["data"]["searchPetitions"]["totalCount"] == 0


def test_search_filters_take_the_same_upper_case_values_as_every_enum(
    offices, officer_client, in_office, index_now
):
    with in_office("xihu"):
        petition = register_by(content=ORIGINAL, place=PLACE)
    index_now("xihu", petition)
    client, _ = officer_client("xihu", "handler")
    found = gql(client, SEARCH, filter={"statuses": ["REGISTERED"], "channels": ["VISIT"]})
    assert found["data"]["searchPetitions"]["totalCount"] == 1, found
    closed = gql(client, SEARCH, filter={"statuses": ["CLOSED"]})
    assert closed["data"]["searchPetitions"]["totalCount"] == 0
    lower = gql(client, SEARCH, filter={"statuses": ["registered"]})
    assert lower["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_searching_needs_a_login(client_for):
    errors = gql(client_for("xihu"), SEARCH, text="补偿")["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_AUTHENTICATED"


def test_a_city_checks_a_repeat_sees_only_the_restricted_shape_and_confirms_it(
    offices, officer_client, in_office, index_now
):
    chen = person("陈某")
    with in_office("xihu"):
        first = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
    index_now("xihu", first)
    with in_office("hangzhou"):
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    client, _ = officer_client("hangzhou", "handler")
    check = gql(client, CHECK, id=petition_gid(offices["hangzhou"], again))["data"]["checkRepeats"]
    check = check["check"]
    assert check["available"] and not check["onTerminatedMatter"]
    [candidate] = check["candidates"]
    assert candidate["reference"] == first.reference
    assert candidate["office"] == {"code": "330106", "level": "COUNTY"}
    assert candidate["visible"] is False and candidate["details"] is None
    assert candidate["canOpen"] is False
    assert candidate["reasons"] == [], "why it matched would tell about a petition it may not see"
    assert candidate["explanation"] == [], "the facts that agreed come from its content"
    confirmed = gql(client, CONFIRM, id=candidate["id"])["data"]["confirmRepeatCandidate"]
    assert confirmed["candidate"]["decision"] == "CONFIRMED"
    assert PetitionRecord.objects.get(petition_id=again.pk).is_repeat


def test_a_candidate_id_from_another_office_is_not_found(offices, officer_client, in_office):
    with tenant_context(offices["xihu"]):
        foreign = OfficeNode.to_global_id("RepeatCandidate", 1)
    client, _ = officer_client("hangzhou", "handler")
    errors = gql(client, CONFIRM, id=foreign)["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"


REPEAT_CHECK = """
query($id: ID!) {
  repeatCheck(petitionId: $id) {
    state available checkedAt
    candidates { candidatePetitionId reference canOpen later explanation reasons }
  }
}"""
REPEAT_CHECK_DETAILS = """
query($id: ID!) {
  repeatCheck(petitionId: $id) { candidates { visible canOpen explanation reasons } }
}"""
OPEN = "query($id: ID!) { crossOfficePetition(id: $id) { reference } }"


def test_a_check_is_pending_from_registration_then_both_petitions_show_the_repeat(
    offices, officer_client, in_office, index_now, es_index
):
    chen = person("陈某")
    with in_office("xihu"):
        first = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    client, _ = officer_client("xihu", "handler")
    first_id, again_id = (petition_gid(offices["xihu"], p) for p in (first, again))
    pending = gql(client, REPEAT_CHECK, id=again_id)["data"]["repeatCheck"]
    assert pending == {"state": "PENDING", "available": False, "checkedAt": None, "candidates": []}

    gql(client, CHECK, id=again_id)  # `first` was never indexed: the check still sees it
    done = gql(client, REPEAT_CHECK, id=again_id)["data"]["repeatCheck"]
    assert done["state"] == "DONE" and done["available"] and done["checkedAt"]
    [candidate] = done["candidates"]
    assert candidate["reference"] == first.reference and candidate["later"] is False
    assert candidate["canOpen"] is True
    assert "同一人: 身份证号" in candidate["explanation"]
    assert any(line.startswith("同一事项: ") for line in candidate["explanation"])
    assert "SAME_PERSON" in candidate["reasons"]
    opened = gql(client, OPEN, id=candidate["candidatePetitionId"])["data"]
    assert opened["crossOfficePetition"]["reference"] == first.reference

    # Its document gone from the index (search cannot give its content): the stored evidence and
    # its reasons are still shown to an office that may open it, by the one rule.
    es_client().delete(index=es_index, id=str(first.pk), refresh=True)
    check = gql(client, REPEAT_CHECK_DETAILS, id=again_id)["data"]["repeatCheck"]
    [unindexed] = check["candidates"]
    assert unindexed["visible"] is False and unindexed["canOpen"] is True
    assert "SAME_PERSON" in unindexed["reasons"]
    assert unindexed["explanation"] == candidate["explanation"]

    [later] = gql(client, REPEAT_CHECK, id=first_id)["data"]["repeatCheck"]["candidates"]
    assert later["reference"] == again.reference and later["later"] is True, "both learn of it"


PREVIEW = """
query($petitioners: [PetitionerInput!]!, $content: String!, $place: String, $placeCode: String,
      $category: String) {
  repeatPreview(petitioners: $petitioners, content: $content, place: $place,
                placeCode: $placeCode, category: $category) {
    candidates { reference visible reasons explanation }
  }
}"""


def test_the_draft_check_explains_a_candidate_only_to_an_office_that_may_see_it(
    officer_client, in_office, index_now
):
    chen = person("陈某")
    with in_office("xihu"):
        first = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
    index_now("xihu", first)
    draft = {
        "petitioners": [{"name": chen.name, "idNumber": chen.id_number}],
        "content": REWORDED,
        "place": PLACE,
        "placeCode": "330106",
        "category": "01.01",
    }

    def preview(office):
        client, _ = officer_client(office, "registrar")
        [candidate] = gql(client, PREVIEW, **draft)["data"]["repeatPreview"]["candidates"]
        assert candidate["reference"] == first.reference
        return candidate

    own = preview("xihu")
    assert own["visible"] is True
    assert "同一人: 身份证号" in own["explanation"]
    assert any(line.startswith("同一事项: ") for line in own["explanation"])
    foreign = preview("yinzhou")  # another city's county: office, date, status and score only
    assert foreign["visible"] is False
    assert foreign["explanation"] == [] and foreign["reasons"] == []
