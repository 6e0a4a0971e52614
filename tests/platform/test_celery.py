"""Tasks run in the schema of the office that queued them, on a real worker, which keeps its
database connection from task to task (no new connection per task)."""

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django_tenants.utils import tenant_context

from tests.support.probe_tasks import database_backend_pid, write_session_marker

pytestmark = pytest.mark.worker


def test_a_task_queued_from_one_office_writes_only_into_that_office(
    offices, committed, celery_worker_process
):
    key = uuid.uuid4().hex
    with tenant_context(offices["xihu"]):
        result = write_session_marker.delay(key)
    assert result.get(timeout=30) == f"{connection.settings_dict['NAME']}:office_330106"
    try:
        for name, office in offices.items():
            with tenant_context(office):
                assert Session.objects.filter(session_key=key).exists() == (name == "xihu")
    finally:
        with tenant_context(offices["xihu"]):
            Session.objects.filter(session_key=key).delete()


def test_a_worker_reuses_its_database_connection_from_task_to_task(
    offices, committed, celery_worker_process
):
    pids = set()
    for office in ("xihu", "yuhang", "xihu"):
        with tenant_context(offices[office]):
            pids.add(database_backend_pid.delay().get(timeout=30))
    assert len(pids) == 1
