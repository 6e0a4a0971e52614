"""How likely two petitions are one matter or one person: evidence, a probability, reasons.

Each pair of petitions yields `Evidence`: who agrees (ID, phone, name + phone, name + address,
household, kin named), how alike the texts are, whether place, district, body and category agree,
and which facts (search/facts.py) agree or contradict. A logistic model turns it into a
probability that the earlier petition is the same matter or the same person — the label the
quality command measures (tests/perf/search_quality.py); `WEIGHTS` were fitted by its `--fit`
option on tuning seeds (1–6) of the collisions corpus and are never fitted on the seeds it
reports. The score is therefore a confidence an officer can read as one: of the candidates scored
0.8, about eight in ten are right — so on the held-out seeds of that corpus, and cautious on
another (docs/detection.md, calibration). Offices set their own threshold (`DetectionSettings`);
the default is `DEFAULT_THRESHOLD`.

Reasons are what agreed, in words an officer reads: "同一人: 身份证号", "同一事项: 兰里村 征地拆迁
金额一致", "差异: 年份不同".
"""

import math
from dataclasses import dataclass, field

from xinfang.search import analysis, facts

DEFAULT_THRESHOLD = 0.5

# What one place and one topic mean depends on the topic: one estate's school-place refusals
# (入学招生) are one matter, one district's social-insurance complaints (社会保险) are each
# person's own. The model weighs "same subject" per category for the categories it was fitted
# on; any other category has the general weight only.
SUBJECT_CATEGORIES = ("01.01", "01.03", "01.05", "02.01", "02.02", "05.02", "07.01")
# The model's features; `features()` also returns the indicators the reasons name (id, phone,
# name_phone, name_address), which the model reads through `person` and `shared_phone`.
FEATURES = (
    "person", "shared_phone", "household", "kin",
    "similarity", "same_place", "place_conflict", "same_body", "body_conflict", "district_conflict",
    "same_category", "same_subject",
    *(f"agree_{facts.KIND_WORDS[kind]}" for kind in facts.KINDS),
    *(f"contradict_{facts.KIND_WORDS[kind]}" for kind in facts.KINDS),
    *(f"subject_{code}" for code in SUBJECT_CATEGORIES),
)  # fmt: skip
PERSON_FEATURES = ("person", "shared_phone", "household", "kin")
# Which way each feature may point, whatever a corpus says: an agreement is never evidence
# against, a contradiction or a conflict never evidence for (+1: weight ≥ 0, -1: weight ≤ 0).
# Left free, a fit reads the generator's habits instead (the members of one action state
# different areas, so "areas differ" came out as evidence of one matter). The per-category
# adjustments of same_subject are free: they say how much one place and one topic mean there.
SIGNS = {
    **{k: 1 for k in (*PERSON_FEATURES, "similarity", "same_place", "same_body", "same_category",
                      "same_subject")},
    **{k: -1 for k in ("place_conflict", "body_conflict", "district_conflict")},
    **{f"agree_{word}": 1 for word in facts.KIND_WORDS.values()},
    **{f"contradict_{word}": -1 for word in facts.KIND_WORDS.values()},
}  # fmt: skip
# Fitted with `python -m tests.perf.search_quality --fit` (seeds 1–6 of tests/perf/collisions),
# each weight kept to its sign in SIGNS.
BIAS = -20.35
WEIGHTS = {
    "person": 33.10, "shared_phone": 0.04, "household": 9.74, "kin": 1.92, "similarity": 6.81,
    "same_place": 3.19, "place_conflict": -3.19, "same_body": 1.41, "body_conflict": -9.46,
    "district_conflict": -0.74, "same_category": 0.00, "same_subject": 7.87, "agree_unit": 4.07,
    "agree_group": 1.87, "agree_project": 6.85, "agree_org": 3.29, "agree_official": 5.80,
    "agree_money": 7.44, "agree_area": 0.56, "agree_months": 0.27, "agree_year": 3.60,
    "contradict_unit": 0.00, "contradict_group": 0.00, "contradict_project": -1.51,
    "contradict_org": -0.39, "contradict_official": -2.27, "contradict_money": 0.00,
    "contradict_area": 0.00, "contradict_months": -0.07, "contradict_year": -6.68,
    "subject_01.01": -0.49, "subject_01.03": 0.69, "subject_01.05": 7.06, "subject_02.01": -0.36,
    "subject_02.02": -6.29, "subject_05.02": 3.81, "subject_07.01": 3.44,
}  # fmt: skip


@dataclass
class Profile:
    """What matching reads of one petition: its index document, parsed once."""

    person_keys: frozenset[str]
    phone_keys: frozenset[str]
    identity_keys: frozenset[str]
    household_keys: frozenset[str]
    name_keys: frozenset[str]
    kin_keys: frozenset[str]
    facts: facts.Facts
    bigrams: frozenset[str]
    place_key: str
    place_code: str
    body_key: str
    category: str

    @classmethod
    def of(cls, src: dict) -> "Profile":
        def keys(name):
            return frozenset(src.get(name) or ())

        return cls(
            person_keys=keys("person_keys"),
            phone_keys=keys("phone_keys"),
            identity_keys=keys("identity_keys"),
            household_keys=keys("household_keys"),
            name_keys=keys("name_keys"),
            kin_keys=keys("kin_keys"),
            facts=facts.Facts.from_keywords(src.get("facts")),
            bigrams=analysis.bigrams(src.get("content", "")),
            place_key=src.get("place_key") or "",
            place_code=src.get("place_code") or "",
            body_key=src.get("body_key") or "",
            category=src.get("category") or "",
        )


@dataclass
class Evidence:
    values: dict[str, float]
    comparison: facts.Comparison
    similarity: float
    probability: float = 0.0
    matter_probability: float = 0.0
    reasons: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    @property
    def same_person(self) -> bool:
        return bool(self.values["person"])

    @property
    def relative(self) -> bool:
        return not self.same_person and bool(self.values["household"] or self.values["kin"])

    @property
    def same_matter(self) -> bool:
        return self.matter_probability >= 0.5

    @property
    def strength(self) -> tuple:
        """What breaks a tie between equal probabilities: more evidence, never a date."""
        return (
            self.same_person,
            len(self.comparison.agree),
            -len(self.comparison.contradict),
            self.similarity,
        )


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(min(z, 40), -40)))


def logit(values: dict[str, float], *, without=()) -> float:
    return BIAS + sum(WEIGHTS[k] * values[k] for k in FEATURES if k not in without)


def features(a: Profile, b: Profile) -> tuple[dict[str, float], facts.Comparison, float]:
    similarity = analysis.content_similarity(a.bigrams, b.bigrams)
    subject = analysis.subject_match(
        place_key=a.place_key,
        place_code=a.place_code,
        body_key=a.body_key,
        category=a.category,
        other_place_key=b.place_key,
        other_place_code=b.place_code,
        other_body_key=b.body_key,
        other_category=b.category,
    )
    comparison = facts.compare(a.facts, b.facts)
    values = {
        "id": float(bool(a.person_keys & b.person_keys)),
        "phone": float(bool(a.phone_keys & b.phone_keys)),
        "name_phone": float(any(k.startswith("np:") for k in a.identity_keys & b.identity_keys)),
        "name_address": float(any(k.startswith("na:") for k in a.identity_keys & b.identity_keys)),
        "household": float(bool(a.household_keys & b.household_keys)),
        "person": 0.0,
        "shared_phone": 0.0,
        "kin": float(bool(a.kin_keys & b.name_keys or b.kin_keys & a.name_keys)),
        "similarity": similarity,
        "same_place": float(subject.place),
        "place_conflict": float(subject.place_conflict),
        "same_body": float(subject.body),
        "body_conflict": float(bool(a.body_key and b.body_key and not subject.body)),
        "district_conflict": float(
            bool(a.place_code and b.place_code and a.place_code != b.place_code)
        ),
        "same_category": float(subject.category),
        # Same place and topic, nothing strong against it: what an analyst calls one subject.
        "same_subject": float(
            subject.place
            and subject.category
            and not any(k in facts.STRONG for k in comparison.contradict)
        ),
        **{
            f"agree_{word}": float(kind in comparison.agree)
            for kind, word in facts.KIND_WORDS.items()
        },
        **{
            f"contradict_{word}": float(kind in comparison.contradict)
            for kind, word in facts.KIND_WORDS.items()
        },
    }
    for code in SUBJECT_CATEGORIES:
        values[f"subject_{code}"] = values["same_subject"] * float(a.category == code)
    values["person"] = max(values["id"], values["name_phone"], values["name_address"])
    values["shared_phone"] = float(bool(values["phone"] and not values["person"]))
    return values, comparison, similarity


def matter_probability(a: Profile, b: Profile) -> float:
    """How likely two petitions by different people are about one matter (collective links)."""
    values, _, _ = features(a, b)
    return _sigmoid(logit(values, without=PERSON_FEATURES))


def evaluate(a: Profile, b: Profile) -> Evidence:
    values, comparison, similarity = features(a, b)
    evidence = Evidence(values=values, comparison=comparison, similarity=similarity)
    evidence.probability = _sigmoid(logit(values))
    evidence.matter_probability = _sigmoid(logit(values, without=PERSON_FEATURES))
    evidence.reasons = (
        (["same_person"] if evidence.same_person else [])
        + (["relative"] if evidence.relative else [])
        + (["similar_content"] if evidence.same_matter else [])
    )
    evidence.explanation = explain(evidence, a.category)
    return evidence


_PERSON_WORDS = (
    ("id", "同一人: 身份证号"),
    ("name_phone", "同一人: 姓名+电话"),
    ("shared_phone", "同一电话: 姓名不同"),
    ("name_address", "同一人: 姓名+住址"),
    ("household", "同一户: 住址相同"),
    ("kin", "亲属: 信中提及前次信访人"),
)


def explain(evidence: Evidence, category: str) -> list[str]:
    from xinfang.platform.cases.taxonomy import names

    lines = [words for key, words in _PERSON_WORDS if evidence.values[key]]
    comparison = evidence.comparison
    if evidence.same_matter:
        named = [
            value for kind in facts.STRONG for value in sorted(comparison.agree.get(kind, ()))
        ][:3]
        topic = names().get(category, "").split("/")[-1] if evidence.values["same_category"] else ""
        agreed = [
            f"{facts.KIND_NAMES[kind]}一致"
            for kind in sorted(comparison.agree)
            if kind not in facts.STRONG
        ]
        parts = [*named, topic, *agreed]
        if evidence.values["same_body"]:
            parts.append("被反映对象相同")
        lines.append("同一事项: " + " ".join(p for p in parts if p))
    if comparison.contradict:
        lines.append(
            "差异: " + " ".join(f"{facts.KIND_NAMES[kind]}不同" for kind in comparison.contradict)
        )
    return lines
