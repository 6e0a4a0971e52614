"""Text analysis for Chinese petitions, in Elasticsearch and in Python.

The Elasticsearch server core has no analysis-common module (DESIGN §3): the CJK analyzer is the
`standard` tokenizer (one token per Han character) + `lowercase` + `shingle` (2–3, no unigrams,
empty separator), i.e. character bigrams and trigrams. Python computes the same bigrams to verify
candidates Elasticsearch retrieved (content similarity, same place, same accused body), so that
repeat and collective detection decide with one deterministic rule that the quality script
(tests/perf/search_quality.py) measures.
"""

import re
from dataclasses import dataclass

from elasticsearch import dsl

cjk_shingles = dsl.token_filter(
    "cjk_shingles",
    type="shingle",
    min_shingle_size=2,
    max_shingle_size=3,
    output_unigrams=False,
    token_separator="",
)
cjk_bigram_analyzer = dsl.analyzer(
    "cjk_bigram", tokenizer="standard", filter=["lowercase", cjk_shingles]
)

# Thresholds of the matching rules, calibrated with tests/perf/search_quality.py.
CONTENT_SIMILAR = 0.30  # bigram Dice/overlap blend of two petitions' content, same place or body
CONTENT_SIMILAR_SAME_PLACE_AND_BODY = 0.12  # ... when both the place and the body are the same
CONTENT_SIMILAR_SAME_CATEGORY = 0.15  # ... the same place and the same category
CONTENT_SIMILAR_SAME_EVERYTHING = 0.05  # ... the same place, body and category
CONTENT_SIMILAR_OTHER_PLACE = 0.60  # the same body, but two different places named
PLACE_SIMILAR = 0.60  # overlap of the fine-grained place (village, estate, company, ...)

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ADMIN_PREFIX = re.compile(
    r"^(?:[^省]{2,7}省)?(?:[^市省]{2,4}市)?(?:[^区县市]{1,4}(?:区|县|市))?"
    r"(?:[^街镇乡]{2,6}(?:街道|镇|乡))?"
)
_BODY_SUFFIX = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|集团)$")


def normalize(text: str) -> str:
    """Lower case, punctuation and white space removed."""
    return _NOT_WORD.sub("", (text or "").lower())


def bigrams(text: str) -> frozenset[str]:
    norm = normalize(text)
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + 2] for i in range(len(norm) - 1))


def overlap(a: frozenset, b: frozenset) -> float:
    """|a ∩ b| / min(|a|, |b|): 1.0 when one contains the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def dice(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def content_similarity(a: frozenset, b: frozenset) -> float:
    """How alike two petitions' texts are (0–1), robust to rewording and added sentences."""
    return (dice(a, b) + overlap(a, b)) / 2


def place_key(place: str) -> str:
    """The fine-grained part of a place: '杭州市西湖区转塘街道龙坞村3组' -> '龙坞村3组'.

    Petitions about the same village or estate name it with or without the province, city,
    district and street; unrelated petitions in one district share those and differ below.
    """
    norm = normalize(place)
    rest = _ADMIN_PREFIX.sub("", norm, count=1)
    return rest or norm


def body_key(body: str) -> str:
    """The accused body (被反映对象) without its legal-form suffix."""
    return _BODY_SUFFIX.sub("", normalize(body))


def same_place(a_key: str, b_key: str, a_code: str = "", b_code: str = "") -> bool:
    if not a_key or not b_key:
        return False
    if a_code and b_code and a_code != b_code:
        return False
    if a_key == b_key or (min(len(a_key), len(b_key)) >= 3 and (a_key in b_key or b_key in a_key)):
        return True
    return (
        overlap(bigrams(a_key), bigrams(b_key)) >= PLACE_SIMILAR
        and min(len(a_key), len(b_key)) >= 4
    )


def same_body(a_key: str, b_key: str, a_code: str = "", b_code: str = "") -> bool:
    """The same accused body, in the same district (local bodies share names across districts)."""
    if not a_key or not b_key:
        return False
    if a_code and b_code and a_code != b_code:
        return False
    return a_key == b_key or (
        min(len(a_key), len(b_key)) >= 4 and (a_key in b_key or b_key in a_key)
    )


@dataclass(frozen=True)
class Subject:
    """What two petitions share besides their wording: place, accused body, category."""

    place: bool
    body: bool
    place_conflict: bool  # both name a fine-grained place, and not the same one
    category: bool

    @property
    def count(self) -> int:
        return int(self.place) + int(self.body)


def subject_match(
    *,
    place_key: str,
    place_code: str,
    body_key: str,
    category: str,
    other_place_key: str,
    other_place_code: str,
    other_body_key: str,
    other_category: str,
) -> Subject:
    place = same_place(place_key, other_place_key, place_code, other_place_code)
    return Subject(
        place=place,
        body=same_body(body_key, other_body_key, place_code, other_place_code),
        place_conflict=bool(place_key and other_place_key and not place),
        category=bool(category and category == other_category),
    )


def similar_matter(similarity: float, subject: Subject) -> bool:
    """Similar content about the same place or body: the same matter (同一事项)?

    The more the two share, the less alike the wording must be: petitioners describe one
    problem in their own words, while unrelated petitions on one topic share stock phrases.
    """
    if subject.place and subject.body:
        if subject.category:  # same place, body and category: any shared wording will do
            return similarity >= CONTENT_SIMILAR_SAME_EVERYTHING
        return similarity >= CONTENT_SIMILAR_SAME_PLACE_AND_BODY
    if subject.place:
        threshold = CONTENT_SIMILAR_SAME_CATEGORY if subject.category else CONTENT_SIMILAR
        return similarity >= threshold
    if subject.body:  # the same body about another place: only near-identical wording
        return similarity >= (
            CONTENT_SIMILAR_OTHER_PLACE if subject.place_conflict else CONTENT_SIMILAR
        )
    return False
