"""Personal data: ID and phone numbers encrypted at rest, and `person_key` HMACs for matching.

Encryption uses MultiFernet over `XINFANG_FIELD_KEYS` (newest first): new values are encrypted with
the first key, every listed key still decrypts, and `rotate` re-encrypts under the newest.
The person_key is HMAC-SHA256 of the normalized number under a platform-wide secret, so every
office computes the same key for the same person without ever exchanging the number.
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.XINFANG_FIELD_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("encrypted field cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


# Numbers written into free text (the letter itself, a place, a request): Chinese national ID
# numbers (18 digits, the last may be X; old 15-digit ones), mainland mobile numbers and landline
# numbers with their area code (0571-88888888).
ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
MOBILE_NUMBER = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE_NUMBER = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
# Query codes (查询码, cases/services.py): 12 characters of 23456789 and the letters without
# I, L, O, with at least one digit (so ordinary upper-case words are left alone).
QUERY_CODE = re.compile(
    r"(?<![0-9A-Za-z])(?=[A-Za-z]*[2-9])[2-9A-HJKMNP-Za-hjkmnp-z]{12}(?![0-9A-Za-z])"
)
REDACTED = "[redacted]"


def mask_id_number(number: str) -> str:
    """330106********123X: the region and the last four, as officers' screens show it."""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}" if number else ""


def mask_id_numbers(text: str) -> str:
    """`text` with every ID number in it masked: what a notice to the petitioner may carry."""
    return ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text or "")


def redact_numbers(text: str) -> str:
    """`text` with every ID, mobile and landline number replaced: what may leave the
    database (Sentry, Elasticsearch)."""
    text = ID_NUMBER.sub(REDACTED, text or "")
    return LANDLINE_NUMBER.sub(REDACTED, MOBILE_NUMBER.sub(REDACTED, text))


def redact_for_logs(text: str) -> str:
    """What a log line may keep: no ID, phone or query code (platform/logs.py)."""
    return QUERY_CODE.sub(REDACTED, redact_numbers(text))


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def normalize_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of `kind:value` under the platform secret: how personal data is matched
    across offices (and stored in Elasticsearch) without the data itself."""
    return _hmac(kind, value)


def _hmac(kind: str, value: str) -> str:
    secret = settings.XINFANG_PERSON_KEY_SECRET.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def person_key(id_number: str) -> str:
    """The HMAC that identifies a person across offices by their national ID number."""
    return _hmac("id", normalize_id_number(id_number))


def phone_key(phone: str) -> str:
    return _hmac("phone", normalize_phone(phone))


def contact_key(name: str, phone: str) -> str:
    """The same name with the same phone number: how a person who gave no ID number is
    recognised (a phone alone may be a family's)."""
    name = re.sub(r"\s", "", name or "")
    return _hmac("contact", f"{name}|{normalize_phone(phone)}")


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code sees the clear text. Not searchable: match on HMACs."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def redact_reporter(text: str, *, names=(), addresses=(), numbers=()) -> str:
    """`text` with a reporter's name, ID and phone numbers and address taken out (检举人身份保密):
    what an accusation's copy may say to an office the reporter must stay hidden from. The
    people's own values go first (a name written anywhere in the letter), then every number."""
    text = text or ""
    for value, mark in (
        *((a, "[地址]") for a in addresses),
        *((n, "[号码]") for n in numbers),
        *((n, "[检举人]") for n in names),
    ):
        value = (value or "").strip()
        if len(value) >= 2:
            text = text.replace(value, mark)
    return redact_numbers(text)
