"""Guessing a query code (issue 14, goal 7): growing delays that slow the guesser, one count for
every way in (the progress lookup, the online receipt), counted atomically in Redis; never a
lockout of the petitioner."""

import threading

import pytest

from tests import factories
from tests.cases.test_progress import LOOKUP
from tests.support.graphql import error_code
from xinfang.platform import counters, delays
from xinfang.platform.cases import progress

pytestmark = pytest.mark.django_db

RECEIPT = """mutation($reference: String!, $code: String!) {
  sendPetitionReceipt(reference: $reference, queryCode: $code, email: "me@example.com") {
    channels } }"""


def post(client, document, reference, code, address):
    response = client.post(
        "/graphql/",
        {"query": document, "variables": {"reference": reference, "code": code}},
        content_type="application/json",
        REMOTE_ADDR=address,
    )
    return response.json()


@pytest.fixture
def registration(in_office, offices):
    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        return factories.petition(officer=officer)


def test_wrong_codes_for_the_receipt_slow_the_guessers_but_never_lock_the_petitioner_out(
    registration, client_for, clock, smtp
):
    reference, code, client = (registration.petition.reference, registration.query_code,
                               client_for("xihu"))  # fmt: skip
    for guess in range(30):  # many guessers, each waiting out the reference's delay
        clock.now += 61
        body = post(client, RECEIPT, reference, "BADBADBAD2", f"10.1.0.{guess}")
        assert error_code(body) == "NOT_FOUND"
    owner = post(client, RECEIPT, reference, code, "10.2.0.1")
    assert error_code(owner) == "THROTTLED"
    assert owner["errors"][0]["extensions"]["retryAfter"] == 60  # the cap, never an hour
    clock.now += 60
    sent = post(client, RECEIPT, reference, code, "10.2.0.1")
    assert sent["data"]["sendPetitionReceipt"]["channels"] == ["EMAIL"], sent


def test_the_receipt_and_the_progress_lookup_share_one_count_of_wrong_codes(
    registration, client_for, clock
):
    reference, client = registration.petition.reference, client_for("xihu")
    free = progress.REFERENCE_BACKOFF.free
    for guess in range(free + 1):  # alternating between the two ways in
        document = (RECEIPT, LOOKUP)[guess % 2]
        assert error_code(post(client, document, reference, "BADBADBAD2", f"10.3.0.{guess}")) == (
            "NOT_FOUND"
        )
    for document in (RECEIPT, LOOKUP):
        body = post(client, document, reference, "BADBADBAD2", "10.3.1.1")
        assert error_code(body) == "THROTTLED"
        assert body["errors"][0]["extensions"]["retryAfter"] == 2


def test_guesses_on_the_public_site_count_with_those_of_the_api(registration, client_for, clock):
    reference, client = registration.petition.reference, client_for("xihu")
    for guess in range(progress.REFERENCE_BACKOFF.free + 1):
        page = client.post("/public/progress", {"reference": reference,
                                                "query_code": "WRONGCODE234"},
                           REMOTE_ADDR=f"10.5.0.{guess}")  # fmt: skip
        assert page.status_code in (200, 400, 404, 429)
    body = post(client, LOOKUP, reference, "BADBADBAD2", "10.5.1.1")
    assert error_code(body) == "THROTTLED"


def test_rotating_the_secret_key_breaks_no_petitioners_lookup(registration, client_for, settings):
    """The query code's HMAC has a key of its own (XINFANG_QUERY_CODE_KEY)."""
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    args = (registration.petition.reference, registration.query_code)
    assert "errors" not in post(client_for("xihu"), LOOKUP, *args, "10.6.0.1")


def test_a_right_code_gives_back_its_own_count_only(registration, client_for, clock):
    """The petitioner's own lookups cost nothing; a guesser cannot wipe their record by
    looking up a petition of their own between guesses."""
    args, client = (registration.petition.reference, registration.query_code), client_for("xihu")
    for _ in range(20):
        assert "errors" not in post(client, LOOKUP, *args, "10.4.0.1")
    free = progress.CLIENT_BACKOFF.free
    for guess in range(free + 1):
        wrong = post(client, LOOKUP, f"330106-2026-8{guess:05d}", "BADBADBAD2", "10.4.0.1")
        assert error_code(wrong) == "NOT_FOUND"
    assert error_code(post(client, LOOKUP, *args, "10.4.0.1")) == "THROTTLED"
    clock.now += 2
    assert "errors" not in post(client, LOOKUP, *args, "10.4.0.1")
    # The next guess waits as it would have without the lookup between: 2 s, then 4 s.
    assert error_code(post(client, LOOKUP, "330106-2026-899998", "BADBADBAD2", "10.4.0.1")) == (
        "NOT_FOUND"
    )
    after = post(client, LOOKUP, "330106-2026-899999", "BADBADBAD2", "10.4.0.1")
    assert after["errors"][0]["extensions"] == {"code": "THROTTLED", "retryAfter": 4}


def test_concurrent_wrong_guesses_get_no_more_tries_than_patient_ones():
    """Forty guesses at once against the real Redis: exactly `free` + 1 are let through (the
    one after the free ones sets the wait); a read-then-write count let most of them pass."""
    backoff = delays.Backoff("concurrency-test", free=5, base=600, cap=600, memory=60)
    start, let_through, refused = threading.Barrier(40), [], []

    def guess():
        start.wait()
        try:
            let_through.append(backoff.attempt("the-reference", "wait"))
        except delays.Throttled as error:
            refused.append(error.extra["retryAfter"])

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(let_through) == backoff.free + 1
    # (a thread's clock was read a moment before the wait was set: 600 s and a fraction)
    assert len(refused) == 34 and all(600 <= wait <= 601 for wait in refused)
    stored = counters.client().hgetall(backoff.redis_key("the-reference"))
    assert int(stored[b"failures"]) == backoff.free + 1


def test_undoing_an_attempt_restores_the_wait_before_it():
    backoff = delays.Backoff("undo-test", free=1, base=100, cap=100, memory=60)
    backoff.attempt("k", "wait")  # the free one
    second = backoff.attempt("k", "wait")  # sets a wait of 100 s
    with pytest.raises(delays.Throttled):
        backoff.attempt("k", "wait")
    second.undo()  # it was right after all
    backoff.attempt("k", "wait")  # one free attempt again, not two
    with pytest.raises(delays.Throttled):
        backoff.attempt("k", "wait")
