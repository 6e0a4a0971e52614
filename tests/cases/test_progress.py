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


def lookup(client, reference, code, address="10.0.0.1", **headers):
    response = client.post(
        "/graphql/",
        {"query": LOOKUP, "variables": {"reference": reference, "code": code}},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )
    return response.json()


def test_wrong_codes_slow_the_reference_down_but_never_lock_its_petitioner_out(
    xihu_staff, in_office, client_for, clock
):
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    reference, client = registration.petition.reference, client_for("xihu")
    # Guessers from many addresses: the reference's count is theirs together.
    for guess in range(30):
        clock.now += 61  # each waits out the reference's delay, as a patient guesser would
        assert error_code(lookup(client, reference, "BADBADBAD2", f"10.1.0.{guess}")) == (
            "NOT_FOUND"
        )
    owner = lookup(client, reference, registration.query_code, "10.2.0.1")
    assert error_code(owner) == "THROTTLED"
    assert owner["errors"][0]["extensions"]["retryAfter"] == 60  # the cap: never a lockout
    clock.now += 60
    assert "errors" not in lookup(client, reference, registration.query_code, "10.2.0.1")
    # The petitioner's success clears the reference: the next guess is not delayed by the past.
    assert error_code(lookup(client, reference, "BADBADBAD2", "10.1.9.9")) == "NOT_FOUND"


def test_a_guessing_client_waits_longer_after_every_wrong_code_on_every_office_host(
    xihu_staff, in_office, client_for, clock
):
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    args = (registration.petition.reference, registration.query_code)
    waits = []
    for guess in range(progress.CLIENT_BACKOFF.free + 4):
        host = client_for(["xihu", "yuhang"][guess % 2])  # one count on every office host
        reference = f"330106-2026-9{guess:05d}"  # a new reference each time: the client's count
        body = lookup(host, reference, "BADBADBAD2")
        if error_code(body) == "THROTTLED":
            waits.append(body["errors"][0]["extensions"]["retryAfter"])
            clock.now += waits[-1]
            body = lookup(host, reference, "BADBADBAD2")
        assert error_code(body) == "NOT_FOUND"
    assert waits == [2, 4, 8]
    # Another client is not slowed down by this one.
    assert "errors" not in lookup(client_for("xihu"), *args, address="10.9.9.9")


def test_the_lookup_refuses_an_over_long_reference_with_its_limit(client_for):
    body = lookup(client_for("xihu"), "3" * 100, "BADBADBAD2")
    assert error_code(body) == "TOO_LONG"
    assert body["errors"][0]["extensions"]["field"] == "reference"


def test_behind_a_trusted_proxy_each_petitioner_is_counted_by_their_own_address(
    xihu_staff, in_office, client_for, clock, settings
):
    settings.XINFANG_TRUSTED_PROXIES = "192.168.0.0/24"
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    client, proxy = client_for("xihu"), "192.168.0.7"

    def guess(forwarded_for, address=proxy):
        return lookup(client, "330106-2026-999999", "BADBADBAD2", address,
                      HTTP_X_FORWARDED_FOR=forwarded_for)  # fmt: skip

    for _ in range(progress.CLIENT_BACKOFF.free + 1):
        assert error_code(guess("203.0.113.9")) == "NOT_FOUND"
    assert error_code(guess("203.0.113.9")) == "THROTTLED"
    # A forged hop before the real one changes nothing: the proxy's own hop counts.
    assert error_code(guess("1.2.3.4, 203.0.113.9")) == "THROTTLED"
    # Another petitioner behind the same proxy is not slowed down.
    args = (registration.petition.reference, registration.query_code)
    assert "errors" not in lookup(client, *args, proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    # Connecting directly, the guesser cannot escape its count by naming another address.
    assert error_code(guess("198.51.100.77", address="203.0.113.9")) == "THROTTLED"
