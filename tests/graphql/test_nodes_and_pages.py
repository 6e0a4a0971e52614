"""Global IDs resolve through `node` / `nodes` in their own office only; connections page by
keyset in a fixed number of queries, and refuse foreign cursors."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.support.graphql import error_code, gid, gql
from tests.support.queries import assert_queries
from xinfang.platform.accounts import services as accounts
from xinfang.platform.exchange import services as exchange
from xinfang.platform.supervision import services as supervision

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }"


def test_node_resolves_every_kind_of_object_in_the_office_that_issued_its_id(
    offices, officer_client, register, staff, act
):
    petition = register("xihu")
    with act("xihu"):
        handoff = exchange.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
        )
        petitioner = petition.petitioners.get()
        event = petition.events.order_by("at").first()
        admin = staff("xihu", roles=("admin", "registrar"))
        token = accounts.api_token_create(
            by=admin, officer=admin, name="12345", scopes=["registrar"]
        ).token
    with act("hangzhou"):
        order = supervision.order_issue(
            petition_id=handoff.receiver_petition_id,
            officer=staff("hangzhou"),
            reason="other",
            instructions="限期办结",
            due_date=timezone.localdate() + datetime.timedelta(days=5),
        )
    client, _ = officer_client("xihu", "admin", "registrar")
    ids = {
        "Petition": gid("Petition", "330106", petition.pk),
        "Petitioner": gid("Petitioner", "330106", petitioner.pk),
        "PetitionEvent": gid("PetitionEvent", "330106", event.pk),
        "Officer": gid("Officer", "330106", admin.pk),
        "ApiToken": gid("ApiToken", "330106", token.pk),
        "Handoff": gid("Handoff", "330106", handoff.pk),
        "Matter": gid("Matter", "330106", petition.matter_id),
        "CrossOfficePetition": gid("CrossOfficePetition", "330106", handoff.receiver_petition_id),
        "Office": gid("Office", "330106", "330110"),
    }
    for type_name, id_ in ids.items():
        body = gql(client, NODE, id=id_)
        assert body["data"]["node"] == {"id": id_, "__typename": type_name}, body
    city, _ = officer_client("hangzhou", "supervisor")
    order_id = gid("SupervisionOrder", "330100", order.pk)
    assert gql(city, NODE, id=order_id)["data"]["node"]["__typename"] == "SupervisionOrder"
    elsewhere, _ = officer_client("yuhang", "admin", "registrar")
    for type_name, id_ in ids.items():
        assert error_code(gql(elsewhere, NODE, id=id_)) == "NOT_FOUND", type_name


def test_nodes_answers_in_the_order_asked_with_null_for_what_is_not_found(officer_client, register):
    first, second = register("xihu"), register("xihu")
    client, _ = officer_client("xihu")
    ids = [
        gid("Petition", "330106", second.pk),
        gid("Petition", "330110", first.pk),  # another office's ID
        gid("Petition", "330106", first.pk),
    ]
    body = gql(client, NODES, ids=ids)
    assert [n and n["id"] for n in body["data"]["nodes"]] == [ids[0], None, ids[2]]
    too_many = gql(client, NODES, ids=[ids[0]] * 101)
    assert error_code(too_many) == "PAGE_SIZE_EXCEEDED"


OUTBOX = """
query($first: Int, $after: String, $last: Int, $before: String) {
  handoffOutbox(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { senderReference receiverOffice { code } } }
  }
}"""


def test_the_outbox_pages_by_keyset_both_ways_without_gaps_in_fixed_queries(
    offices, officer_client, register, staff, act
):
    sent = []
    for _ in range(5):
        petition = register("xihu")
        with act("xihu"):
            exchange.petition_transfer(
                petition_id=petition.pk, officer=staff("xihu"), receiver_code="330110"
            )
        sent.append(petition.reference)
    client, _ = officer_client("xihu")
    seen, after, starts = [], None, []
    while True:
        # host, session, officer, the page with its offices, the count
        with assert_queries(5):
            page = gql(client, OUTBOX, first=2, after=after)["data"]["handoffOutbox"]
        assert page["totalCount"] == 5
        seen += [edge["node"]["senderReference"] for edge in page["edges"]]
        starts.append(page["pageInfo"]["startCursor"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(sent)) and len(starts) == 3  # newest first, 2 + 2 + 1
    back = gql(client, OUTBOX, last=2, before=starts[1])["data"]["handoffOutbox"]
    assert [e["node"]["senderReference"] for e in back["edges"]] == seen[0:2]
    assert back["pageInfo"]["hasPreviousPage"] is False
    assert back["pageInfo"]["hasNextPage"] is True


def test_a_cursor_of_another_list_or_garbage_is_an_invalid_cursor(officer_client, register):
    register("xihu")
    client, _ = officer_client("xihu")
    petitions = gql(client, "{ petitions(first: 1) { pageInfo { endCursor } } }")
    cursor = petitions["data"]["petitions"]["pageInfo"]["endCursor"]
    for bad in (cursor, "not-a-cursor", "WyJ4Il0="):
        assert error_code(gql(client, OUTBOX, first=2, after=bad)) == "INVALID_CURSOR"
    assert error_code(gql(client, OUTBOX, first=2, last=2)) == "INVALID_PAGINATION"
    assert error_code(gql(client, OUTBOX, first=101)) == "GRAPHQL_VALIDATION_FAILED"


OFFICERS = """
query($role: Role, $after: String) { officers(first: 2, role: $role, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id username roles } } } }"""

TOKENS = "{ apiTokens { totalCount edges { node { id name scopes officer { username } } } } }"


def test_officers_and_tokens_are_pages_in_fixed_queries(offices, officer_client, staff):
    client, admin = officer_client("xihu", "admin", "registrar", username="a-admin")
    with tenant_context(offices["xihu"]):
        for name in ("b-handler", "c-handler", "d-handler"):
            staff_member = accounts.officer_create(
                by=admin, username=name, password="long enough pass 1", roles=["handler"]
            )
        for name in ("12345", "省平台"):
            accounts.api_token_create(by=admin, officer=staff_member, name=name, scopes=["handler"])
    with assert_queries(5):  # host, session, officer, the page, the count
        first = gql(client, OFFICERS, role="HANDLER")["data"]["officers"]
    assert first["totalCount"] == 3
    assert [e["node"]["username"] for e in first["edges"]] == ["b-handler", "c-handler"]
    assert first["edges"][0]["node"]["roles"] == ["HANDLER"]
    rest = gql(client, OFFICERS, role="HANDLER", after=first["pageInfo"]["endCursor"])
    assert [e["node"]["username"] for e in rest["data"]["officers"]["edges"]] == ["d-handler"]
    with assert_queries(5):  # the tokens come with their officers
        tokens = gql(client, TOKENS)["data"]["apiTokens"]
    assert [e["node"]["name"] for e in tokens["edges"]] == ["省平台", "12345"]
    assert tokens["edges"][0]["node"]["scopes"] == ["HANDLER"]


TIMELINE = """
query($id: ID!, $after: String) { petition(id: $id) {
  timeline(first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { kind toStatus actor { id } } }
  } } }"""


def test_a_petition_timeline_pages_oldest_first(offices, officer_client, register, staff, act):
    from xinfang.platform.cases import services as cases

    petition = register("xihu")
    with act("xihu"):
        petition = cases.petition_route(
            petition=petition.pk, officer=staff("xihu"), version=petition.version
        )
        cases.petition_accept(petition=petition.pk, officer=staff("xihu"), version=petition.version)
    client, _ = officer_client("xihu")
    id_ = gid("Petition", "330106", petition.pk)
    first = gql(client, TIMELINE, id=id_)["data"]["petition"]["timeline"]
    assert first["totalCount"] == 3
    assert [e["node"]["kind"] for e in first["edges"]] == ["REGISTERED", "ROUTE"]
    assert first["edges"][1]["node"]["toStatus"] == "ROUTED"
    rest = gql(client, TIMELINE, id=id_, after=first["pageInfo"]["endCursor"])
    page = rest["data"]["petition"]["timeline"]
    assert [e["node"]["kind"] for e in page["edges"]] == ["ACCEPT"]
    assert page["pageInfo"]["hasNextPage"] is False
