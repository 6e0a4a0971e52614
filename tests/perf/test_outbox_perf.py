"""Index lag under load: 32 clients register petitions for a while, one real worker drains the
outbox (bulk indexing, repeat checks); how long after its commit is each petition searchable?

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_outbox_perf.py -s`). Everything is
committed and removed again at the end. Goal: index lag p95 under 5 s.
"""

import statistics
import threading
import time

import pytest
from django.db import connection, connections
from django_tenants.utils import tenant_context

from tests import factories
from xinfang.platform.cases.models import Petition
from xinfang.platform.outbox.models import Effect
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name
from xinfang.search.models import RepeatCheck

CLIENTS = 32
SECONDS = 30

pytestmark = pytest.mark.worker


def test_index_lag_with_32_clients_registering(
    offices, committed, celery_worker_process, search_index
):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
    committed_at: dict[str, float] = {}
    seen_at: dict[str, float] = {}
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        try:
            with tenant_context(offices["xihu"]):
                while not stop.is_set():
                    petition = factories.petition(officer=officer).petition
                    with lock:
                        committed_at[str(petition.pk)] = time.monotonic()
        finally:
            connections.close_all()

    def watch() -> None:
        client = es_client()
        while not stop.is_set() or len(seen_at) < len(committed_at):
            with lock:
                waiting = [pk for pk in committed_at if pk not in seen_at]
            for start in range(0, len(waiting), 500):
                docs = client.mget(index=alias_name(), ids=waiting[start : start + 500],
                                   source=False, realtime=False)["docs"]  # fmt: skip
                now = time.monotonic()
                seen_at.update((d["_id"], now) for d in docs if d.get("found"))
            if stop.is_set() and time.monotonic() > stopped_at + 120:
                return
            time.sleep(0.2)

    stopped_at = 0.0
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    watcher = threading.Thread(target=watch)
    started = time.monotonic()
    for t in [*threads, watcher]:
        t.start()
    try:
        time.sleep(SECONDS)
        stop.set()
        stopped_at = time.monotonic()
        for t in threads:
            t.join()
        watcher.join()
        drained = max(seen_at.values(), default=stopped_at) - stopped_at
        lags = sorted(seen_at[pk] - committed_at[pk] for pk in seen_at)
        p95 = lags[int(len(lags) * 0.95) - 1] if lags else float("nan")
        ids = list(committed_at)
        with tenant_context(offices["xihu"]):
            checked = RepeatCheck.objects.filter(petition_id__in=ids, state="done").count()
        took = stopped_at - started
        print(
            f"\n[outbox] {len(ids)} registrations by {CLIENTS} clients in {took:.0f} s "
            f"({len(ids) / took:.1f}/s); index lag p50 {statistics.median(lags):.2f} s, "
            f"p95 {p95:.2f} s, max {lags[-1]:.2f} s; drained {drained:.1f} s after the load; "
            f"{len(seen_at)} indexed, {checked} repeat-checked"
        )
        assert len(seen_at) == len(ids)
        assert p95 < 5
    finally:
        stop.set()
        connection.set_schema_to_public()
        with tenant_context(offices["xihu"]):
            Petition.objects.filter(pk__in=list(committed_at)).delete()
            officer.delete()
        connection.set_schema_to_public()
        PetitionRecord.objects.filter(petition_id__in=list(committed_at)).delete()
        Effect.objects.filter(subject_id__in=list(committed_at)).delete()
