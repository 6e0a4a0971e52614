"""How far an analyst can trust repeat and collective detection, measured on labelled corpora.

    XINFANG_INSTANCE=detection .venv/bin/python -m tests.perf.search_quality        # the table
    XINFANG_INSTANCE=detection .venv/bin/python -m tests.perf.search_quality --fit  # refit

For each corpus and seed: generate the petitions, turn each into its index document through the
real `search.indexing.document_for` (HMAC keys, facts), bulk them into a dedicated index with the
real mapping and analyzers (under this instance's prefix, deleted afterwards), run the real repeat
check (`search.repeats.find_matches`, at the default threshold) for every petition against the
petitions registered before it, and replay collective detection day by day through the real
alert life cycle (`search.collective.detect_groups` and `track`), then compare with the labels.

Corpora: `collisions` (tests/perf/collisions.py, the hard one; seeds 11–15 reported, 1–6
used for fitting) and `synthetic` (tests/perf/corpus.py, the first one, seed 7). The figures:

- recall@5: for each petition with earlier petitions on the same matter, the share of them (up
  to five) among its first five candidates; MRR: 1 / rank of the first such candidate.
- flag precision: candidates returned that are the same matter or the same person.
- relatives recall@5: earlier petitions on the matter by a relative or a neighbour (another
  person, no ID number) found among the first five; no-ID recall@5: earlier petitions by the same
  person where one of the two carries no ID number.
- calibration: every candidate retrieved (`find_matches` at 0, as the weights are fitted),
  binned by score (0.1 wide): count, mean score, share right (same matter or same person, as
  flag precision counts); ECE (count-weighted mean |mean score − share right|) and Brier score
  over all of them and over those shown at the threshold. Does a score of 0.8 mean eight in ten?
- collective, strict: an alert is right when most of its petitions belong to one labelled action
  and it is the only alert for that action; recall: actions (5+ people within 7 days) with one.
This command measures at `find_matches` level (Elasticsearch only, a few minutes a seed);
tests/perf/test_detection_graphql.py measures one seed end to end — registered in the offices'
schemas, checked by the worker's function, read through `repeatCheck` and `collectiveAlerts`
with each office's visibility — with the same `repeat_figures`, `calibration_figures` (of the
candidates `repeatCheck` shows) and `collective_figures`.
"""

import argparse
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")

REPORT_SEEDS = (11, 12, 13, 14, 15)
FIT_SEEDS = (1, 2, 3, 4, 5, 6)
SYNTHETIC_SEEDS = (7,)


@dataclass
class Label:
    petition_id: str
    registered_at: datetime
    person: str
    matter: str
    action: str | None
    relation: str
    has_id: bool


# --- corpora -> documents and labels ---------------------------------------------------------


def collisions(seed: int, scale: float = 1.0) -> tuple[list[dict], list[Label]]:
    """The collisions corpus as index documents, through the real document_for."""
    from tests.perf.collisions import OFFICES, generate
    from xinfang.platform.cases.models import Petition, Petitioner
    from xinfang.platform.pii import person_key, phone_key
    from xinfang.search.indexing import document_for

    docs, labels = [], []
    for case in generate(seed, scale):
        level, ancestors = OFFICES[case.office_code]
        office = SimpleNamespace(
            code=case.office_code,
            level=level,
            province_code="330000",
            ancestor_codes=list(ancestors),
        )
        petition = Petition(
            id=case.petition_id,
            matter_id=case.petition_id,  # every petition its own copy: matters are labels only
            reference=f"{case.office_code}-2026-{len(docs):06d}",
            channel="visit",
            category=case.category,
            place=case.place,
            place_code=case.place_code,
            accused_body=case.accused_body,
            content=case.content,
            registered_at=case.registered_at,
            updated_at=case.registered_at,
        )
        people = [
            Petitioner(
                name=p.name,
                address=p.address,
                person_key=person_key(p.id_number) if p.id_number else "",
                phone_key=phone_key(p.phone) if p.phone else "",
            )
            for p in case.petitioners
        ]
        docs.append(document_for(petition, None, office, people))
        labels.append(
            Label(
                petition_id=case.petition_id,
                registered_at=case.registered_at,
                person=case.person,
                matter=case.matter,
                action=case.action,
                relation=case.relation,
                has_id=bool(case.petitioners[0].id_number),
            )
        )
    return docs, labels


def synthetic(seed: int, scale: float = 1.0) -> tuple[list[dict], list[Label]]:
    """The first corpus (fake HMAC keys, no names, the facts production extracts)."""
    from tests.perf.corpus import generate

    docs, labels = [], []
    for item in generate(scale=max(1, round(scale)), seed=seed).items:
        docs.append(item.doc)
        labels.append(
            Label(
                petition_id=item.doc["petition_id"],
                registered_at=datetime.fromisoformat(item.doc["registered_at"]),
                person=item.person,
                matter=item.matter,
                action=item.group,
                relation="member" if item.group else "first",
                has_id=True,
            )
        )
    return docs, labels


CORPORA = {"collisions": collisions, "synthetic": synthetic}


def index_documents(docs: list[dict], name: str) -> None:
    from elasticsearch.helpers import streaming_bulk

    from xinfang.search.client import es_client
    from xinfang.search.documents import build_index

    client = es_client()
    client.indices.delete(index=name, ignore_unavailable=True)
    build_index(name).create(using=client)
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
    actions = ({"_index": name, "_id": d["petition_id"], "_source": d} for d in docs)
    for ok, result in streaming_bulk(client, actions, chunk_size=1000):
        if not ok:
            raise RuntimeError(result)
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)


def probe_of(doc: dict):
    from xinfang.search.repeats import Probe

    return Probe.from_document(doc)


# --- repeats ---------------------------------------------------------------------------------


def _ratio(hit: float, total: float) -> float:
    return hit / total if total else float("nan")


def measure_repeats(docs, labels, index: str, threshold: float | None = None) -> dict:
    """The figures at `threshold` (the default's), and the calibration of every candidate
    retrieved (`find_matches` at 0: all of them, as the weights were fitted)."""
    from xinfang.search import scoring
    from xinfang.search.repeats import find_matches

    threshold = scoring.DEFAULT_THRESHOLD if threshold is None else threshold
    found, scores, timings = [], [], []
    for doc in docs:
        started = time.perf_counter()
        matches = find_matches(probe_of(doc), threshold=0.0, index=index)
        timings.append(time.perf_counter() - started)
        found.append([m.petition_id for m in matches])
        scores.append([m.evidence.probability for m in matches])
    shown = [
        [f for f, p in zip(ids, ps, strict=True) if p >= threshold]
        for ids, ps in zip(found, scores, strict=True)
    ]
    return repeat_figures(labels, shown, timings) | {
        "calibration": calibration_figures(labels, found, scores, threshold)
    }


def _earlier(labels: list[Label]) -> list[tuple[list[Label], set[str]]]:
    """For each label, the earlier petitions on its matter and the ids of those by its person:
    what a candidate must be to be right (the label the weights are fitted to)."""
    by_matter, by_person = defaultdict(list), defaultdict(list)
    for label in labels:
        by_matter[label.matter].append(label)
        by_person[label.person].append(label)
    return [
        (
            [x for x in by_matter[label.matter] if x.registered_at < label.registered_at],
            {
                x.petition_id
                for x in by_person[label.person]
                if x.registered_at < label.registered_at
            },
        )
        for label in labels
    ]


def repeat_figures(labels: list[Label], found: list[list[str]], timings: list[float]) -> dict:
    """The figures of the candidates found for each petition (`found[i]`: the ids, best first,
    of the earlier petitions flagged for `labels[i]`) and the time each check took."""
    recall, ranks, flagged, right = [], [], 0, 0
    relatives, no_id = [], []
    for label, (earlier, same_person), candidates in zip(labels, _earlier(labels), found,
                                                          strict=True):  # fmt: skip
        top5 = set(candidates[:5])
        same_matter = {x.petition_id for x in earlier}
        flagged += len(candidates)
        right += sum(f in same_matter or f in same_person for f in candidates)
        if same_matter:
            recall.append(len(top5 & same_matter) / min(5, len(same_matter)))
            first = next((i for i, f in enumerate(candidates) if f in same_matter), None)
            ranks.append(0.0 if first is None else 1 / (first + 1))
        for other in earlier:
            if other.person != label.person and label.relation in ("relative", "neighbour"):
                relatives.append(other.petition_id in top5)
            if other.person == label.person and not (label.has_id and other.has_id):
                no_id.append(other.petition_id in top5)
    timings = sorted(timings)
    return {
        "probes": len(labels),
        "recall@5": sum(recall) / len(recall),
        "mrr": sum(ranks) / len(ranks),
        "flags": flagged,
        "flag_precision": _ratio(right, flagged),
        "relatives@5": _ratio(sum(relatives), len(relatives)),
        "relatives_n": len(relatives),
        "no_id@5": _ratio(sum(no_id), len(no_id)),
        "no_id_n": len(no_id),
        "p50_ms": timings[len(timings) // 2] * 1000,
        "p95_ms": timings[int(len(timings) * 0.95)] * 1000,
    }


def calibration_figures(
    labels: list[Label], found: list[list[str]], scores: list[list[float]], threshold: float
) -> dict:
    """Whether a score is the probability it claims: each candidate (`found[i]`, scored
    `scores[i]`) is right when it is the same matter or the same person, as flag precision
    counts; `all` over every candidate given, `shown` over those at `threshold` or above."""
    pairs = []
    for (earlier, same_person), candidates, probabilities in zip(
        _earlier(labels), found, scores, strict=True
    ):
        right = {x.petition_id for x in earlier} | same_person
        pairs += [(s, c in right) for c, s in zip(candidates, probabilities, strict=True)]
    return {
        "all": calibration(pairs),
        "shown": calibration([(s, right) for s, right in pairs if s >= threshold]),
        "threshold": threshold,
    }


def calibration(pairs: list[tuple[float, bool]], bins: int = 10) -> dict:
    """Reliability of (score, right) pairs: per score bin of width 1/`bins` (1.0 in the top one;
    empty bins left out) the count, mean score and share right; the expected calibration error
    (the count-weighted mean of |mean score − share right|) and the Brier score (the mean of
    (score − right)²)."""
    binned = defaultdict(list)
    for score, right in pairs:
        binned[min(int(score * bins), bins - 1)].append((score, right))
    table = [
        {
            "low": b / bins,
            "high": (b + 1) / bins,
            "count": len(items),
            "mean_score": sum(s for s, _ in items) / len(items),
            "observed": sum(r for _, r in items) / len(items),
        }
        for b, items in sorted(binned.items())
    ]
    n = len(pairs)
    return {
        "count": n,
        "bins": table,
        "ece": _ratio(sum(b["count"] * abs(b["mean_score"] - b["observed"]) for b in table), n),
        "brier": _ratio(sum((s - r) ** 2 for s, r in pairs), n),
    }


# --- collective ------------------------------------------------------------------------------


def real_actions(labels: list[Label], min_people: int = 5, days: int = 7) -> dict[str, set[str]]:
    """Labelled actions that reach `min_people` distinct people within `days` (the default
    office thresholds), by their petitions; joint letters count their signers."""
    members = defaultdict(list)
    for label in labels:
        if label.action:
            members[label.action].append(label)
    return {
        action: {m.petition_id for m in items}
        for action, items in members.items()
        if items[0].action.startswith("j")
        or max(
            len({x.person for x in items if 0 <= (x.registered_at - y.registered_at).days < days})
            for y in items
        )
        >= min_people
    }


def measure_collective(docs, labels) -> dict:
    """Replay detection once a day over the corpus's year, through the alert life cycle."""
    from xinfang.search.collective import LOOKBACK_DAYS, Member, detect_groups, track

    members = sorted((Member.from_source(d) for d in docs), key=lambda m: m.registered_at)
    start, end = members[0].registered_at, members[-1].registered_at + timedelta(days=8)
    alerts: list = []
    started = time.perf_counter()
    now, first = start + timedelta(days=1), 0
    while now <= end:
        while first < len(members) and members[first].registered_at < now - timedelta(
            days=LOOKBACK_DAYS
        ):
            first += 1
        window = [m for m in members[first:] if m.registered_at <= now]
        groups = detect_groups(window, lambda code: (5, 7))
        alerts = track(alerts, groups, now=now, window_days=lambda code: 7)
        now += timedelta(days=1)
    elapsed = time.perf_counter() - started
    live = [set(a.member_ids) for a in alerts if a.state != "merged"]
    return collective_figures(labels, live) | {"seconds": elapsed}


def collective_figures(labels: list[Label], alerts: list[set[str]]) -> dict:
    """Strict precision and recall of alerts (each: its petitions' ids; merged ones left out):
    an alert is right when most of its petitions belong to one labelled action and it is the
    first alert for that action; recall counts the actions with at least one."""
    truth = real_actions(labels)
    action_of = {label.petition_id: label.action for label in labels}
    owners: Counter = Counter()
    right = 0
    for members in alerts:
        votes = Counter(action_of.get(pid) for pid in members)
        action, count = votes.most_common(1)[0]
        if action in truth and count * 2 > len(members):
            owners[action] += 1
            right += owners[action] == 1
    return {
        "actions": len(truth),
        "alerts": len(alerts),
        "strict_precision": _ratio(right, len(alerts)),
        "recall": _ratio(len(owners), len(truth)),
    }


# --- running and reporting -------------------------------------------------------------------


def measure(corpus: str = "collisions", seed: int = 11, scale: float = 1.0) -> dict:
    from django.conf import settings

    from xinfang.search.client import es_client

    docs, labels = CORPORA[corpus](seed, scale)
    index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}_quality_{os.getpid()}"
    index_documents(docs, index)
    try:
        repeats = measure_repeats(docs, labels, index)
    finally:
        es_client().indices.delete(index=index, ignore_unavailable=True)
    return {
        "corpus": corpus,
        "seed": seed,
        "petitions": len(docs),
        "repeat": repeats,
        "collective": measure_collective(docs, labels),
    }


HEADER = (
    "| corpus, seed | petitions | recall@5 | MRR | flag precision (flags) | relatives@5 | "
    "no-ID@5 | collective strict precision (alerts / actions) | collective recall | "
    "check p50 / p95 |"
)


def row(f: dict) -> str:
    r, c = f["repeat"], f["collective"]
    return (
        f"| {f['corpus']} {f['seed']} | {f['petitions']} | {r['recall@5']:.3f} | {r['mrr']:.3f} | "
        f"{r['flag_precision']:.3f} ({r['flags']}) | "
        f"{r['relatives@5']:.3f} (n={r['relatives_n']}) | "
        f"{r['no_id@5']:.3f} (n={r['no_id_n']}) | {c['strict_precision']:.3f} "
        f"({c['alerts']} / {c['actions']}) | {c['recall']:.3f} | "
        f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms |"
    )


BINS_HEADER = "| corpus, seed | score | candidates | mean score | same matter or person |"
ERRORS_HEADER = (
    "| corpus, seed | candidates retrieved | ECE | Brier | candidates shown (≥ threshold) | ECE "
    "| Brier |"
)


def calibration_lines(runs: list[tuple[str, dict]]) -> list[str]:
    """Two tables of the runs' calibrations (name, `calibration_figures`): the bins of every
    candidate retrieved, then the ECE and Brier score over all of them and over those shown."""
    bins = [
        f"| {name} | {b['low']:.1f}–{b['high']:.1f} | {b['count']} | {b['mean_score']:.3f} | "
        f"{b['observed']:.3f} |"
        for name, c in runs
        for b in c["all"]["bins"]
    ]
    errors = [
        f"| {name} | {c['all']['count']} | {c['all']['ece']:.3f} | {c['all']['brier']:.4f} | "
        f"{c['shown']['count']} (≥ {c['threshold']:.2f}) | {c['shown']['ece']:.3f} | "
        f"{c['shown']['brier']:.4f} |"
        for name, c in runs
    ]
    return [
        *_headed(BINS_HEADER, bins),
        "",
        *_headed(ERRORS_HEADER, errors),
    ]


def _headed(header: str, rows: list[str]) -> list[str]:
    return [header, "|---" * (header.count("|") - 1) + "|", *rows]


def fit(seeds=FIT_SEEDS, scale: float = 1.0) -> None:
    """Fit the logistic weights of search/scoring.py on every retrieved candidate of the
    tuning seeds (label: same matter or same person), and print them."""
    from django.conf import settings

    from xinfang.search import scoring
    from xinfang.search.client import es_client
    from xinfang.search.repeats import find_matches

    rows, targets = [], []
    index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}_quality_{os.getpid()}"
    for seed in seeds:
        docs, labels = collisions(seed, scale)
        by_id = {label.petition_id: label for label in labels}
        index_documents(docs, index)
        try:
            for doc, label in zip(docs, labels, strict=True):
                for m in find_matches(probe_of(doc), threshold=0.0, index=index):
                    other = by_id[m.petition_id]
                    rows.append([m.evidence.values[k] for k in scoring.FEATURES])
                    targets.append(
                        float(other.matter == label.matter or other.person == label.person)
                    )
        finally:
            es_client().indices.delete(index=index, ignore_unavailable=True)
    bias, weights = fit_weights(rows, targets)
    print(f"{len(rows)} candidate pairs, {int(sum(targets))} true")
    print(f"BIAS = {bias:.2f}")
    print("WEIGHTS = {" + ", ".join(f'"{k}": {v:.2f}' for k, v in weights.items()) + "}")


def fit_weights(rows, targets, ridge: float = 0.1) -> tuple[float, dict[str, float]]:
    """Logistic regression by Newton's method with a small ridge, each weight kept to its sign
    in `scoring.SIGNS` (a projected Newton step over the weights not held at zero, halved
    until the loss falls)."""
    import numpy as np

    from xinfang.search import scoring

    x = np.hstack([np.ones((len(rows), 1)), np.array(rows, dtype=float)])
    y = np.array(targets, dtype=float)
    signs = np.array([0] + [scoring.SIGNS.get(k, 0) for k in scoring.FEATURES])
    low = np.where(signs > 0, 0.0, -np.inf)
    high = np.where(signs < 0, 0.0, np.inf)
    penalty = np.eye(x.shape[1]) * ridge
    penalty[0, 0] = 0
    # An HMAC identity match is never wrong about the person: let its weight grow.
    person = 1 + scoring.FEATURES.index("person")
    penalty[person, person] = ridge / 10

    def loss(w):
        z = x @ w
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * w @ penalty @ w)

    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x.T * (p * (1 - p))) @ x + penalty
        held = ((w <= low) & (gradient > 0)) | ((w >= high) & (gradient < 0))
        free = ~held
        step = np.zeros_like(w)
        step[free] = np.linalg.solve(hessian[np.ix_(free, free)], gradient[free])
        before, t = loss(w), 1.0
        while True:
            candidate = np.clip(w - t * step, low, high)
            if loss(candidate) <= before or t < 1e-6:
                break
            t /= 2
        done = np.max(np.abs(candidate - w)) < 1e-7
        w = candidate
        if done:
            break
    weights = zip(scoring.FEATURES, w[1:], strict=True)
    return float(w[0]), {k: round(float(v), 2) for k, v in weights}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--seeds", type=int, nargs="*", help="default: 11 to 15 (synthetic: 7)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--fit", action="store_true", help="refit scoring weights on seeds 1–6")
    args = parser.parse_args()
    django.setup()
    if args.fit:
        fit(args.seeds or FIT_SEEDS, args.scale)
        return
    runs = []
    if args.corpus in ("collisions", "all"):
        runs += [("collisions", s) for s in (args.seeds or REPORT_SEEDS)]
    if args.corpus in ("synthetic", "all"):
        runs += [("synthetic", s) for s in (args.seeds or SYNTHETIC_SEEDS)]
    for line in table(runs, args.scale):
        print(line, flush=True)


def table(runs, scale: float = 1.0, results: list | None = None):
    """The table's lines, one run at a time, then the runs' calibration; each run's figures
    appended to `results`."""
    results = [] if results is None else results
    yield from _headed(HEADER, [])
    for corpus, seed in runs:
        results.append(measure(corpus, seed, scale))
        yield row(results[-1])
    yield ""
    yield from calibration_lines(
        [(f"{f['corpus']} {f['seed']}", f["repeat"]["calibration"]) for f in results[-len(runs) :]]
    )


if __name__ == "__main__":
    main()
