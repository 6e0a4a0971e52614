"""After the commit, a real worker delivers the handoff (once), in the sender's schema."""

import time

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.exchange.test_atomicity import _cleanup
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff

pytestmark = pytest.mark.worker


def test_a_committed_transfer_is_delivered_by_the_worker(offices, committed, celery_worker_process):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
        petition = factories.petition(officer=officer).petition
        try:
            handoff = services.petition_transfer(
                petition_id=petition.pk, officer=officer, receiver_code="330110"
            )
            connection.set_schema_to_public()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                handoff.refresh_from_db()
                if handoff.notified_at is not None:
                    break
                time.sleep(0.2)
            assert handoff.notified_at is not None
            assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 1
        finally:
            _cleanup(offices, [petition.matter_id], [(offices["xihu"], officer)])
