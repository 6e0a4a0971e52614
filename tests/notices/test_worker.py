"""The whole path with real parts: a registration commits, the outbox relays its notice to the
Celery worker (the notices queue), which sends it to the SMTP server and records it sent."""

import time

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.notices.conftest import person
from tests.notices.test_delivery import _delete
from xinfang.platform.notices.models import Notice

pytestmark = pytest.mark.worker


def test_a_committed_registration_reaches_the_petitioner_by_email_through_the_worker(
    offices, committed, celery_worker_process, smtp
):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
        registration = factories.petition(officer=officer, petitioners=[person()])
    connection.set_schema_to_public()
    try:
        deadline = time.monotonic() + 30
        while not smtp.to("lisi@example.com") and time.monotonic() < deadline:
            time.sleep(0.1)
        (mail,) = smtp.to("lisi@example.com")
        assert registration.query_code in mail.get_content()
        with tenant_context(offices["xihu"]):
            notice = Notice.objects.get(petition=registration.petition)
            while notice.status != "sent" and time.monotonic() < deadline:  # its commit
                time.sleep(0.1)
                notice.refresh_from_db()
        assert (notice.status, notice.attempts, notice.provider_id) == (
            "sent", 1, mail["Message-ID"]
        )  # fmt: skip
    finally:
        _delete(offices["xihu"], registration.petition, officer)
