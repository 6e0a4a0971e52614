"""Collective petitions (集体访 / 联名信访): several distinct petitioners, similar content, the same
place or accused body, within a time window — across the offices of a subtree.

`refresh_province` reads the province's recent petitions from Elasticsearch, links two petitions
when their content is similar (≥ CONTENT_SIMILAR) and they are about the same place or body
(search/analysis.py), and takes the connected groups. A group is collective when, for some office
whose subtree holds its petitions (an office involved or one above it), the petitions in that
subtree bring at least the office's `collective_min_people` distinct people within its
`collective_window_days` (OfficeSettings; 5 people in 7 days by default). Alerts go to the
offices involved and every office above them, one row per office schema, keyed by the group id
(its earliest petition), so a refresh updates rows in place. `detect_groups` needs neither the
database nor Elasticsearch: the quality script measures it on the labelled corpus.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tenants.utils import tenant_context
from elasticsearch.helpers import scan

from xinfang.search import analysis
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 31  # the longest window an office may configure
DEFAULT_THRESHOLDS = (5, 7)
MAX_BLOCK = 2000  # petitions compared pairwise in one place/body block
_SOURCE = [
    "petition_id", "office_code", "ancestor_codes", "reference", "registered_at", "person_keys",
    "phone_keys", "petitioner_count", "content", "place", "place_code", "place_key",
    "accused_body", "body_key", "category",
]  # fmt: skip


@dataclass
class Member:
    petition_id: str
    office_code: str
    lineage: tuple[str, ...]
    reference: str
    registered_at: datetime
    people: frozenset[str]
    content: frozenset[str]
    place_key: str
    place_code: str
    body_key: str
    place: str = ""
    accused_body: str = ""
    category: str = ""

    @classmethod
    def from_source(cls, src: dict) -> "Member":
        registered = src["registered_at"]
        if isinstance(registered, str):
            registered = parse_datetime(registered)
        identities = list(src.get("person_keys") or []) or list(src.get("phone_keys") or [])
        count = max(int(src.get("petitioner_count") or 1), 1)
        identities += [
            f"anonymous:{src['petition_id']}:{i}" for i in range(count - len(identities))
        ]
        return cls(
            petition_id=src["petition_id"],
            office_code=src["office_code"],
            lineage=(*(src.get("ancestor_codes") or []), src["office_code"]),
            reference=src.get("reference", ""),
            registered_at=registered,
            people=frozenset(identities),
            content=analysis.bigrams(src.get("content", "")),
            place_key=src.get("place_key") or analysis.place_key(src.get("place", "")),
            place_code=src.get("place_code") or "",
            body_key=src.get("body_key") or analysis.body_key(src.get("accused_body", "")),
            place=src.get("place", ""),
            accused_body=src.get("accused_body", ""),
            category=src.get("category", ""),
        )


@dataclass
class Group:
    members: list[Member]
    decided_by: str  # the office whose subtree and thresholds made it collective
    people: int

    @property
    def group_id(self) -> str:
        first = min(self.members, key=lambda m: (m.registered_at, m.petition_id))
        return hashlib.sha1(f"collective:{first.petition_id}".encode()).hexdigest()[:32]

    @property
    def office_codes(self) -> list[str]:
        return sorted({m.office_code for m in self.members})

    @property
    def supervisor_codes(self) -> list[str]:
        involved = set(self.office_codes)
        above = {code for m in self.members for code in m.lineage[:-1]}
        return sorted(above - involved)


def _related(a: Member, b: Member) -> bool:
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
    if not (subject.place or subject.body):
        return False
    return analysis.similar_matter(analysis.content_similarity(a.content, b.content), subject)


def _components(members: list[Member]) -> list[list[Member]]:
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        blocks[("place", m.place_code or m.place_key[:2])].append(i)
        if m.body_key:
            blocks[("body", m.body_key[:4])].append(i)
    for block in blocks.values():
        block = block[-MAX_BLOCK:]
        for x, i in enumerate(block):
            for j in block[x + 1 :]:
                if find(i) != find(j) and _related(members[i], members[j]):
                    parent[find(i)] = find(j)
    groups: dict[int, list[Member]] = defaultdict(list)
    for i, m in enumerate(members):
        groups[find(i)].append(m)
    return [g for g in groups.values() if len(g) > 1 or len(g[0].people) > 1]


def _people_in_window(members: list[Member], days: int) -> tuple[int, list[Member]]:
    """The most distinct people within any `days`-long window, and those petitions."""
    ordered = sorted(members, key=lambda m: m.registered_at)
    best, best_members = 0, []
    start = 0
    for end, last in enumerate(ordered):
        while ordered[start].registered_at < last.registered_at - timedelta(days=days):
            start += 1
        window = ordered[start : end + 1]
        people = len(frozenset().union(*(m.people for m in window)))
        if people > best:
            best, best_members = people, window
    return best, best_members


def detect_groups(
    members: Iterable[Member], thresholds: Callable[[str], tuple[int, int]]
) -> list[Group]:
    """Collective groups among `members`; `thresholds(office_code)` is (min people, window days)."""
    found = []
    for component in _components(list(members)):
        deciders = sorted(
            {code for m in component for code in m.lineage}, key=lambda c: -_depth(component, c)
        )
        for code in deciders:  # lowest offices first: the one closest to the petitions decides
            in_subtree = [m for m in component if code in m.lineage]
            min_people, days = thresholds(code)
            people, window = _people_in_window(in_subtree, days)
            if people >= min_people:
                found.append(Group(members=window, decided_by=code, people=people))
                break
    return found


def _depth(component: list[Member], code: str) -> int:
    return max((m.lineage.index(code) for m in component if code in m.lineage), default=0)


# --- with Elasticsearch and the office schemas ----------------------------------------------------


@dataclass
class RefreshReport:
    provinces: int = 0
    petitions: int = 0
    groups: int = 0
    alerts: int = 0
    group_ids: list[str] = field(default_factory=list)


def recent_members(province_code: str, *, now: datetime, index: str | None = None) -> list[Member]:
    since = now - timedelta(days=LOOKBACK_DAYS)
    query = {
        "query": {
            "bool": {
                "filter": [
                    {"term": {"province_code": province_code}},
                    {"range": {"registered_at": {"gte": since.isoformat()}}},
                ]
            }
        },
        "_source": _SOURCE,
    }
    hits = scan(es_client(), index=index or alias_name(), query=query, size=1000)
    return [Member.from_source(hit["_source"]) for hit in hits]


class OfficeThresholds:
    """Reads each office's OfficeSettings once (in its own schema), only for offices asked about."""

    def __init__(self) -> None:
        from xinfang.tenants.models import Office

        self._offices = {o.code: o for o in Office.objects.offices()}
        self._cache: dict[str, tuple[int, int]] = {}

    def office(self, code: str):
        return self._offices.get(code)

    def __call__(self, code: str) -> tuple[int, int]:
        if code not in self._cache:
            from xinfang.platform.cases.models import OfficeSettings

            office = self._offices.get(code)
            if office is None:
                self._cache[code] = DEFAULT_THRESHOLDS
            else:
                with tenant_context(office):
                    s = OfficeSettings.current()
                    days = min(s.collective_window_days, LOOKBACK_DAYS)
                    self._cache[code] = (max(s.collective_min_people, 2), days)
        return self._cache[code]


def refresh_province(province_code: str, *, now: datetime | None = None) -> RefreshReport:
    now = now or timezone.now()
    report = RefreshReport(provinces=1)
    members = recent_members(province_code, now=now)
    report.petitions = len(members)
    thresholds = OfficeThresholds()
    groups = detect_groups(members, thresholds)
    report.groups = len(groups)
    for group in groups:
        report.group_ids.append(group.group_id)
        report.alerts += _write_alerts(group, thresholds, now)
    return report


def refresh_all_provinces(*, now: datetime | None = None) -> dict:
    from xinfang.tenants.models import Office

    total = RefreshReport()
    provinces = Office.objects.offices().filter(level="province").values_list("code", flat=True)
    for code in provinces:
        part = refresh_province(code, now=now)
        total.provinces += 1
        total.petitions += part.petitions
        total.groups += part.groups
        total.alerts += part.alerts
    return {"provinces": total.provinces, "groups": total.groups, "alerts": total.alerts}


def _write_alerts(group: Group, thresholds: OfficeThresholds, now: datetime) -> int:
    from xinfang.search.models import CollectiveAlert

    members = sorted(group.members, key=lambda m: m.registered_at)
    first = members[0]
    listing = [
        {
            "petition_id": m.petition_id,
            "office_code": m.office_code,
            "reference": m.reference,
            "registered_at": m.registered_at.isoformat(),
        }
        for m in members
    ]
    categories = sorted({m.category for m in members if m.category})
    recipients = [(code, CollectiveAlert.Role.INVOLVED) for code in group.office_codes] + [
        (code, CollectiveAlert.Role.SUPERVISOR) for code in group.supervisor_codes
    ]
    alert = {
        "people_count": group.people,
        "petition_count": len(members),
        "office_codes": group.office_codes,
        "category": categories[0] if categories else "",
        "place": first.place[:200],
        "accused_body": first.accused_body[:200],
        "first_registered_at": members[0].registered_at,
        "last_registered_at": members[-1].registered_at,
        "members": listing,
        "refreshed_at": now,
    }
    written = 0
    for code, role in recipients:
        office = thresholds.office(code)
        if office is None:
            continue
        with tenant_context(office):
            CollectiveAlert.objects.update_or_create(
                group_id=group.group_id,
                defaults=alert | {"role": role},
                create_defaults=alert | {"role": role, "detected_at": now},
            )
        written += 1
    return written
