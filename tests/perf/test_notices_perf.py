"""Notices per second through the outbox to a real SMTP server: N petitions registered with an
e-mail address commit in one transaction (N registration notices, N outbox effects); the real
Celery worker drains them (`notices.send`, 20 a batch, an SMTP session per notice) into the
run's aiosmtpd server. Printed: how fast they were recorded, how fast they were delivered from
the commit to the last message received, and the same drain alone in this process (no worker
busy indexing and checking the new petitions at the same time), and how fast the notices that
waited for their channel go once it is configured (released in bounded batches).

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_notices_perf.py -s`). Everything is
committed and removed again at the end. `XINFANG_BENCH_NOTICES=N` (default 500).
"""

import datetime
import os
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.recorded import settle_effects
from xinfang.platform.cases.models import Petition
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.notices.models import Notice
from xinfang.platform.notices.services import SEND, notices_release_waiting
from xinfang.platform.outbox import relay
from xinfang.platform.outbox.models import Effect
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
            mine = Notice.objects.filter(petition__in=petitions, status="sent")
            while mine.count() < COUNT and time.perf_counter() < deadline:  # the last commits
                time.sleep(0.2)
            sent = mine.count()
        print(
            f"\n[notices] {COUNT} registrations with their notices recorded in "
            f"{committed_at - started:.1f} s ({COUNT / (committed_at - started):.0f}/s); "
            f"{len(arrivals)} e-mails delivered in {elapsed:.1f} s after the commit: "
            f"{len(arrivals) / elapsed:.0f} notices/s through the outbox and one worker (which "
            f"also indexes and checks the new petitions); {sent} notices recorded sent"
        )
        assert len(arrivals) == COUNT and sent == COUNT
        assert len({m["Message-ID"] for m in smtp_server.messages}) == COUNT  # each once
        petitions += _drain_here(office, officer, smtp_server)
        petitions += _released_once_configured(office, officer, smtp_server, settings)
    finally:
        _remove(office, petitions, officer)


def _drain_here(office, officer, smtp_server) -> list[Petition]:
    """The drain alone, in this process: COUNT notices committed with their effects not yet due
    (the worker leaves them), then made due and drained here, batch after batch."""
    smtp_server.clear()
    made = []
    with tenant_context(office), transaction.atomic():
        for i in range(COUNT):
            person = PetitionerInput(name="钱七", id_number=factories.id_number(),
                                     email=f"q{i}@example.com")  # fmt: skip
            made.append(factories.petition(officer=officer, petitioners=[person]).petition)
        ids = [
            str(pk) for pk in Notice.objects.filter(petition__in=made).values_list("pk", flat=True)
        ]
        later = timezone.now() + datetime.timedelta(hours=1)
        Effect.objects.filter(kind=SEND, subject_id__in=ids).update(due_at=later)
    connection.set_schema_to_public()
    time.sleep(1)  # the commit's nudge found nothing due
    Effect.objects.filter(kind=SEND, subject_id__in=ids).update(due_at=timezone.now())
    started = time.perf_counter()
    drained = 0
    while drained < COUNT and time.perf_counter() - started < TIMEOUT:
        drained += relay.drain(SEND)[0]
    elapsed = time.perf_counter() - started
    print(f"[notices] the drain alone, in one process: {len(smtp_server.messages)} e-mails in "
          f"{elapsed:.1f} s, {len(smtp_server.messages) / elapsed:.0f} notices/s")  # fmt: skip
    assert len(smtp_server.messages) == COUNT
    return made


def _released_once_configured(office, officer, smtp_server, settings) -> list[Petition]:
    """COUNT notices recorded while e-mail was not configured wait, parked; once it is, the
    periodic release (`notices_release_waiting`, a bounded batch per channel and call) lets
    them go and this process drains them: from the first release to the last e-mail."""
    smtp_server.clear()
    host, settings.XINFANG_SMTP_HOST = settings.XINFANG_SMTP_HOST, ""
    made = []
    with tenant_context(office), transaction.atomic():
        for i in range(COUNT):
            person = PetitionerInput(name="孙八", id_number=factories.id_number(),
                                     email=f"r{i}@example.com")  # fmt: skip
            made.append(factories.petition(officer=officer, petitioners=[person]).petition)
    connection.set_schema_to_public()
    settings.XINFANG_SMTP_HOST = host
    started = time.perf_counter()
    releases = 0
    while len(smtp_server.messages) < COUNT and time.perf_counter() - started < TIMEOUT:
        releases += 1
        notices_release_waiting()
        while relay.drain(SEND)[0]:
            pass
    elapsed = time.perf_counter() - started
    print(f"[notices] waiting for their channel: {len(smtp_server.messages)} e-mails sent "
          f"{elapsed:.1f} s after e-mail was configured ({releases} releases of at most "
          f"{settings.XINFANG_NOTICE_RELEASE_BATCH}), "
          f"{len(smtp_server.messages) / elapsed:.0f} notices/s")  # fmt: skip
    assert len(smtp_server.messages) == COUNT
    return made


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
