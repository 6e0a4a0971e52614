"""Sentry: errors from requests and Celery tasks, tagged with the office, scrubbed of personal data.

Chinese national ID numbers (18 digits, the last may be X; old 15-digit ones) and mainland mobile
numbers never leave the process: every string in an event is scrubbed before it is sent.

One event per cause: when PostgreSQL restarts, every request and task fails the same way; each
process sends the first event of a cause (exception type and message, digits ignored) and drops
the repeats for `REPEAT_WINDOW` seconds.
"""

import functools
import re
import threading
import time

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from xinfang.platform.pii import redact_numbers


def scrub_text(text: str) -> str:
    return redact_numbers(text)


def _scrub(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v) for v in value)
    return value


def _current_office_tags() -> dict[str, str]:
    from django.db import connection

    tenant = getattr(connection, "tenant", None)
    schema = getattr(connection, "schema_name", None)
    tags = {"office_schema": schema or "public"}
    if tenant is not None and getattr(tenant, "level", ""):
        tags["office_level"] = tenant.level
        tags["office_code"] = tenant.code or ""
    return tags


REPEAT_WINDOW = 10 * 60
_DIGITS = re.compile(r"\d+")


class _OncePerCause:
    def __init__(self, window: float) -> None:
        self.window = window
        self._last_sent: dict[str, float] = {}
        self._lock = threading.Lock()

    def first(self, cause: str) -> bool:
        now = time.monotonic()
        with self._lock:
            last = self._last_sent.get(cause)
            if last is not None and now - last < self.window:
                return False
            if len(self._last_sent) > 1000:
                self._last_sent.clear()
            self._last_sent[cause] = now
            return True


def cause_of(event, hint) -> str:
    """What makes two events the same failure: the exception's type and message (or the logged
    message), numbers (ports, pids, ids) ignored."""
    exc_info = (hint or {}).get("exc_info")
    if exc_info and exc_info[0] is not None:
        text = f"{exc_info[0].__module__}.{exc_info[0].__qualname__}: {exc_info[1]}"
    else:
        text = str((event.get("logentry") or {}).get("message") or event.get("message") or "")
    return _DIGITS.sub("#", text)


def before_send(event, hint, *, once: _OncePerCause):
    if not once.first(cause_of(event, hint)):
        return None
    event = _scrub(event)
    event.setdefault("tags", {}).update(_current_office_tags())
    return event


def before_breadcrumb(crumb, hint):
    return _scrub(crumb)


def init_sentry(*, dsn: str, environment: str = "local", transport=None) -> None:
    """Initialise sentry-sdk when a DSN is set (tests pass a recording `transport`)."""
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No personal data by default: send_default_pii and data_collection are left unset (the
        # SDK's default sends none; the explicit False is deprecated); before_send scrubs the rest.
        before_send=functools.partial(before_send, once=_OncePerCause(REPEAT_WINDOW)),
        before_breadcrumb=before_breadcrumb,
        transport=transport,
        traces_sample_rate=0.0,
    )
