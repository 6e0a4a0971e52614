"""Resolution over GraphQL: typed errors with their codes and fields, closing with an outcome,
mediation, the ledgers and metrics of a subtree for the right roles, the public schedule."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.support import petition_at
from tests.resolution.support import replied
from tests.support.graphql import gid, gql
from xinfang.platform.cases.models import Petition
from xinfang.platform.resolution import metrics, services

pytestmark = pytest.mark.django_db

RECORD = """
mutation($input: VisitInput!) { recordVisit(input: $input) {
  visit { id kind status returnFinding petitions { reference }
          followUps { owner { username } } } } }"""

CLOSE = """
mutation($id: ID!, $v: Int!, $outcome: OutcomeInput!) {
  closePetition(id: $id, version: $v, outcome: $outcome) { petition { status version } } }"""


def errors(body):
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]]


def test_visits_refuse_bad_input_with_typed_errors(officer_client, staff, in_office):
    client, handler = officer_client("xihu", "handler")
    with in_office("yuhang"):
        stranger = factories.officer(roles=("handler",))
    with in_office("xihu"):
        handling = petition_at("in_handling", officers=staff)
        answered = replied(staff)
    me = gid("Officer", "330106", handler.pk)
    base = {"kind": "RETURN", "officerIds": [me], "summary": "回访", "returnFinding": "IMPLEMENTED"}
    early = gql(
        client, RECORD, input={**base, "petitionIds": [gid("Petition", "330106", handling.pk)]}
    )
    assert errors(early) == [("OPINION_NOT_ISSUED", "petitionIds")]
    foreign = gql(
        client,
        RECORD,
        input={
            **base,
            "petitionIds": [gid("Petition", "330106", answered.pk)],
            "officerIds": [me, gid("Officer", "330110", stranger.pk)],
        },
    )
    assert errors(foreign) == [("OFFICER_OF_ANOTHER_OFFICE", "officerIds")]
    ownerless = gql(
        client,
        RECORD,
        input={
            **base,
            "petitionIds": [gid("Petition", "330106", answered.pk)],
            "followUps": [{"description": "补发", "dueOn": timezone.localdate().isoformat()}],
        },
    )
    assert errors(ownerless) == [("OWNER_REQUIRED", "ownerId")]
    body = gql(
        client,
        RECORD,
        input={
            **base,
            "petitionIds": [gid("Petition", "330106", answered.pk)],
            "followUps": [
                {"description": "补发", "ownerId": me, "dueOn": timezone.localdate().isoformat()}
            ],
        },
    )
    assert "errors" not in body, body
    visit = body["data"]["recordVisit"]["visit"]
    assert (visit["kind"], visit["status"], visit["returnFinding"]) == (
        "RETURN",
        "HELD",
        "IMPLEMENTED",
    )
    assert visit["followUps"] == [{"owner": {"username": handler.username}}]


STEPS = "query($p: ID!) { petitionResolution(petitionId: $p) { availableSteps } }"
INVESTIGATE = """
mutation($p: ID!, $sources: [SourceInput!]!) {
  recordInvestigation(petitionId: $p, mode: OPEN, findings: "属实", sources: $sources) {
    investigation { id } } }"""


def test_the_steps_offered_are_those_the_services_accept(officer_client, staff, in_office):
    handler, _ = officer_client("xihu", "handler")
    registrar, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        handling = gid("Petition", "330106", petition_at("in_handling", officers=staff).pk)
        answered = gid("Petition", "330106", replied(staff).pk)

    def steps(client, petition):
        return gql(client, STEPS, p=petition)["data"]["petitionResolution"]["availableSteps"]

    assert steps(handler, handling) == ["INVESTIGATE", "APPOINTMENT_VISIT", "FIELD_VISIT"]
    assert steps(handler, answered) == ["APPOINTMENT_VISIT", "RETURN_VISIT", "FIELD_VISIT"]
    assert steps(registrar, handling) == []
    both = [{"kind": "PETITIONER", "summary": "陈述"}, {"kind": "WITNESS", "summary": "证言"}]
    assert "errors" not in gql(handler, INVESTIGATE, p=handling, sources=both)
    assert errors(gql(handler, INVESTIGATE, p=answered, sources=both)) == [
        ("INVALID_STATE", "petitionId")
    ]
    assert errors(gql(registrar, INVESTIGATE, p=handling, sources=both))[0][0] == (
        "PERMISSION_DENIED"
    )


def test_closing_takes_an_outcome_and_mediation_its_agreement(officer_client, staff, in_office):
    leader, _ = officer_client("xihu", "leader")
    with in_office("xihu"):
        evaluated = petition_at("evaluated", officers=staff)
        handling = petition_at("in_handling", officers=staff)
    pid = gid("Petition", "330106", evaluated.pk)
    missing = gql(
        leader,
        CLOSE,
        id=pid,
        v=evaluated.version,
        outcome={"kind": "EXPLAINED", "summary": "释法明理"},
    )
    assert errors(missing) == [("OUTCOME_DETAIL_REQUIRED", "outcome.lawCited")]
    body = gql(
        leader,
        CLOSE,
        id=pid,
        v=evaluated.version,
        outcome={"kind": "EXPLAINED", "summary": "释法明理", "lawCited": "信访工作条例第三十一条"},
    )
    assert body["data"]["closePetition"]["petition"]["status"] == "CLOSED"

    mediate = """
    mutation($id: ID!, $v: Int!, $a: MediationInput!) {
      mediatePetition(id: $id, version: $v, agreement: $a) { petition { status } } }"""
    hid = gid("Petition", "330106", handling.pk)
    one_party = {"summary": "调解", "title": "协议书", "text": "双方同意", "parties": ["甲"]}
    assert errors(gql(leader, mediate, id=hid, v=handling.version, a=one_party))[0][0] == (
        "AGREEMENT_REQUIRED"
    )
    body = gql(
        leader, mediate, id=hid, v=handling.version, a={**one_party, "parties": ["甲", "乙"]}
    )
    assert body["data"]["mediatePetition"]["petition"]["status"] == "CLOSED"
    read = gql(
        leader,
        """query($p: ID!) { petitionResolution(petitionId: $p) {
        outcomes { kind agreement { title parties } } reopenings { cause } } }""",
        p=hid,
    )
    assert read["data"]["petitionResolution"] == {
        "outcomes": [
            {"kind": "MEDIATED", "agreement": {"title": "协议书", "parties": ["甲", "乙"]}}
        ],
        "reopenings": [],
    }


def test_the_city_reads_the_hard_case_ledger_and_metrics_of_its_subtree(
    offices, officer_client, staff, in_office, django_assert_max_num_queries
):
    today = timezone.localdate()
    with in_office("xihu"):
        for _ in range(3):
            petition = petition_at("in_handling", officers=staff)
            services.hard_case_open(
                officer=staff["leader"],
                petition=petition,
                reason="repeat",
                leader=staff["leader"],
                plan="包案",
                target_date=today + datetime.timedelta(days=30),
            )
        metrics.metrics_compute(month=today)
    ledger = """{ hardCaseLedger(first: 2) { totalCount pageInfo { hasNextPage }
      edges { node { id office { code } leaderName status overdue petitionId } } } }"""
    registrar, _ = officer_client("hangzhou", "registrar")
    assert errors(gql(registrar, ledger)) == [("PERMISSION_DENIED", None)]
    city, _ = officer_client("hangzhou", "supervisor")
    with django_assert_max_num_queries(8):
        body = gql(city, ledger)["data"]["hardCaseLedger"]
    assert body["totalCount"] == 3 and body["pageInfo"]["hasNextPage"] is True
    assert {e["node"]["office"]["code"] for e in body["edges"]} == {"330106"}
    assert (
        gql(officer_client("ningbo", "supervisor")[0], ledger)["data"]["hardCaseLedger"][
            "totalCount"
        ]
        == 0
    )
    figures = gql(
        city,
        """query($m: Date!) { resolutionMetrics(fromMonth: $m, toMonth: $m) {
        total { opinions closed resolutionRate } offices { office { code } } } }""",
        m=today.isoformat(),
    )["data"]["resolutionMetrics"]
    assert figures["total"] == {"opinions": 0, "closed": 0, "resolutionRate": None}
    assert figures["offices"] == [{"office": {"code": "330106"}}]


def test_the_reception_schedule_is_public(officer_client, client_for, staff, in_office):
    start = timezone.now() + datetime.timedelta(days=3)
    with in_office("xihu"):
        services.reception_schedule(
            officer=staff["leader"],
            leader=staff["leader2"],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="信访接待大厅",
            topic="劳动保障",
        )
    day = timezone.localdate(start).isoformat()
    body = gql(
        client_for("xihu"),
        """query($d: Date!) { receptionSchedule(start: $d, end: $d) {
        leaderName place topic } }""",
        d=day,
    )
    assert body["data"]["receptionSchedule"] == [
        {"leaderName": str(staff["leader2"]), "place": "信访接待大厅", "topic": "劳动保障"}
    ]
    assert errors(
        gql(
            client_for("xihu"),
            "query($d: Date!) { receptionSessions(start: $d, end: $d) { id } }",
            d=day,
        )
    ) == [("NOT_AUTHENTICATED", None)]


def test_the_supervision_overview_and_subtree_metrics_carry_resolution(
    offices, officer_client, staff, in_office
):
    today = timezone.localdate()
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=staff)
        services.hard_case_open(
            officer=staff["leader"],
            petition=petition,
            reason="collective",
            leader=staff["leader"],
            plan="包案",
            target_date=today + datetime.timedelta(days=10),
        )
        answered = replied(staff)
        # The opinion went out 40 days ago: its 30-day return visit is overdue today.
        Petition.objects.filter(pk=answered.pk).update(
            replied_at=timezone.now() - datetime.timedelta(days=40)
        )
        services.scan_office(today=today)
    city, _ = officer_client("hangzhou", "leader")
    body = gql(
        city,
        "{ supervisionOverview { resolution { openHardCases overdueHardCases "
        "overdueReturnVisits scannedOn } } }",
    )
    assert body["data"]["supervisionOverview"]["resolution"] == {
        "openHardCases": 1,
        "overdueHardCases": 0,
        "overdueReturnVisits": 1,
        "scannedOn": today.isoformat(),
    }
    assert gql(
        officer_client("ningbo", "leader")[0],
        "{ supervisionOverview { resolution { openHardCases } } }",
    )["data"]["supervisionOverview"]["resolution"] == {"openHardCases": 0}
    month = today.isoformat()
    body = gql(
        city,
        "query($m: Date!) { subtreeMetrics(fromMonth: $m, toMonth: $m) { "
        "resolution { total { opinions } offices { office { code } } } } }",
        m=month,
    )
    assert body["data"]["subtreeMetrics"]["resolution"] == {
        "total": {"opinions": 1},
        "offices": [{"office": {"code": "330106"}}],
    }
