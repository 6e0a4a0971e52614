"""Notices per second through the outbox to a real SMTP server: N petitions registered with an
e-mail address commit in one transaction (N registration notices, N outbox effects); the real
Celery worker drains them (`notices.send`, 20 a batch, one SMTP session each) into the run's
aiosmtpd server. Printed: how fast they were recorded, and how fast they were delivered from
the commit to the last message received.

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_notices_perf.py -s`). Everything is
committed and removed again at the end. `XINFANG_BENCH_NOTICES=N` (default 500).
"""

import os
import time

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.recorded import settle_effects
from xinfang.platform.cases.models import Petition
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.notices.models import Notice
from xinfang.platform.registry.models import PetitionRecord

COUNT = int(os.environ.get("XINFANG_BENCH_NOTICES", "500"))
TIMEOUT = 300

pytestmark = pytest.mark.worker


def test_notices_per_second_through_the_outbox_to_smtp(
    offices, committed, celery_worker_process, smtp_server, settings
):
    settings.XINFANG_SMTP_HOST, settings.XINFANG_SMTP_PORT = "127.0.0.1", smtp_server.port
    smtp_server.clear()
    office = offices["xihu"]
    with tenant_context(office):
        officer = factories.officer(roles=("registrar",))
    petitions: list[Petition] = []
    try:
        started = time.perf_counter()
        with tenant_context(office), transaction.atomic():
            for i in range(COUNT):
                person = PetitionerInput(
                    name="赵六", id_number=factories.id_number(), email=f"p{i}@example.com"
                )
                petitions.append(factories.petition(officer=officer, petitioners=[person]).petition)
        committed_at = time.perf_counter()
        deadline = committed_at + TIMEOUT
        arrivals: list[float] = []
        while len(arrivals) < COUNT and time.perf_counter() < deadline:
            arrivals += [time.perf_counter()] * (len(smtp_server.messages) - len(arrivals))
            time.sleep(0.05)
        elapsed = arrivals[-1] - committed_at if arrivals else float("nan")
        with tenant_context(office):
            sent = Notice.objects.filter(petition__in=petitions, status="sent").count()
        print(
            f"\n[notices] {COUNT} registrations with their notices recorded in "
            f"{committed_at - started:.1f} s ({COUNT / (committed_at - started):.0f}/s); "
            f"{len(arrivals)} e-mails delivered in {elapsed:.1f} s after the commit: "
            f"{len(arrivals) / elapsed:.0f} notices/s through the outbox and one worker (which "
            f"also indexes and checks the new petitions); {sent} notices recorded sent"
        )
        assert len(arrivals) == COUNT and sent == COUNT
        assert len({m["Message-ID"] for m in smtp_server.messages}) == COUNT  # each once
    finally:
        _remove(office, petitions, officer)


def _remove(office, petitions, officer) -> None:
    with tenant_context(office):
        notices = list(Notice.objects.filter(petition__in=petitions).values_list("pk", flat=True))
    connection.set_schema_to_public()
    settle_effects([*(p.pk for p in petitions), *notices])
    with tenant_context(office):
        Petition.objects.filter(pk__in=[p.pk for p in petitions]).delete()
        officer.delete()
    connection.set_schema_to_public()
    PetitionRecord.objects.filter(petition_id__in=[p.pk for p in petitions]).delete()
