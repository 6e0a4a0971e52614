"""Index lag under load: 32 clients register petitions (each by another person) for a while;
workers as deployed (one per queue: default, index, checks) drain the outbox (bulk indexing,
repeat checks). How long after its commit is each petition searchable, and how fast do indexing
and repeat checks go?

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_outbox_perf.py -s`). Everything is
committed and removed again at the end. Goal: index lag p95 under 5 s; every petition indexed and
repeat-checked once the load stops.
"""

import itertools
import statistics
import threading
import time

import pytest
from django.db import connection, connections
from django.db.models import Count, Max, Min
from django_tenants.utils import tenant_context

from tests import factories
from tests.support import servers
from tests.support.recorded import settle_effects
from tests.support.varied import petition_fields
from xinfang.platform.cases.models import Petition
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.outbox.models import Effect
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name
from xinfang.search.effects import CHECK_REPEATS, INDEX
from xinfang.search.models import RepeatCheck

CLIENTS = 32
SECONDS = 30
DRAIN_LIMIT = 180  # seconds after the load for the last petition to be indexed and checked
QUEUES = ("default", "index", "checks")


@pytest.fixture
def queue_workers(offices, committed):
    servers.purge_queues()
    workers = [servers.worker(queue).start() for queue in QUEUES]
    try:
        servers.wait_for_workers(QUEUES)
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def _percentile(values: list[float], share: float) -> float:
    return values[max(int(len(values) * share) - 1, 0)]


def test_index_lag_with_32_clients_registering(offices, committed, queue_workers, search_index):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
    committed_at: dict[str, float] = {}
    seen_at: dict[str, float] = {}
    stop = threading.Event()
    lock = threading.Lock()
    serials = itertools.count()  # each petition by another person (tests/support/varied.py)

    def client() -> None:
        try:
            with tenant_context(offices["xihu"]):
                while not stop.is_set():
                    fields = petition_fields(next(serials))
                    person = PetitionerInput(name=fields.pop("name"), phone=fields.pop("phone"))
                    petition = factories.petition(
                        officer=officer, petitioners=[person], **fields
                    ).petition
                    with lock:
                        committed_at[str(petition.pk)] = time.monotonic()
        finally:
            connections.close_all()

    def watch() -> None:
        client = es_client()
        while time.monotonic() < (stopped_at or time.monotonic()) + DRAIN_LIMIT:
            with lock:
                waiting = [pk for pk in committed_at if pk not in seen_at]
            if stop.is_set() and not waiting:
                return
            for start in range(0, len(waiting), 500):
                docs = client.mget(index=alias_name(), ids=waiting[start : start + 500],
                                   source=False, realtime=False)["docs"]  # fmt: skip
                now = time.monotonic()
                seen_at.update((d["_id"], now) for d in docs if d.get("found"))
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
        ids = list(committed_at)
        checks = _wait_for_checks(offices["xihu"], ids, until=stopped_at + DRAIN_LIMIT)
        took = stopped_at - started
        lags = sorted(seen_at[pk] - committed_at[pk] for pk in seen_at)
        indexed_by = max(seen_at.values(), default=stopped_at) - stopped_at
        rates = _effect_rates(ids)
        print(
            f"\n[outbox] {len(ids)} registrations by {CLIENTS} clients in {took:.0f} s "
            f"({len(ids) / took:.1f}/s); index lag p50 {statistics.median(lags):.2f} s, "
            f"p95 {_percentile(lags, 0.95):.2f} s, max {lags[-1]:.2f} s; last indexed "
            f"{indexed_by:.1f} s after the load, last checked {checks - stopped_at:.1f} s after; "
            f"{len(seen_at)} indexed, repeat checks done for all: {checks != float('inf')}; "
            + "; ".join(
                f"{kind}: {n} effects in {drains} drains, {n / span:.1f}/s"
                for kind, (n, drains, span) in rates.items()
            )
        )
        assert len(seen_at) == len(ids)
        assert checks != float("inf")
        assert _percentile(lags, 0.95) < 5
    finally:
        stop.set()
        connection.set_schema_to_public()
        settle_effects(list(committed_at))
        with tenant_context(offices["xihu"]):
            Petition.objects.filter(pk__in=list(committed_at)).delete()
            officer.delete()
        connection.set_schema_to_public()
        PetitionRecord.objects.filter(petition_id__in=list(committed_at)).delete()
        Effect.objects.filter(subject_id__in=list(committed_at)).delete()


def _wait_for_checks(office, ids: list[str], *, until: float) -> float:
    """When every petition had its repeat check (monotonic), or inf if not by `until`."""
    while time.monotonic() < until:
        with tenant_context(office):
            done = RepeatCheck.objects.filter(petition_id__in=ids, state="done").count()
        if done == len(ids):
            return time.monotonic()
        time.sleep(0.5)
    return float("inf")


def _effect_rates(ids: list[str]) -> dict[str, tuple[int, int, float]]:
    """{kind: (effects done, distinct drain batches, seconds from the first to the last done)}."""
    connection.set_schema_to_public()
    rows = (
        Effect.objects.filter(subject_id__in=ids, kind__in=[INDEX, CHECK_REPEATS])
        .exclude(done_at=None)
        .values("kind")
        .annotate(
            n=Count("id"),
            drains=Count("done_at", distinct=True),
            first=Min("created_at"),
            last=Max("done_at"),
        )
    )
    return {
        r["kind"]: (r["n"], r["drains"], max((r["last"] - r["first"]).total_seconds(), 0.001))
        for r in rows
    }
