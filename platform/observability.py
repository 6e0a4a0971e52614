"""Sentry: errors from requests and Celery tasks, tagged with the office, scrubbed of personal data.

Chinese national ID numbers (18 digits, the last may be X; old 15-digit ones) and mainland mobile
numbers never leave the process: every string in an event is scrubbed before it is sent.
"""

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


def before_send(event, hint):
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
        send_default_pii=False,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        transport=transport,
        traces_sample_rate=0.0,
    )
