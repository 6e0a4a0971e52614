"""Abuse limits of online filing, without any outside service: fixed-window counters in Redis (the
Django cache), per client address and per person, a honeypot field and a signed form token that
says when the form was handed out.

The numbers (docs/public-site.md says why):
- at most `ATTEMPTS_PER_CLIENT` submissions of the form per client address in 10 minutes,
  whatever their outcome: a person correcting typing errors stays far below it, a script does not;
- at most `FILINGS_PER_CLIENT` petitions filed per client address in an hour: mobile carriers put
  many phones behind one address (CGNAT), so this is a ceiling against floods, not per person;
- at most `FILINGS_PER_PERSON` petitions per ID number a day (counted by `person_key`, an HMAC:
  the number never reaches Redis);
- a form submitted less than `MIN_FORM_SECONDS` after it was handed out, or with the honeypot
  filled, is a robot's: refused without saying why.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from xinfang.platform.errors import ErrorCode, ServiceError

ATTEMPTS_PER_CLIENT = 30
FILINGS_PER_CLIENT = 10
FILINGS_PER_PERSON = 3
TOKEN_MAX_AGE_SECONDS = 4 * 60 * 60
TOKEN_SALT = "publicsite.filing-form"


class Throttled(ServiceError):
    code = ErrorCode.THROTTLED


class RejectedAsAutomated(ServiceError):
    """The honeypot was filled or the form came back faster than a person can fill it."""

    code = ErrorCode.FORM_REJECTED


class FormExpired(ServiceError):
    code = ErrorCode.FORM_EXPIRED


@dataclass(frozen=True)
class Window:
    """A fixed-window counter: at most `limit` hits per `seconds` for one key."""

    name: str
    limit: int
    seconds: int

    def _key(self, subject: str) -> str:
        return f"publicsite:{self.name}:{subject}"

    def count(self, subject: str) -> int:
        return cache.get(self._key(subject)) or 0

    def exceeded(self, subject: str) -> bool:
        return self.count(subject) >= self.limit

    def hit(self, subject: str) -> int:
        key = self._key(subject)
        cache.add(key, 0, timeout=self.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds)
            return 1


ATTEMPTS = Window("attempts", ATTEMPTS_PER_CLIENT, 10 * 60)
CLIENT_FILINGS = Window("filings-client", FILINGS_PER_CLIENT, 60 * 60)
PERSON_FILINGS = Window("filings-person", FILINGS_PER_PERSON, 24 * 60 * 60)


def count_attempt(client: str) -> None:
    """One more submission from this client; THROTTLED past the limit."""
    if ATTEMPTS.hit(client) > ATTEMPTS.limit:
        raise Throttled("too many submissions from this address; try again in 10 minutes")


def ensure_may_file(*, client: str, person_keys: list[str]) -> None:
    """THROTTLED when this client or one of these people filed too often already."""
    if CLIENT_FILINGS.exceeded(client):
        raise Throttled("too many petitions from this address; try again in an hour")
    if any(PERSON_FILINGS.exceeded(key) for key in person_keys):
        raise Throttled(
            "too many petitions with this ID number today; try again tomorrow",
            field="petitioners.0.idNumber",
        )


def count_filing(*, client: str, person_keys: list[str]) -> None:
    CLIENT_FILINGS.hit(client)
    for key in person_keys:
        PERSON_FILINGS.hit(key)


def form_token(key: str) -> str:
    """The hidden token of a filing form: its idempotency key and when it was handed out."""
    return signing.dumps({"k": key, "t": time.time()}, salt=TOKEN_SALT, compress=True)


def check_form(*, token: str, honeypot: str) -> str:
    """The form's idempotency key, once the form looks like a person's; else a typed error."""
    if honeypot:
        raise RejectedAsAutomated("the form was not filled by a person")
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise FormExpired("the form is older than 4 hours") from None
    except signing.BadSignature:
        raise RejectedAsAutomated("the form token is not ours") from None
    if time.time() - payload["t"] < settings.XINFANG_PUBLIC_FORM_MIN_SECONDS:
        raise RejectedAsAutomated("the form came back too fast")
    return str(payload["k"])
