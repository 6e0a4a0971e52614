"""Precision and recall of repeat and collective detection on the labelled corpus (corpus.py).

    XINFANG_INSTANCE=search .venv/bin/python -m tests.perf.search_quality [--scale 1]

Indexes the corpus into a dedicated index (the real mapping and analyzers, under this instance's
prefix), runs the real repeat query (`search.repeats.find_matches`) for every petition and the real
group detection (`search.collective.detect_groups`, 5 people in 7 days) over all of them, compares
with the labels, prints the figures and deletes the index.

- Repeats are judged by pairs (petition, earlier petition): a true pair has the same person or the
  same matter; precision = true found pairs / found pairs, recall = true found pairs / true pairs.
- Collective groups are judged by groups: a found group matches a labelled one when their
  petitions overlap with a Jaccard index of at least 0.5.
"""

import argparse
import os
import time
from collections import defaultdict
from datetime import datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")


def _setup():
    django.setup()


def index_corpus(corpus, name: str) -> None:
    from elasticsearch.helpers import streaming_bulk

    from xinfang.search.client import es_client
    from xinfang.search.documents import build_index

    client = es_client()
    client.indices.delete(index=name, ignore_unavailable=True)
    build_index(name).create(using=client)
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
    actions = (
        {"_index": name, "_id": item.doc["petition_id"], "_source": item.doc}
        for item in corpus.items
    )
    for ok, result in streaming_bulk(client, actions, chunk_size=1000):
        if not ok:
            raise RuntimeError(result)
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)


def probe_of(doc):
    from xinfang.search.repeats import Probe

    return Probe(
        petition_id=doc["petition_id"],
        matter_id=doc["matter_id"],
        province_code=doc["province_code"],
        registered_at=datetime.fromisoformat(doc["registered_at"]),
        content=doc["content"],
        place=doc["place"],
        place_code=doc["place_code"],
        accused_body=doc["accused_body"],
        category=doc["category"],
        person_keys=tuple(doc["person_keys"]),
        phone_keys=tuple(doc["phone_keys"]),
    )


def true_repeat_pairs(corpus) -> set[tuple[str, str]]:
    by_label: dict[str, list] = defaultdict(list)
    for item in corpus.items:
        by_label[f"person:{item.person}"].append(item)
        by_label[f"matter:{item.matter}"].append(item)
    pairs = set()
    for items in by_label.values():
        for a in items:
            for b in items:
                if a is not b and b.doc["registered_at"] <= a.doc["registered_at"]:
                    pairs.add((a.doc["petition_id"], b.doc["petition_id"]))
    return pairs


def _ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def measure_repeats(corpus, index: str) -> dict:
    from xinfang.search.repeats import find_matches

    truth = true_repeat_pairs(corpus)
    found: set[tuple[str, str]] = set()
    timings = []
    for item in corpus.items:
        started = time.perf_counter()
        matches = find_matches(probe_of(item.doc), index=index)
        timings.append(time.perf_counter() - started)
        found.update((item.doc["petition_id"], m.petition_id) for m in matches)
    hit = len(found & truth)
    timings.sort()
    return {
        "pairs_true": len(truth),
        "pairs_found": len(found),
        "precision": _ratio(hit, len(found)),
        "recall": _ratio(hit, len(truth)),
        "p95_ms": timings[int(len(timings) * 0.95)] * 1000,
    }


def measure_collective(corpus) -> dict:
    from xinfang.search.collective import Member, detect_groups

    members = [Member.from_source(item.doc) for item in corpus.items]
    started = time.perf_counter()
    groups = detect_groups(members, lambda code: (5, 7))
    elapsed = time.perf_counter() - started
    found = [{m.petition_id for m in g.members} for g in groups]
    truth = list(corpus.groups.values())

    def jaccard(a, b):
        return len(a & b) / len(a | b)

    matched_found = sum(any(jaccard(f, t) >= 0.5 for t in truth) for f in found)
    matched_truth = sum(any(jaccard(f, t) >= 0.5 for f in found) for t in truth)
    return {
        "groups_true": len(truth),
        "groups_found": len(found),
        "precision": _ratio(matched_found, len(found)),
        "recall": _ratio(matched_truth, len(truth)),
        "seconds": elapsed,
    }


def measure(scale: int = 1, seed: int = 7) -> dict:
    from django.conf import settings

    from tests.perf.corpus import generate
    from xinfang.search.client import es_client

    corpus = generate(scale=scale, seed=seed)
    index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}_quality"
    index_corpus(corpus, index)
    try:
        repeats = measure_repeats(corpus, index)
    finally:
        es_client().indices.delete(index=index, ignore_unavailable=True)
    return {
        "petitions": len(corpus.items),
        "repeat": repeats,
        "collective": measure_collective(corpus),
    }


def report(figures: dict) -> str:
    r, c = figures["repeat"], figures["collective"]
    return "\n".join(
        [
            f"corpus: {figures['petitions']} labelled petitions",
            f"repeat detection:     precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"({r['pairs_found']} pairs found, {r['pairs_true']} true; p95 {r['p95_ms']:.1f} ms)",
            f"collective detection: precision {c['precision']:.3f}  recall {c['recall']:.3f}  "
            f"({c['groups_found']} groups found, {c['groups_true']} true; {c['seconds']:.1f} s)",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="about 3,000 petitions per unit")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    _setup()
    print(report(measure(scale=args.scale, seed=args.seed)))


if __name__ == "__main__":
    main()
