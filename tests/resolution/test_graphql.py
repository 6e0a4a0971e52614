"""Closing with an outcome, mediation and reopening over GraphQL: typed errors with their codes
and fields."""

import pytest

from tests.cases.support import petition_at
from tests.support.graphql import gid, gql
from xinfang.platform.cases.models import Petition
from xinfang.platform.resolution.models import Outcome, Reopening

pytestmark = pytest.mark.django_db

CLOSE = """
mutation($id: ID!, $v: Int!, $outcome: OutcomeInput!) {
  closePetition(id: $id, version: $v, outcome: $outcome) { petition { status version } } }"""
MEDIATE = """
mutation($id: ID!, $v: Int!, $a: MediationInput!) {
  mediatePetition(id: $id, version: $v, agreement: $a) { petition { status } } }"""
REOPEN = """
mutation($id: ID!, $v: Int!) {
  reopenPetition(id: $id, version: $v, reason: "依据不足") { petition { status } } }"""


def errors(body):
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]]


def test_closing_takes_an_outcome_and_mediation_its_agreement(officer_client, staff, in_office):
    leader, _ = officer_client("xihu", "leader")
    with in_office("xihu"):
        evaluated = petition_at("evaluated", officers=staff)
        handling = petition_at("in_handling", officers=staff)
    pid = gid("Petition", "330106", evaluated.pk)
    missing = gql(leader, CLOSE, id=pid, v=evaluated.version,
                  outcome={"kind": "EXPLAINED", "summary": "释法明理"})  # fmt: skip
    assert errors(missing) == [("OUTCOME_DETAIL_REQUIRED", "outcome.lawCited")]
    explained = {"kind": "EXPLAINED", "summary": "释法明理", "lawCited": "信访工作条例第三十一条"}
    body = gql(leader, CLOSE, id=pid, v=evaluated.version, outcome=explained)
    assert body["data"]["closePetition"]["petition"]["status"] == "CLOSED"

    hid = gid("Petition", "330106", handling.pk)
    one_party = {"summary": "调解", "title": "协议书", "text": "双方同意", "parties": ["甲"]}
    assert errors(gql(leader, MEDIATE, id=hid, v=handling.version, a=one_party))[0][0] == (
        "AGREEMENT_REQUIRED"
    )
    body = gql(
        leader, MEDIATE, id=hid, v=handling.version, a={**one_party, "parties": ["甲", "乙"]}
    )
    assert body["data"]["mediatePetition"]["petition"]["status"] == "CLOSED"
    with in_office("xihu"):
        assert Outcome.objects.get(petition_id=handling.pk).agreement_parties == ["甲", "乙"]


def test_a_leader_reopens_a_closed_matter(officer_client, staff, in_office):
    leader, _ = officer_client("xihu", "leader")
    handler, _ = officer_client("xihu", "handler")
    with in_office("xihu"):
        replied = petition_at("replied", officers=staff)
    pid = gid("Petition", "330106", replied.pk)
    assert errors(gql(handler, REOPEN, id=pid, v=replied.version)) == [("PERMISSION_DENIED", None)]
    body = gql(leader, REOPEN, id=pid, v=replied.version)
    assert body["data"]["reopenPetition"]["petition"]["status"] == "IN_HANDLING"
    with in_office("xihu"):
        assert Reopening.objects.get(petition_id=replied.pk).cause == "leader"
        assert Petition.objects.get(pk=replied.pk).handling_due is not None
