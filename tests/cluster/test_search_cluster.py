"""Elasticsearch as a 3-node cluster (`make cluster`: three integ-test-zip nodes on loopback, the
index with 3 primaries and a replica of each): one node is killed (SIGKILL) under indexing load;
every write the cluster acknowledged is still there and every search was answered throughout."""

import os
import signal
import statistics
import threading
import time
import uuid
from collections import Counter

from tests.support.load import Load
from xinfang.search.client import es_client, interactive_client
from xinfang.search.documents import alias_name, aliased_index

BATCH = 200


class IndexingLoad(Load):
    """Writers send bulk requests of new documents; an id counts as acknowledged only when its
    bulk item came back 200/201 (a request that raised acknowledged nothing)."""

    def __init__(self, writers: int = 2):
        super().__init__(writers)
        self.acknowledged: list[str] = []
        self.outcomes: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _once(self) -> None:
        ids = [uuid.uuid4().hex for _ in range(BATCH)]
        operations = []
        for i in ids:
            operations.append({"create": {"_index": alias_name(), "_id": i}})
            operations.append(
                {"petition_id": i, "office_code": "330106", "province_code": "330000",
                 "content": f"征地拆迁补偿款未发放 {i}", "registered_at": "2026-12-01"}
            )  # fmt: skip
        try:
            response = es_client().bulk(operations=operations, require_alias=True)
        except Exception as exc:  # what a client sees while a node dies: nothing acknowledged
            with self._lock:
                self.outcomes[f"request failed: {type(exc).__name__}"] += 1
            return
        with self._lock:
            for item in response["items"]:
                result = item["create"]
                if result["status"] in (200, 201):
                    self.acknowledged.append(result["_id"])
                    self.outcomes["acknowledged"] += 1
                elif result["status"] == 409:  # written by an attempt the client retried
                    self.acknowledged.append(result["_id"])
                    self.outcomes["acknowledged on a retry (409)"] += 1
                else:
                    self.outcomes[f"item {result['status']}"] += 1


class SearchLoad(Load):
    """An officer's search, over and over, with the interactive client (3 s, one retry on
    another node): each one answered or not, and how long it took."""

    def __init__(self):
        super().__init__()
        self.latencies: list[tuple[float, float]] = []  # (when, seconds)
        self.failures: list[tuple[float, str]] = []

    def _once(self) -> None:
        started = time.monotonic()
        try:
            query = {"match": {"content": "征地补偿"}}
            interactive_client().search(index=alias_name(), query=query, size=10)
            self.latencies.append((started, time.monotonic() - started))
        except Exception as exc:
            self.failures.append((started, f"{type(exc).__name__}: {exc}"[:200]))
        time.sleep(0.05)


def missing(ids: list[str]) -> list[str]:
    client = es_client()
    client.indices.refresh(index=alias_name())
    gone = []
    for i in range(0, len(ids), 1000):
        docs = client.mget(index=alias_name(), ids=ids[i : i + 1000], source=False)["docs"]
        gone += [d["_id"] for d in docs if not d.get("found")]
    return gone


def busiest_node() -> int:
    """The node holding the most primary shards of the index (the harshest one to lose)."""
    shards = es_client().cat.shards(index=aliased_index(), format="json", h="prirep,node")
    primaries = Counter(s["node"] for s in shards if s["prirep"] == "p")
    return int(primaries.most_common(1)[0][0].rsplit("-", 1)[1])


def test_killing_a_node_under_indexing_load_loses_no_acknowledged_write(cluster, search_index):
    client = es_client()
    health = client.cluster.health(index=search_index, wait_for_status="green", timeout="120s")
    assert health["number_of_nodes"] == 3
    settings = client.indices.get_settings(index=aliased_index())[aliased_index()]["settings"]
    assert settings["index"]["number_of_replicas"] == "1"  # auto-expanded from "0-1"
    victim = busiest_node()
    writes, searches = IndexingLoad().start(), SearchLoad().start()
    try:
        time.sleep(5)
        killed_at = time.monotonic()
        os.kill(cluster.es_pid(victim), signal.SIGKILL)
        time.sleep(15)
    finally:
        writes.stop()
        searches.stop()
    try:
        lost = missing(writes.acknowledged)
        after = [s for t, s in searches.latencies if t >= killed_at]
        print(
            f"\n[es cluster] killed xinfang-node-{victim} (most primaries) under load: "
            f"{writes.outcomes['acknowledged']} writes acknowledged, {len(lost)} of them lost; "
            f"other outcomes {dict(writes.outcomes - Counter(acknowledged=0)) or '-'}; "
            f"searches: {len(searches.latencies)} answered ({len(after)} after the kill, p50 "
            f"{statistics.median(after) * 1000:.0f} ms, max {max(after) * 1000:.0f} ms), "
            f"{len(searches.failures)} failed "
            f"{[(round(t - killed_at, 1), e) for t, e in searches.failures]} "
            f"(load {os.getloadavg()[0]:.1f})"
        )
        assert lost == []
        assert searches.failures == [] and after
        assert client.cluster.health()["number_of_nodes"] == 2
    finally:
        cluster.services("start", "elasticsearch")  # the killed node comes back and rejoins
        client.cluster.health(wait_for_status="green", wait_for_nodes="3", timeout="120s")
