"""Progress lookup (可查询): reference + query code, public facts only, throttled."""

import pytest

from tests import factories
from tests.support.graphql import error_code, gql
from xinfang.platform.cases import progress, services
from xinfang.platform.cases.services import PetitionerInput

pytestmark = pytest.mark.django_db

LOOKUP = """
query($reference: String!, $code: String!) {
  petitionProgress(reference: $reference, queryCode: $code) {
    reference status registeredAt routedAt acceptedAt declinedAt extendedAt extendedUntil repliedAt
    steps { kind at }
    documents { title text sentAt }
  }
}
"""


def test_the_lookup_shows_dates_and_documents_but_no_notes_names_or_other_people(
    xihu_staff, in_office, client_for
):
    with in_office("xihu"):
        people = [PetitionerInput(name="郑一", id_number=factories.id_number()),
                  PetitionerInput(name="冯二", phone="13600000000")]  # fmt: skip
        registration = factories.petition(officer=xihu_staff["registrar"], petitioners=people)
        petition = registration.petition
        services.petition_route(
            petition=petition, officer=xihu_staff["registrar"], note="内部备注甲"
        )
        services.petition_accept(petition=petition, officer=xihu_staff["leader"], note="内部备注乙")
        services.petition_assign(
            petition=petition, officer=xihu_staff["leader"], handler=xihu_staff["handler"]
        )
        services.petition_extend(petition=petition, officer=xihu_staff["leader"], days=20,
                                 reason="需调取档案")  # fmt: skip
        services.petition_reply(
            petition=petition, officer=xihu_staff["handler"], opinion="答复意见正文"
        )
    body = gql(client_for("xihu"), LOOKUP, reference=petition.reference,
               code=registration.query_code.lower())  # fmt: skip
    data = body["data"]["petitionProgress"]
    assert data["reference"] == petition.reference
    assert all(data[f] for f in ("registeredAt", "routedAt", "acceptedAt", "extendedAt",
                                 "repliedAt", "extendedUntil"))  # fmt: skip
    assert data["declinedAt"] is None
    assert [s["kind"] for s in data["steps"]] == [
        "REGISTERED",
        "ROUTE",
        "ACCEPT",
        "EXTEND",
        "REPLY",
    ]
    assert [d["title"] for d in data["documents"]] == [
        "信访事项登记告知书", "受理告知书", "延期告知书", "处理意见书"
    ]  # fmt: skip
    text = str(body)
    for secret in ("内部备注", "郑一", "冯二", "1360000", xihu_staff["handler"].username, "assign"):
        assert secret not in text


def test_a_wrong_code_and_an_unknown_reference_look_the_same(xihu_staff, in_office, client_for):
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    client = client_for("xihu")
    wrong = gql(client, LOOKUP, reference=petition.reference, code="WRONGCODE1")
    unknown = gql(client, LOOKUP, reference="330106-1999-000001", code="WRONGCODE1")
    assert error_code(wrong) == error_code(unknown) == "NOT_FOUND"
    assert wrong["errors"][0]["message"] == unknown["errors"][0]["message"]


def test_wrong_codes_are_counted_and_lock_the_reference(xihu_staff, in_office, client_for):
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    reference, client = registration.petition.reference, client_for("xihu")
    for _ in range(progress.WRONG_CODES_PER_REFERENCE):
        assert error_code(gql(client, LOOKUP, reference=reference, code="BADBADBAD2")) == (
            "NOT_FOUND"
        )
    locked = gql(client, LOOKUP, reference=reference, code=registration.query_code)
    assert error_code(locked) == "THROTTLED"


def test_each_client_has_a_lookup_budget(xihu_staff, in_office, client_for, monkeypatch):
    monkeypatch.setattr(progress, "LOOKUPS_PER_CLIENT", 3)
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    client = client_for("xihu")
    args = {"reference": registration.petition.reference, "code": registration.query_code}
    for _ in range(3):
        assert "errors" not in gql(client, LOOKUP, **args)
    assert error_code(gql(client, LOOKUP, **args)) == "THROTTLED"


def test_the_lookup_budget_is_shared_by_every_office_host(
    xihu_staff, in_office, client_for, monkeypatch
):
    monkeypatch.setattr(progress, "LOOKUPS_PER_CLIENT", 3)
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    args = {"reference": registration.petition.reference, "code": registration.query_code}
    for _ in range(3):
        assert "errors" not in gql(client_for("xihu"), LOOKUP, **args)
    assert error_code(gql(client_for("yuhang"), LOOKUP, **args)) == "THROTTLED"
