"""Petitions through GraphQL: list, detail, mutations, errors, global IDs, limits."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.support import petition_at
from tests.support.graphql import error_code, gid, gql
from tests.support.ladder import rereviewed
from tests.support.queries import assert_queries
from xinfang.platform.cases import services
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import QUERY_CODE_LENGTH, PetitionerInput

pytestmark = pytest.mark.django_db

LIST = """
query($first: Int, $after: String, $filter: PetitionFilterInput, $orderBy: PetitionOrdering) {
  petitions(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node {
      id reference status channel version dueState nextDue
      category { code name }
      handler { id username }
      petitioners { name idNumberMasked phone isRepresentative }
      latestEvent { kind at actor { username } }
      availableTransitions terminatedMatter { terminatedOn recheckReference }
    } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

DETAIL = """
query($id: ID!) {
  petition(id: $id) {
    id reference status version content request accusedBody extended
    dueNext { step due state }
    handler { username }
    petitioners { name idNumberMasked }
    timeline { edges { node { kind at public note actor { username } } } }
    reply { opinion issuedAt }
    evaluation { satisfaction }
    availableTransitions
  }
}
"""


def _references(body):
    return [edge["node"]["reference"] for edge in body["data"]["petitions"]["edges"]]


def _fill(xihu_staff, count):
    """`count` petitions, some with handlers, all with petitioners and events."""
    made = []
    for i in range(count):
        made.append(petition_at("in_handling" if i % 5 == 0 else "registered", officers=xihu_staff))
    return made


@pytest.mark.parametrize("count", [5, 50])
def test_listing_petitions_takes_the_same_number_of_queries_whatever_the_page_size(
    count, officer_client, xihu_staff, in_office
):
    client, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        _fill(xihu_staff, count)
    # 8 statements: host → office, session, officer, the page (with handlers), petitioners,
    # latest events (with actors); for terminatedMatter and availableTransitions the
    # petitioners' keys and the terminated matters they may be linked to
    with assert_queries(8):
        body = gql(client, LIST, first=count)
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["petitions"]["edges"]]
    assert len(nodes) == count
    assert all(node["petitioners"][0]["name"] == "张三" for node in nodes)
    assert all(node["latestEvent"]["actor"]["username"] for node in nodes)
    assert sum(1 for node in nodes if node["handler"]) == count // 5
    assert all(node["terminatedMatter"] is None for node in nodes)
    assert all("ROUTE" in n["availableTransitions"] for n in nodes if n["status"] == "REGISTERED")


def test_a_page_of_fifty_reads_its_terminations_in_two_queries(
    officer_client, xihu_staff, in_office
):
    client, _ = officer_client("xihu", "registrar", "leader")
    person = PetitionerInput(name="李四", id_number=factories.id_number(), phone="13700001234")
    with in_office("xihu"):
        ended = petition_at("replied", officers=xihu_staff, petitioners=[person])
        recheck = rereviewed(ended)
        _fill(xihu_staff, 48)
        again = factories.petition(officer=xihu_staff["registrar"], petitioners=[person]).petition
        admitted = factories.petition(officer=xihu_staff["registrar"], petitioners=[person])
        services.petition_admit_new_facts(
            petition=admitted.petition, officer=xihu_staff["leader"], reasons="新的证据"
        )
    with assert_queries(8):
        body = gql(client, LIST, first=50)
    nodes = {edge["node"]["reference"]: edge["node"] for edge in body["data"]["petitions"]["edges"]}
    assert len(nodes) == 50 and ended.reference not in nodes
    linked = nodes.pop(again.reference)
    assert linked["availableTransitions"] == ["DECLINE"]  # 不再受理 only
    assert linked["terminatedMatter"]["recheckReference"] == recheck.receiver_reference
    assert "ROUTE" in nodes[admitted.petition.reference]["availableTransitions"]
    assert all(node["terminatedMatter"] is None for node in nodes.values())


def test_a_list_without_personal_numbers_neither_reads_nor_decrypts_them(
    officer_client, xihu_staff, in_office
):
    client, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        _fill(xihu_staff, 10)
    query = "{ petitions(first: 10) { edges { node { reference petitioners { name } } } } }"
    with assert_queries(5) as ran:
        body = gql(client, query)
    assert all(e["node"]["petitioners"][0]["name"] for e in body["data"]["petitions"]["edges"])
    petitioner_sql = next(sql for sql in ran.sql if "cases_petitioner" in sql)
    assert '"id_number"' not in petitioner_sql and '"phone"' not in petitioner_sql


def test_the_detail_with_timeline_petitioners_reply_and_evaluation_takes_fixed_queries(
    officer_client, xihu_staff, in_office
):
    client, _ = officer_client("xihu", "leader")
    with in_office("xihu"):
        petition = petition_at("evaluated", officers=xihu_staff)
    # office, session, officer, petition, petitioners, timeline with its actors, reply,
    # evaluation; whether the matter was terminated (may it be 终结?): the petitioners' keys and
    # the terminated matters
    with assert_queries(10):
        body = gql(client, DETAIL, id=gid("Petition", "330106", petition.pk))
    data = body["data"]["petition"]
    assert data["status"] == "EVALUATED"
    assert [e["node"]["kind"] for e in data["timeline"]["edges"]] == [
        "REGISTERED", "ROUTE", "ACCEPT", "ASSIGN", "REPLY", "EVALUATE",
    ]  # fmt: skip
    assert data["reply"]["opinion"].startswith("经调查")
    assert data["evaluation"]["satisfaction"] == "SATISFIED"
    assert data["petitioners"][0]["idNumberMasked"].count("*") == 8
    assert data["availableTransitions"] == ["CLOSE", "REOPEN", "MEDIATE"]  # no 复核: no 终结


def test_pages_follow_one_another_without_gaps_or_repeats(officer_client, xihu_staff, in_office):
    client, _ = officer_client("xihu")
    with in_office("xihu"):
        made = [p.reference for p in _fill(xihu_staff, 5)]
    seen, after = [], None
    while True:
        body = gql(client, LIST, first=2, after=after)
        seen += _references(body)
        info = body["data"]["petitions"]["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == list(reversed(made))  # newest first


BACKWARD = """
query($last: Int, $before: String, $orderBy: PetitionOrdering) {
  petitions(last: $last, before: $before, orderBy: $orderBy) {
    edges { node { reference } }
    pageInfo { hasNextPage hasPreviousPage startCursor }
  }
}"""


@pytest.mark.parametrize("ordering", ["REGISTERED_DESC", "REGISTERED_ASC", "DUE_ASC"])
def test_pages_go_backward_from_the_end_to_the_start(
    officer_client, xihu_staff, in_office, ordering
):
    client, _ = officer_client("xihu")
    with in_office("xihu"):
        _fill(xihu_staff, 5)
    forward = _references(gql(client, LIST, first=10, orderBy=ordering))
    seen, before = [], None
    while True:
        body = gql(client, BACKWARD, last=2, before=before, orderBy=ordering)
        seen = _references(body) + seen
        info = body["data"]["petitions"]["pageInfo"]
        assert info["hasNextPage"] is (before is not None)
        if not info["hasPreviousPage"]:
            break
        before = info["startCursor"]
    assert seen == forward and len(seen) == 5


def test_first_and_last_together_are_refused(officer_client):
    client, _ = officer_client("xihu")
    body = gql(client, "{ petitions(first: 2, last: 2) { edges { cursor } } }")
    assert error_code(body) == "INVALID_PAGINATION"


def test_filters_narrow_the_list(officer_client, xihu_staff, in_office):
    client, _ = officer_client("xihu")
    with in_office("xihu"):
        letter = factories.petition(officer=xihu_staff["registrar"], channel="letter",
                                    category="02.01").petition  # fmt: skip
        handled = petition_at("in_handling", officers=xihu_staff)
        late = factories.petition(officer=xihu_staff["registrar"]).petition
        Petition.objects.filter(pk=late.pk).update(
            next_due=timezone.localdate() - datetime.timedelta(days=1)
        )
        Petition.objects.filter(pk=letter.pk).update(
            registered_at=timezone.now() - datetime.timedelta(days=40)
        )
    handler_id = gid("Officer", "330106", xihu_staff["handler"].pk)
    cases = {
        "channels": (dict(channels=["LETTER"]), [letter]),
        "category top level": (dict(categories=["02"]), [letter]),
        "statuses": (dict(statuses=["IN_HANDLING"]), [handled]),
        "handler": (dict(handlerId=handler_id), [handled]),
        "overdue": (dict(overdue=True), [late]),
        "date range": (
            dict(registeredTo=(timezone.localdate() - datetime.timedelta(days=30)).isoformat()),
            [letter],
        ),
    }
    for name, (filters, expected) in cases.items():
        body = gql(client, LIST, first=50, filter=filters)
        assert _references(body) == [p.reference for p in expected], name


def test_ordering_by_due_date_puts_the_most_urgent_first(officer_client, xihu_staff, in_office):
    client, _ = officer_client("xihu")
    with in_office("xihu"):
        later, sooner, none = (factories.petition(officer=xihu_staff["registrar"]).petition
                               for _ in range(3))  # fmt: skip
        today = timezone.localdate()
        Petition.objects.filter(pk=later.pk).update(next_due=today + datetime.timedelta(days=9))
        Petition.objects.filter(pk=sooner.pk).update(next_due=today + datetime.timedelta(days=2))
        Petition.objects.filter(pk=none.pk).update(next_due=None)
    first = gql(client, LIST, first=2, orderBy="DUE_ASC")
    assert _references(first) == [sooner.reference, later.reference]
    after = first["data"]["petitions"]["pageInfo"]["endCursor"]
    rest = gql(client, LIST, first=2, orderBy="DUE_ASC", after=after)
    assert _references(rest) == [none.reference]
    assert first["data"]["petitions"]["edges"][0]["node"]["dueState"] == "DUE_SOON"


def test_a_page_larger_than_the_limit_is_refused(officer_client, settings):
    client, _ = officer_client("xihu")
    too_many = settings.GRAPHQL_MAX_PAGE_SIZE + 1
    inline = gql(client, f"{{ petitions(first: {too_many}) {{ edges {{ cursor }} }} }}")
    assert error_code(inline) == "GRAPHQL_VALIDATION_FAILED"
    assert "per page" in inline["errors"][0]["message"]
    by_variable = gql(client, LIST, first=too_many)
    assert "per page" in by_variable["errors"][0]["message"]


def test_a_query_selecting_too_many_fields_is_refused(officer_client):
    client, _ = officer_client("xihu")
    aliases = " ".join(f"a{i}: __typename" for i in range(600))
    body = gql(client, "{ " + aliases + " }")
    assert error_code(body) == "GRAPHQL_VALIDATION_FAILED"


def test_a_petition_id_from_xihu_does_not_resolve_at_yuhang(officer_client, xihu_staff, in_office):
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    global_id = gid("Petition", "330106", petition.pk)
    xihu, _ = officer_client("xihu")
    yuhang, _ = officer_client("yuhang", "leader")
    assert gql(xihu, DETAIL, id=global_id)["data"]["petition"]["reference"] == petition.reference
    assert gql(xihu, "query($id: ID!) { node(id: $id) { id } }", id=global_id)["data"]["node"]
    assert error_code(gql(yuhang, DETAIL, id=global_id)) == "NOT_FOUND"
    assert error_code(gql(yuhang, "query($id: ID!) { node(id: $id) { id } }", id=global_id)) == (
        "NOT_FOUND"
    )
    # Even forged with Yuhang's code, the UUID is not in Yuhang's schema.
    forged = gid("Petition", "330110", petition.pk)
    assert gql(yuhang, DETAIL, id=forged)["data"]["petition"] is None


def test_listing_needs_a_logged_in_officer(client_for):
    assert error_code(gql(client_for("xihu"), LIST, first=5)) == "NOT_AUTHENTICATED"


REGISTER = """
mutation($petitioners: [PetitionerInput!]!) {
  registerPetition(channel: ONLINE, category: "02.01", place: "杭州市西湖区文三路",
                   content: "公司拖欠三个月工资", request: "支付欠薪", petitioners: $petitioners) {
    queryCode
    petition { id reference status nextDue petitioners { name idNumberMasked } }
  }
}
"""


def test_registering_through_graphql_returns_the_reference_and_query_code(officer_client):
    client, _ = officer_client("xihu", "registrar")
    number = factories.id_number()
    body = gql(client, REGISTER, petitioners=[{"name": "周九", "idNumber": number,
                                                "phone": "13700000000"}])  # fmt: skip
    payload = body["data"]["registerPetition"]
    assert payload["petition"]["reference"].startswith("330106-")
    assert payload["petition"]["status"] == "REGISTERED"
    assert len(payload["queryCode"]) == QUERY_CODE_LENGTH
    assert number not in str(body)


KEYED_REGISTER = """
mutation($content: String!, $key: String!) {
  registerPetition(channel: ONLINE, category: "02.05", place: "杭州市西湖区文三路",
                   content: $content, petitioners: [{name: "钱七"}], idempotencyKey: $key) {
    queryCode petition { reference }
  }
}
"""


def test_an_integrations_retried_registration_registers_once(officer_client, in_office):
    client, _ = officer_client("xihu", "registrar")
    args = {"content": "养老金未按时足额发放", "key": "gateway-req-4711"}
    first, again = gql(client, KEYED_REGISTER, **args), gql(client, KEYED_REGISTER, **args)
    assert first["data"] == again["data"]
    changed = gql(client, KEYED_REGISTER, **{**args, "content": "另一件事"})
    assert error_code(changed) == "IDEMPOTENCY_KEY_REUSED"
    with in_office("xihu"):
        assert Petition.objects.filter(content=args["content"]).count() == 1


def test_invalid_input_comes_back_with_a_code_and_field(officer_client):
    client, _ = officer_client("xihu", "registrar")
    body = gql(client, REGISTER, petitioners=[{"name": "吴十", "idNumber": "330106198001010000"}])
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INVALID_ID_NUMBER", "field": "petitioners.0.idNumber"}


def _mutate(client, name, petition_id, version, args=""):
    query = (
        f'mutation {{ {name}(id: "{petition_id}", version: {version}{args}) '
        "{ petition { status version } } }"
    )
    return gql(client, query)


def test_every_transition_has_a_mutation_and_errors_carry_stable_codes(
    officer_client, xihu_staff, in_office
):
    registrar, _ = officer_client("xihu", "registrar")
    leader, _ = officer_client("xihu", "leader")
    handler_client, handler = officer_client("xihu", "handler")
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    pid = gid("Petition", "330106", petition.pk)
    handler_id = gid("Officer", "330106", handler.pk)

    assert error_code(_mutate(registrar, "acceptPetition", pid, 1)) == "INVALID_TRANSITION"
    assert _mutate(registrar, "routePetition", pid, 1)["data"]["routePetition"]["petition"] == {
        "status": "ROUTED", "version": 2,
    }  # fmt: skip
    assert error_code(_mutate(leader, "acceptPetition", pid, 1)) == "STALE_VERSION"
    assert error_code(_mutate(handler_client, "acceptPetition", pid, 2)) == "PERMISSION_DENIED"
    steps = [
        (leader, "acceptPetition", ""),
        (leader, "assignPetition", f', handlerId: "{handler_id}"'),
        (leader, "extendPetition", ', days: 15, reason: "需要现场核查"'),
        (handler_client, "startHearing", ""),
        (handler_client, "endHearing", ""),
        (handler_client, "replyPetition", ', opinion: "经核查，已责成有关单位支付。"'),
        (registrar, "evaluatePetition", ", satisfaction: BASICALLY_SATISFIED"),
        (leader, "closePetition", ', outcome: {kind: SOLVED, summary: "欠薪已支付"}'),
    ]
    version = 2
    for client, name, args in steps:
        body = _mutate(client, name, pid, version, args)
        assert "errors" not in body, (name, body)
        version = body["data"][name]["petition"]["version"]
    terminate = (leader, "terminatePetition", pid, version)
    assert error_code(_mutate(*terminate, ', recheckReference: "浙信复核〔2026〕3号"')) == (
        "NOT_RE_REVIEWED"
    )
    with in_office("xihu"):
        recheck = rereviewed(Petition.objects.get(pk=petition.pk))
    body = _mutate(*terminate, f', recheckReference: "{recheck.receiver_reference}"')
    assert body["data"]["terminatePetition"]["petition"]["status"] == "TERMINATED", body
    with in_office("xihu"):
        assert Petition.objects.get(pk=petition.pk).status == Status.TERMINATED


def test_declining_through_graphql_names_the_channel(officer_client, xihu_staff, in_office):
    registrar, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    pid = gid("Petition", "330106", petition.pk)
    body = _mutate(registrar, "declinePetition", pid, 1,
                   ', reason: "属于劳动争议仲裁范围", redirectChannel: ARBITRATION')  # fmt: skip
    assert body["data"]["declinePetition"]["petition"]["status"] == "DECLINED"
