"""Repeat detection (重复信访): earlier petitions anywhere in the province — every level — by the
same person or on the same matter.

Two steps. Elasticsearch retrieves up to `RETRIEVE` earlier petitions of the province that share
a person, identity, household or kin key (search/identity.py), or that are about the same subject
(place, accused body or a strong fact of search/facts.py), ranked by shared facts and wording
(`more_like_this` on the CJK bigrams). Python then weighs the evidence of each
(search/scoring.py): a probability that it is the same matter or the same person, the reasons in
Chinese, and the coarse reasons same_person / relative / similar_content. Candidates below the
office's threshold (`DetectionSettings`) are dropped; ties go to the stronger evidence, never
the more recent petition.

`find_matches` needs only Elasticsearch (the quality command and the benchmark call it
directly); `check_repeats` adds the database: petitions committed in the last minutes that a
search cannot see yet (`recent_documents`), visibility through the registry's `viewer_codes`
(registry/visibility.py), terminated matters, stored results, and the later match written to
each earlier petition's own candidates, so both offices learn of the repeat.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Petition, Petitioner
from xinfang.platform.pii import person_key, phone_key
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.visibility import reporter_withheld_from
from xinfang.search import facts, scoring
from xinfang.search.client import interactive_client, is_unavailable
from xinfang.search.documents import alias_name
from xinfang.search.indexing import document_for, index_petitions
from xinfang.search.models import DetectionSettings, RepeatCandidate, RepeatCheck

logger = logging.getLogger(__name__)

RETRIEVE = 50
MAX_CANDIDATES = 50  # the strongest shown and stored; hundreds of earlier petitions are not read
SAME_PERSON = RepeatCandidate.Reason.SAME_PERSON.value
RELATIVE = RepeatCandidate.Reason.RELATIVE.value
SIMILAR_CONTENT = RepeatCandidate.Reason.SIMILAR_CONTENT.value
_PERSON_FIELDS = ("person_keys", "phone_keys", "identity_keys")
_SOURCE = [
    "petition_id", "matter_id", "reference", "office_code", "office_level", "status",
    "registered_at", "person_keys", "phone_keys", "identity_keys", "household_keys", "name_keys",
    "kin_keys", "facts", "content", "place", "place_code", "place_key", "accused_body", "body_key",
    "viewer_codes", "category", "is_accusation",
]  # fmt: skip


@dataclass(frozen=True)
class Probe:
    """The petition being checked, in its indexed form (the same document the index holds)."""

    petition_id: str
    matter_id: str
    province_code: str
    registered_at: datetime
    document: dict

    @classmethod
    def of(cls, petition: Petition, office) -> "Probe":
        return cls.from_document(document_for(petition, None, office, petition.petitioners.all()))

    @classmethod
    def from_document(cls, document: dict) -> "Probe":
        registered = document["registered_at"]
        return cls(
            petition_id=document["petition_id"],
            matter_id=document["matter_id"],
            province_code=document["province_code"],
            registered_at=(
                datetime.fromisoformat(registered) if isinstance(registered, str) else registered
            ),
            document=document,
        )


@dataclass
class Match:
    """An earlier petition that matched, with everything Elasticsearch returned about it."""

    petition_id: str
    matter_id: str
    score: float
    reasons: list[str]
    explanation: list[str]
    similarity: float
    evidence: scoring.Evidence
    source: dict


def build_query(probe: Probe) -> dict:
    """Earlier petitions of the province by the same person or household, naming a kin, or about
    the same subject (place, body or a strong fact), ranked by shared facts and wording."""
    doc = probe.document
    strong_facts = [f for f in doc.get("facts") or () if f.split(":")[0] in facts.STRONG]
    same_subject: list[dict] = []
    if doc.get("place_key"):
        same_subject.append({"term": {"place_key": doc["place_key"]}})
        same_subject.append({"match": {"place": {"query": doc["place_key"], "operator": "and"}}})
    if doc.get("body_key"):
        same_subject.append({"term": {"body_key": doc["body_key"]}})
    if strong_facts:
        same_subject.append({"terms": {"facts": strong_facts}})
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
                                "like": doc["content"],
                                "min_term_freq": 1,
                                "min_doc_freq": 1,
                                "max_query_terms": 40,
                                "minimum_should_match": 1,
                            }
                        },
                        *(
                            {"term": {"facts": {"value": f, "boost": 3}}}
                            for f in doc.get("facts") or ()
                        ),
                    ],
                }
            }
        )
    for name in _PERSON_FIELDS:
        if doc.get(name):
            should.append({"terms": {name: doc[name], "boost": 100}})
    if doc.get("household_keys"):
        should.append({"terms": {"household_keys": doc["household_keys"], "boost": 30}})
    if doc.get("kin_keys"):
        should.append({"terms": {"name_keys": doc["kin_keys"], "boost": 30}})
    if doc.get("name_keys"):
        should.append({"terms": {"kin_keys": doc["name_keys"], "boost": 30}})
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


def verify(probe: Probe, source: dict, profile: scoring.Profile | None = None) -> Match:
    """Weigh the evidence that one retrieved petition is the same person or matter."""
    evidence = scoring.evaluate(
        profile or scoring.Profile.of(probe.document), scoring.Profile.of(source)
    )
    return Match(
        petition_id=source["petition_id"],
        matter_id=source["matter_id"],
        score=round(evidence.probability, 3),
        reasons=evidence.reasons,
        explanation=evidence.explanation,
        similarity=round(evidence.similarity, 3),
        evidence=evidence,
        source=source,
    )


def rank(matches: list[Match]) -> list[Match]:
    """Best first: by probability, then by the weight of evidence — never by date."""
    return sorted(
        matches, key=lambda m: (-m.evidence.probability, *(-x for x in _strength(m)), m.petition_id)
    )


def _strength(match: Match) -> tuple[float, ...]:
    return tuple(float(x) for x in match.evidence.strength)


def find_matches(
    probe: Probe,
    *,
    threshold: float = scoring.DEFAULT_THRESHOLD,
    index: str | None = None,
    client=None,
    recent: list[dict] = (),
) -> list[Match]:
    """Earlier petitions of the province scoring at least `threshold`, best first, at most
    `MAX_CANDIDATES` (Elasticsearch only: the quality command and the benchmark call it
    directly). `recent` adds documents the search may not see yet (`recent_documents`)."""
    client = client or interactive_client()
    response = client.search(
        index=index or alias_name(),
        query=build_query(probe),
        size=RETRIEVE,
        source_includes=_SOURCE,
        track_total_hits=False,
    )
    sources = {hit["_source"]["petition_id"]: hit["_source"] for hit in response["hits"]["hits"]}
    for doc in recent:
        if (
            doc["matter_id"] != probe.matter_id
            and doc["registered_at"] <= probe.document["registered_at"]
        ):
            sources.setdefault(doc["petition_id"], doc)
    profile = scoring.Profile.of(probe.document)
    matches = [verify(probe, source, profile) for source in sources.values()]
    return rank([m for m in matches if m.evidence.probability >= threshold])[:MAX_CANDIDATES]


# --- the check of a registered petition, with the database ---------------------------------------

RECENT = timedelta(minutes=10)  # committed petitions a search may not see yet (refresh, queue)
MAX_RECENT = 200


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
    explanation: list[str]
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


def recent_documents(probe: Probe, *, client=None) -> list[dict]:
    """Documents of the province's petitions committed within `RECENT` before this one.

    A search finds a petition only after the index refreshes (and after its indexing task ran);
    the registry row is committed with the petition. So the check reads those rows (one index
    range per office of the province), fetches their documents by id in real time, and indexes
    on the spot any that is still missing: the check sees every petition committed before it.
    """
    from xinfang.tenants.models import Office

    province = probe.province_code
    offices = Office.objects.filter(Q(code=province) | Q(ancestor_codes__contains=[province]))
    rows = list(
        PetitionRecord.objects.filter(
            office__in=offices,
            registered_at__gte=probe.registered_at - RECENT,
            registered_at__lte=probe.registered_at,
        )
        .exclude(petition_id=probe.petition_id)
        .exclude(matter_id=probe.matter_id)
        .select_related("office")
        .order_by("-registered_at")[:MAX_RECENT]  # past the bound, the newest: the least searchable
    )
    if not rows:
        return []
    client = client or interactive_client()

    def fetch(ids):
        found = client.mget(index=alias_name(), ids=ids, source_includes=_SOURCE, realtime=True)
        return {d["_id"]: d["_source"] for d in found["docs"] if d.get("found")}

    documents = fetch([str(r.petition_id) for r in rows])
    missing = [r for r in rows if str(r.petition_id) not in documents]
    by_office: dict = {}
    for record in missing:
        by_office.setdefault(record.office_id, (record.office, []))[1].append(record.petition_id)
    for office, petition_ids in by_office.values():
        with tenant_context(office):  # indexing reads the office (code, ancestors)
            index_petitions(petition_ids)  # one bulk request (a backlog may be hundreds)
    if missing:
        documents |= fetch([str(r.petition_id) for r in missing])
    return list(documents.values())


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


# Reasons that rest on the person, not the matter: what would name an accuser.
_IDENTIFYING = frozenset((SAME_PERSON, RELATIVE))


def tells_who_accused(
    match: Match, *, accusation: bool, accused_division_code: str, told: str, accuser_office: str
) -> bool:
    """Whether telling the office `told` of this match would tell it who accused (Art 30): the
    match rests on the person (the same person, a relative), one side is an accusation whose
    copy at `accuser_office` names its reporter, and the reporter's identity is withheld from
    `told` (its area contains the accused body). Such a match is shown to neither side's office
    there; matches on the matter alone still are."""
    return (
        accusation
        and told != accuser_office
        and bool(_IDENTIFYING.intersection(match.reasons))
        and reporter_withheld_from(
            is_accusation=True, accused_division_code=accused_division_code, office_code=told
        )
    )


def _assess(
    probe: Probe, office, *, recent: list[dict] = ()
) -> tuple[list[Match], list[CandidateView], list[str], dict]:
    """The matches of a probe above the office's threshold as this office may see them, the
    terminated matters (终结) among them that the same person raises again about the same
    matter, and the matches' registry rows."""
    threshold = DetectionSettings.current().repeat_threshold
    matches = find_matches(probe, threshold=threshold, recent=recent)
    records = {
        str(r.petition_id): r
        for r in PetitionRecord.objects.filter(
            petition_id__in=[m.petition_id for m in matches]
        ).select_related("office")
    }
    matches = [
        m
        for m in matches
        if not tells_who_accused(
            m,
            accusation=bool(m.source.get("is_accusation")),
            accused_division_code=getattr(records.get(m.petition_id), "accused_division_code", ""),
            told=office.code,
            accuser_office=m.source["office_code"],
        )
    ]
    terminated = terminated_matters({m.matter_id for m in matches})
    views = []
    for match in matches:
        on_terminated = (
            match.matter_id in terminated
            and SAME_PERSON in match.reasons
            and SIMILAR_CONTENT in match.reasons
        )
        views.append(_view(match, records.get(match.petition_id), office.code, on_terminated))
    flagged = sorted(
        {m.matter_id for m, v in zip(matches, views, strict=True) if v.on_terminated_matter}
    )
    return matches, views, flagged, records


def _unavailable(exc: Exception, what, now) -> RepeatCheckResult:
    if not is_unavailable(exc):
        raise exc
    logger.warning("repeat check of %s: Elasticsearch unavailable (%s)", what, exc)
    return RepeatCheckResult(
        available=False, checked_at=now, unavailable_reason="SEARCH_UNAVAILABLE"
    )


def check_repeats(petition: Petition) -> RepeatCheckResult:
    """Run the repeat check of a petition of the current office and store its result; tell
    each earlier petition's office of the later match too.

    With Elasticsearch unavailable the result says so (`available=False`) instead of failing;
    registration never depends on it, and the check can be run again on demand.
    """
    office = connection.tenant
    now = timezone.now()
    try:
        probe = Probe.of(petition, office)
        matches, views, flagged, records = _assess(probe, office, recent=recent_documents(probe))
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
        _tell_earlier(petition, office, matches, records, now)
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
    warning); the same rules and visibility as `check_repeats`, nothing stored. The draft is
    turned into its index document like a registered petition (unsaved, names unknown)."""
    office = connection.tenant
    now = timezone.now()
    draft_petition = Petition(
        id=uuid.uuid4(),
        matter_id=uuid.uuid4(),
        category=draft.category,
        place=draft.place,
        place_code=draft.place_code,
        accused_body=draft.accused_body,
        content=draft.content,
        registered_at=now,
        updated_at=now,
    )
    people = [Petitioner(person_key=person_key(n)) for n in draft.id_numbers if n.strip()]
    people += [Petitioner(phone_key=phone_key(n)) for n in draft.phones if n.strip()]
    probe = Probe.from_document(document_for(draft_petition, None, office, people))
    try:
        _, views, flagged, _ = _assess(probe, office)
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
    registered = record.registered_at if record else src["registered_at"]
    return CandidateView(
        petition_id=match.petition_id,
        office_code=src["office_code"],
        office_level=src["office_level"],
        registered_at=(
            datetime.fromisoformat(registered) if isinstance(registered, str) else registered
        ),
        reference=src["reference"],
        status=record.status if record else src["status"],
        score=match.score,
        reasons=match.reasons,
        explanation=match.explanation,
        on_terminated_matter=terminated,
        visible=visible,
        details=details,
    )


_CANDIDATE_FIELDS = [
    "candidate_matter_id", "office_code", "office_level", "reference", "status",
    "registered_at", "score", "reasons", "explanation", "on_terminated_matter", "later",
    "found_at", "rank",
]  # fmt: skip


def _upsert_candidates(rows: list[RepeatCandidate], fields: list[str] = _CANDIDATE_FIELDS) -> None:
    """One INSERT … ON CONFLICT DO UPDATE for the rows of one office (a petitioner with hundreds
    of earlier petitions is one statement, not hundreds); an officer's decision is kept."""
    RepeatCandidate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["petition", "candidate_petition_id"],
        update_fields=fields,
    )


def _store_candidates(petition: Petition, matches: list[Match], views, now) -> None:
    _upsert_candidates(
        [
            RepeatCandidate(
                petition=petition,
                candidate_petition_id=match.petition_id,
                candidate_matter_id=match.matter_id,
                office_code=view.office_code,
                office_level=view.office_level,
                reference=view.reference,
                status=view.status,
                registered_at=view.registered_at,
                score=view.score,
                reasons=view.reasons,
                explanation=view.explanation,
                on_terminated_matter=view.on_terminated_matter,
                later=False,
                found_at=now,
                rank=position,
            )
            for position, (match, view) in enumerate(zip(matches, views, strict=True), start=1)
        ]
    )
    # Pending earlier candidates that no longer match go; decided ones stay as the officer left
    # them, and later petitions that found this one stay (their own check keeps them current).
    RepeatCandidate.objects.filter(
        petition=petition, decision=RepeatCandidate.Decision.PENDING, later=False
    ).exclude(candidate_petition_id__in=[m.petition_id for m in matches]).delete()


def _tell_earlier(petition: Petition, office, matches: list[Match], records, now) -> None:
    """Write this petition as a later candidate of each earlier one, in that petition's office
    (one shared database: the same transaction), one statement per office."""
    by_office: dict = {}
    for position, match in enumerate(matches, start=1):
        record = records.get(match.petition_id)
        if record is None or tells_who_accused(
            match,
            accusation=petition.is_accusation,
            accused_division_code=petition.accused_division_code,
            told=record.office.code,
            accuser_office=office.code,
        ):
            continue
        by_office.setdefault(record.office_id, (record.office, []))[1].append(
            RepeatCandidate(
                petition_id=record.petition_id,
                candidate_petition_id=petition.pk,
                candidate_matter_id=petition.matter_id,
                office_code=office.code,
                office_level=office.level,
                reference=petition.reference,
                status=petition.status,
                registered_at=petition.registered_at,
                score=match.score,
                reasons=match.reasons,
                explanation=match.explanation,
                later=True,
                found_at=now,
                rank=position,
            )
        )
    for earlier_office, rows in by_office.values():
        with tenant_context(earlier_office):
            _upsert_candidates(rows, [f for f in _CANDIDATE_FIELDS if f != "on_terminated_matter"])
