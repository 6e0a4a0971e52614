"""Search at scale: 1,000,000 petitions in one index (the real mapping and analyzers).

Run with `make perf` (or `XINFANG_INSTANCE=search .venv/bin/pytest tests/perf/test_search_perf.py
-s -p no:cacheprovider --override-ini addopts=`). `XINFANG_BENCH_PETITIONS` changes the count.

Measures, on this machine:
- bulk indexing rate (goal ≥ 3,000 petitions/s) into a dedicated benchmark index with refresh
  off during the load: documents are built in batches of `BUILD` (facts extracted, as
  production's `document_for` does; timed apart and printed as the building rate, since workers
  build them in parallel in production), then serialized and sent in bulk requests of
  `CHUNK` documents on two connections (timed: the indexing rate);
- index size per petition (`_stats`, primary store);
- repeat check p95 (`search.repeats.find_matches`: query + verification; goal < 100 ms);
- officer search p95 (`search.selectors.search_petitions`: scoped full text, highlights and four
  facets; goal < 100 ms), for a county and for the province.
The documents are those of tests/perf/corpus.py, with the facts production extracts, so the
repeat query has its real shape (person keys, subject filters, facts, `more_like_this`). The
benchmark index is deleted at the end, whatever happens. Precision and recall are measured by
tests/perf/test_detection_quality.py.
"""

import itertools
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.perf.corpus import stream_documents
from xinfang.search.client import es_client
from xinfang.search.documents import build_index
from xinfang.search.repeats import Probe, find_matches
from xinfang.search.selectors import search_petitions

COUNT = int(os.environ.get("XINFANG_BENCH_PETITIONS", "1000000"))
BUILD = 50_000  # documents built before each timed load (bounded memory)
CHUNK = 2_500  # documents per bulk request: fewer, larger requests index faster here
SENDERS = 2  # concurrent bulk requests (the node has two cores)
QUERIES = [
    "补偿款",
    "拖欠 工资",
    "噪声 扰民",
    "物业费",
    "排污 河道",
    "漏水 开裂",
    "入学",
    "医疗 赔偿",
]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(len(ordered) * 0.95)] * 1000


def p50(samples: list[float]) -> float:
    return sorted(samples)[len(samples) // 2] * 1000


@pytest.fixture
def bench_index(real_services):
    name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}_bench"
    client = es_client().options(request_timeout=600)
    client.indices.delete(index=name, ignore_unavailable=True)
    build_index(name).create(using=client)
    try:
        yield name
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def test_search_at_a_million_petitions(bench_index):
    client = es_client().options(request_timeout=600)
    client.indices.put_settings(
        index=bench_index,
        settings={"index": {"refresh_interval": "-1", "translog.durability": "async"}},
    )
    samples: list[dict] = []
    build_seconds = load_seconds = 0.0
    failed = 0

    def body(docs: list[dict]) -> bytes:
        lines = []
        for doc in docs:
            lines.append(json.dumps({"index": {"_id": doc["petition_id"]}}))
            lines.append(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        return ("\n".join(lines) + "\n").encode()

    def send(docs: list[dict]) -> int:
        response = client.bulk(index=bench_index, operations=body(docs))
        return sum("error" in item["index"] for item in response["items"])

    documents = stream_documents(COUNT)
    loads = [os.getloadavg()[0]]  # sampled at each batch: what else the machine was doing
    with ThreadPoolExecutor(SENDERS) as senders:
        while True:
            started = time.perf_counter()
            batch = list(itertools.islice(documents, BUILD))
            build_seconds += time.perf_counter() - started
            if not batch:
                break
            samples.extend(batch[7::1000])
            started = time.perf_counter()
            chunks = [batch[i : i + CHUNK] for i in range(0, len(batch), CHUNK)]
            failed += sum(senders.map(send, chunks))
            load_seconds += time.perf_counter() - started
            loads.append(os.getloadavg()[0])
    client.indices.put_settings(
        index=bench_index,
        settings={"index": {"refresh_interval": "1s", "translog.durability": "request"}},
    )
    client.indices.refresh(index=bench_index)
    stats = client.indices.stats(index=bench_index, metric=["docs", "store"])["_all"]["primaries"]
    docs, size = stats["docs"]["count"], stats["store"]["size_in_bytes"]
    rate = COUNT / load_seconds

    rng = random.Random(3)
    repeat_times = []
    for doc in samples[:50]:  # warm up
        find_matches(Probe.from_document(doc), index=bench_index)
    for doc in rng.sample(samples, min(500, len(samples))):
        probe = Probe.from_document(doc)
        t = time.perf_counter()
        find_matches(probe, index=bench_index)
        repeat_times.append(time.perf_counter() - t)
    loads.append(os.getloadavg()[0])

    search_times = {"county": [], "province": []}
    offices = {"county": SimpleNamespace(code="330106"), "province": SimpleNamespace(code="330000")}
    for _ in range(20):  # warm up
        search_petitions(office=offices["county"], text=rng.choice(QUERIES), index=bench_index)
    for i in range(400):
        level = "county" if i % 2 else "province"
        t = time.perf_counter()
        search_petitions(office=offices[level], text=rng.choice(QUERIES), index=bench_index)
        search_times[level].append(time.perf_counter() - t)

    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC search benchmark, {COUNT:,} petitions "
        f"({os.cpu_count()} CPUs, Elasticsearch heap 512 MB)\n"
        f"  bulk indexing: {rate:,.0f} petitions/s ({load_seconds:.0f} s, {failed} failed; "
        f"documents built at {COUNT / build_seconds:,.0f}/s in one process, "
        f"{COUNT / (build_seconds + load_seconds):,.0f}/s end to end)\n"
        f"  load average (1 min) while loading and checking: {min(loads):.1f} to "
        f"{max(loads):.1f}, median {sorted(loads)[len(loads) // 2]:.1f}\n"
        f"  index size: {size / docs:,.0f} bytes per petition "
        f"({size / 2**20:,.0f} MiB, {docs:,} docs)\n"
        f"  repeat check p50 {p50(repeat_times):.1f} ms, p95 {p95(repeat_times):.1f} ms "
        f"(n={len(repeat_times)})\n"
        f"  officer search p95: county {p95(search_times['county']):.1f} ms, "
        f"province {p95(search_times['province']):.1f} ms"
    )
    assert failed == 0 and docs == COUNT
    assert rate >= 3000
    assert p95(repeat_times) < 100
    assert max(p95(t) for t in search_times.values()) < 100
