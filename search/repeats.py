"""Repeat detection (重复信访): earlier petitions anywhere in the province — every level — by the
same person or on the same matter.

Two steps. Elasticsearch retrieves up to `RETRIEVE` earlier petitions of the province that share a
person key (ID or phone HMAC), or whose content is like this one (`more_like_this` on the CJK
bigrams) about the same place or accused body. Python then verifies each with the rules of
`search/analysis.py` and scores it:

- "same person": a petitioner's person key or phone key is on both petitions;
- "similar content": content similarity ≥ CONTENT_SIMILAR and the same place or accused body.

score = 1 − (1 − p)(1 − c), p = 0.7 for the same person, c = 0.9 · min(1, similarity / 0.6) for
similar content: both reasons score highest. `find_matches` needs only Elasticsearch (the quality
script and the benchmark call it directly); `check_repeats` adds the database: visibility through
the registry's `viewer_codes` (registry/visibility.py), terminated matters, and stored results.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from xinfang.platform.cases.models import Petition
from xinfang.platform.pii import person_key, phone_key, redact_numbers
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search import analysis
from xinfang.search.client import interactive_client, is_unavailable
from xinfang.search.documents import alias_name
from xinfang.search.models import RepeatCandidate, RepeatCheck

logger = logging.getLogger(__name__)

RETRIEVE = 50
SAME_PERSON = RepeatCandidate.Reason.SAME_PERSON.value
SIMILAR_CONTENT = RepeatCandidate.Reason.SIMILAR_CONTENT.value
TERMINATED = "terminated"
_SOURCE = [
    "petition_id", "matter_id", "reference", "office_code", "office_level", "status",
    "registered_at", "person_keys", "phone_keys", "content", "place", "place_code", "place_key",
    "accused_body", "body_key", "viewer_codes", "category",
]  # fmt: skip


@dataclass(frozen=True)
class Probe:
    """What the repeat check knows about the petition being checked."""

    petition_id: str
    matter_id: str
    province_code: str
    registered_at: datetime
    content: str
    place: str = ""
    place_code: str = ""
    accused_body: str = ""
    category: str = ""
    person_keys: tuple[str, ...] = ()
    phone_keys: tuple[str, ...] = ()

    @classmethod
    def of(cls, petition: Petition, office) -> "Probe":
        people = list(petition.petitioners.all())
        return cls(
            petition_id=str(petition.pk),
            matter_id=str(petition.matter_id),
            province_code=office.province_code,
            registered_at=petition.registered_at,
            # The text goes into Elasticsearch queries: the same redaction as the documents.
            content=redact_numbers(petition.content),
            place=redact_numbers(petition.place),
            place_code=petition.place_code,
            accused_body=redact_numbers(petition.accused_body),
            category=petition.category,
            person_keys=tuple(sorted({p.person_key for p in people if p.person_key})),
            phone_keys=tuple(sorted({p.phone_key for p in people if p.phone_key})),
        )


@dataclass
class Match:
    """An earlier petition that matched, with everything Elasticsearch returned about it."""

    petition_id: str
    matter_id: str
    score: float
    reasons: list[str]
    similarity: float
    source: dict


def build_query(probe: Probe) -> dict:
    """Earlier petitions of the province by the same person, or about the same place or body
    (ranked by how alike their content is: `more_like_this` on the CJK bigrams)."""
    place_key = analysis.place_key(probe.place)
    body_key = analysis.body_key(probe.accused_body)
    same_subject: list[dict] = []
    if place_key:
        same_subject.append({"term": {"place_key": place_key}})
        same_subject.append({"match": {"place": {"query": place_key, "operator": "and"}}})
    if body_key:
        same_subject.append({"term": {"body_key": body_key}})
    should: list[dict] = []
    if same_subject:
        should.append(
            {
                "bool": {
                    "filter": [{"bool": {"should": same_subject, "minimum_should_match": 1}}],
                    "should": [
                        {
                            "more_like_this": {
                                "fields": ["content"],
                                "like": probe.content,
                                "min_term_freq": 1,
                                "min_doc_freq": 1,
                                "max_query_terms": 40,
                                "minimum_should_match": 1,
                            }
                        }
                    ],
                }
            }
        )
    if probe.person_keys:
        should.append({"terms": {"person_keys": list(probe.person_keys), "boost": 100}})
    if probe.phone_keys:
        should.append({"terms": {"phone_keys": list(probe.phone_keys), "boost": 100}})
    return {
        "bool": {
            "filter": [
                {"term": {"province_code": probe.province_code}},
                {"range": {"registered_at": {"lte": probe.registered_at.isoformat()}}},
            ],
            "must_not": [
                {"ids": {"values": [probe.petition_id]}},
                {"term": {"matter_id": probe.matter_id}},
            ],
            "should": should or [{"match_none": {}}],
            "minimum_should_match": 1,
        }
    }


def verify(probe: Probe, source: dict, probe_bigrams: frozenset | None = None) -> Match | None:
    """Apply the matching rules to one retrieved petition; None when it is not a candidate."""
    probe_bigrams = probe_bigrams or analysis.bigrams(probe.content)
    same_person = bool(
        set(probe.person_keys) & set(source.get("person_keys") or ())
        or set(probe.phone_keys) & set(source.get("phone_keys") or ())
    )
    similarity = analysis.content_similarity(probe_bigrams, analysis.bigrams(source["content"]))
    subject = analysis.subject_match(
        place_key=analysis.place_key(probe.place),
        place_code=probe.place_code,
        body_key=analysis.body_key(probe.accused_body),
        category=probe.category,
        other_place_key=source.get("place_key") or "",
        other_place_code=source.get("place_code") or "",
        other_body_key=source.get("body_key") or "",
        other_category=source.get("category") or "",
    )
    similar = analysis.similar_matter(similarity, subject)
    if not (same_person or similar):
        return None
    reasons = ([SAME_PERSON] if same_person else []) + ([SIMILAR_CONTENT] if similar else [])
    person_part = 0.7 if same_person else 0.0
    content_part = 0.9 * min(1.0, similarity / 0.6 + 0.2 * (subject.count - 1)) if similar else 0.0
    score = 1 - (1 - person_part) * (1 - content_part)
    return Match(
        petition_id=source["petition_id"],
        matter_id=source["matter_id"],
        score=round(score, 3),
        reasons=reasons,
        similarity=round(similarity, 3),
        source=source,
    )


def find_matches(probe: Probe, *, index: str | None = None, client=None) -> list[Match]:
    """Earlier petitions of the province matching the probe, best first (Elasticsearch only)."""
    client = client or interactive_client()
    response = client.search(
        index=index or alias_name(),
        query=build_query(probe),
        size=RETRIEVE,
        source_includes=_SOURCE,
        track_total_hits=False,
    )
    probe_bigrams = analysis.bigrams(probe.content)
    matches = [
        match
        for hit in response["hits"]["hits"]
        if (match := verify(probe, hit["_source"], probe_bigrams)) is not None
    ]
    return sorted(matches, key=lambda m: (-m.score, m.source["registered_at"]))


# --- the check of a registered petition, with the database ---------------------------------------


@dataclass
class CandidateView:
    """A candidate as an office may see it: `details` only when the office may see the petition."""

    petition_id: str
    office_code: str
    office_level: str
    registered_at: datetime
    reference: str
    status: str
    score: float
    reasons: list[str]
    on_terminated_matter: bool
    visible: bool
    details: dict | None = None


@dataclass
class RepeatCheckResult:
    available: bool
    checked_at: datetime
    candidates: list[CandidateView] = field(default_factory=list)
    on_terminated_matter: bool = False
    unavailable_reason: str = ""


def terminated_matters(matter_ids: set[str]) -> set[str]:
    """Matters terminated (终结) anywhere: a registry row of the matter has status terminated."""
    if not matter_ids:
        return set()
    found = set(
        str(m)
        for m in PetitionRecord.objects.filter(
            matter_id__in=matter_ids, status="terminated"
        ).values_list("matter_id", flat=True)
    )
    try:  # the exchange app's ledger of terminations, where it exists
        from xinfang.platform.registry.models import TerminatedMatter
    except ImportError:
        return found
    found.update(
        str(m)
        for m in TerminatedMatter.objects.filter(matter_id__in=matter_ids).values_list(
            "matter_id", flat=True
        )
    )
    return found


def _assess(probe: Probe, office_code: str) -> tuple[list[Match], list[CandidateView], list[str]]:
    """The matches of a probe as this office may see them, and the terminated matters (终结)
    among them that the same person raises again with like content."""
    matches = find_matches(probe)
    records = {
        str(r.petition_id): r
        for r in PetitionRecord.objects.filter(petition_id__in=[m.petition_id for m in matches])
    }
    terminated = terminated_matters({m.matter_id for m in matches})
    views = []
    for match in matches:
        record = records.get(match.petition_id)
        on_terminated = (
            match.matter_id in terminated
            and SAME_PERSON in match.reasons
            and (match.similarity >= analysis.CONTENT_SIMILAR)
        )
        views.append(_view(match, record, office_code, on_terminated))
    flagged = sorted(
        {m.matter_id for m, v in zip(matches, views, strict=True) if v.on_terminated_matter}
    )
    return matches, views, flagged


def _unavailable(exc: Exception, what: str, now) -> RepeatCheckResult:
    if not is_unavailable(exc):
        raise exc
    logger.warning("repeat check of %s: Elasticsearch unavailable (%s)", what, exc)
    return RepeatCheckResult(
        available=False, checked_at=now, unavailable_reason="SEARCH_UNAVAILABLE"
    )


def check_repeats(petition: Petition) -> RepeatCheckResult:
    """Run the repeat check of a petition of the current office and store its result.

    With Elasticsearch unavailable the result says so (`available=False`) instead of failing;
    registration never depends on it, and the check can be run again on demand.
    """
    office = connection.tenant
    now = timezone.now()
    try:
        matches, views, flagged = _assess(Probe.of(petition, office), office.code)
    except Exception as exc:
        result = _unavailable(exc, petition.pk, now)
        RepeatCheck.objects.update_or_create(
            petition=petition, defaults={"state": RepeatCheck.State.UNAVAILABLE, "checked_at": now}
        )
        return result
    with transaction.atomic():
        RepeatCheck.objects.update_or_create(
            petition=petition,
            defaults={
                "state": RepeatCheck.State.DONE,
                "checked_at": now,
                "on_terminated_matter": bool(flagged),
                "terminated_matter_ids": flagged,
            },
        )
        _store_candidates(petition, matches, views, now)
    return RepeatCheckResult(
        available=True, checked_at=now, candidates=views, on_terminated_matter=bool(flagged)
    )


@dataclass(frozen=True)
class Draft:
    """A petition as the registrar has typed it, before it is registered."""

    content: str
    place: str = ""
    place_code: str = ""
    accused_body: str = ""
    category: str = ""
    id_numbers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


def preview_repeats(draft: Draft) -> RepeatCheckResult:
    """The repeat check of a draft (登记 shows it before saving, with a terminated-matter
    warning); the same rules and visibility as `check_repeats`, nothing stored."""
    office = connection.tenant
    now = timezone.now()
    probe = Probe(
        petition_id=str(uuid.uuid4()),
        matter_id=str(uuid.uuid4()),
        province_code=office.province_code,
        registered_at=now,
        content=redact_numbers(draft.content),
        place=redact_numbers(draft.place),
        place_code=draft.place_code,
        accused_body=redact_numbers(draft.accused_body),
        category=draft.category,
        person_keys=tuple(sorted({person_key(n) for n in draft.id_numbers if n.strip()})),
        phone_keys=tuple(sorted({phone_key(n) for n in draft.phones if n.strip()})),
    )
    try:
        _, views, flagged = _assess(probe, office.code)
    except Exception as exc:
        return _unavailable(exc, "a draft", now)
    return RepeatCheckResult(
        available=True, checked_at=now, candidates=views, on_terminated_matter=bool(flagged)
    )


def _view(match: Match, record: PetitionRecord | None, office_code: str, terminated: bool):
    src = match.source
    viewers = record.viewer_codes if record else src.get("viewer_codes") or []
    visible = office_code in viewers
    details = None
    if visible:
        details = {
            "matter_id": match.matter_id,
            "place": src.get("place", ""),
            "accused_body": src.get("accused_body", ""),
            "content": src.get("content", ""),
        }
    return CandidateView(
        petition_id=match.petition_id,
        office_code=src["office_code"],
        office_level=src["office_level"],
        registered_at=record.registered_at if record else src["registered_at"],
        reference=src["reference"],
        status=record.status if record else src["status"],
        score=match.score,
        reasons=match.reasons,
        on_terminated_matter=terminated,
        visible=visible,
        details=details,
    )


def _store_candidates(petition: Petition, matches: list[Match], views, now) -> None:
    found = set()
    for match, view in zip(matches, views, strict=True):
        found.add(match.petition_id)
        RepeatCandidate.objects.update_or_create(
            petition=petition,
            candidate_petition_id=match.petition_id,
            defaults={
                "candidate_matter_id": match.matter_id,
                "office_code": view.office_code,
                "office_level": view.office_level,
                "reference": view.reference,
                "status": view.status,
                "registered_at": view.registered_at,
                "score": view.score,
                "reasons": view.reasons,
                "on_terminated_matter": view.on_terminated_matter,
                "found_at": now,
            },
        )
    # Pending candidates that no longer match go; decided ones stay as the officer left them.
    RepeatCandidate.objects.filter(
        petition=petition, decision=RepeatCandidate.Decision.PENDING
    ).exclude(candidate_petition_id__in=found).delete()
