"""The daily scans over every office of the country, as beat starts them: each dispatcher walks the
office table and queues staggered chunks on the `scans` queue, one worker drains it.

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_scans_perf.py -s
-p no:cacheprovider --override-ini addopts=`; `XINFANG_BENCH_NATIONAL_LIMIT` bounds the offices).
The dispatchers' stagger window is shortened to `XINFANG_BENCH_STAGGER` seconds (default 60; 8
minutes in production). Printed: the chunks each dispatcher queued, the peak depth of the `scans`
queue (the broker's list, and with the messages a worker holds for their countdown), and the drain
time.
"""

import json
import os
import time

import redis

from tests.perf.offices import machine_load
from tests.support import servers
from xinfang.platform.cases.tasks import dispatch_overdue_scan
from xinfang.platform.resolution.tasks import dispatch_daily_scan
from xinfang.platform.supervision.tasks import rollup_metrics

STAGGER = int(os.environ.get("XINFANG_BENCH_STAGGER", "60"))


def depth(broker: redis.Redis, queue: str) -> tuple[int, int]:
    """Messages waiting in the queue's list, and those delivered to a worker, not yet done."""
    held = sum(
        1 for raw in broker.hvals("unacked") if json.loads(raw)[-1] == queue
    )  # [message, exchange, routing key]
    return broker.llen(queue), held


def test_daily_scans_of_every_office_fan_out_in_staggered_chunks(
    committed, national_offices, settings
):
    settings.XINFANG_STAGGER_WINDOW_SECONDS = STAGGER
    queue = settings.XINFANG_QUEUES["scans"]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    servers.purge_queues()
    worker = servers.worker("scans").start()
    try:
        started = time.monotonic()
        chunks = {
            "overdue": dispatch_overdue_scan(),
            "resolution": dispatch_daily_scan(),
            "rollups": rollup_metrics(),
        }
        dispatched = time.monotonic() - started
        peak_listed = peak_total = 0
        while time.monotonic() - started < 20 * 60:
            listed, held = depth(broker, queue)
            peak_listed, peak_total = max(peak_listed, listed), max(peak_total, listed + held)
            if listed + held == 0 and time.monotonic() - started > STAGGER:
                break
            time.sleep(0.5)
        drained = time.monotonic() - started
    finally:
        worker.stop()
    print(
        f"\n[scans] {len(national_offices) + 6} offices: chunks queued {chunks} in "
        f"{dispatched:.1f} s; peak depth of {queue}: {peak_listed} in the list, {peak_total} "
        f"with the messages the worker held; drained in {drained:.0f} s (stagger window "
        f"{STAGGER} s; {machine_load()})"
    )
    assert peak_total <= sum(chunks.values())  # never one message per office
    assert listed + held == 0
