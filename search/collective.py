"""Collective petitions (集体访 / 联名信访): several distinct people about one matter within a time
window — across the offices of a subtree — as alerts with a life.

Detection: `alerts.refresh_province` reads the province's recent petitions from Elasticsearch and
links two petitions when they are likely one matter (`scoring.matter_probability` ≥ `LINK`: facts,
place, body and wording; person evidence left out, these are different people). Only petitions
that share a block — the district and a strong fact, place or body — are compared. A connected
group is collective when, for some office whose subtree holds its petitions (an office involved
or one above it), they bring at least the office's `collective_min_people` distinct people within
its `collective_window_days` (OfficeSettings; 5 people in 7 days by default).

Life (`track`): a detected group that shares a petition with a live alert grows that alert (same
id); one that shares petitions with several merges them into the oldest (the others become
`merged`, pointing at it); otherwise it opens a new alert. A live alert closes when no group
holds it any more (its look-back no longer makes it collective) and nothing joined for its
window; an officer may resolve it. Members are kept when they leave the look-back, so
an action that lasts for weeks stays one alert. The province office's alerts are the book every
refresh reads (every alert reaches the province: it is above every office); each alert is written
to the offices involved and every office above them, members from every office included.
`detect_groups` and `track` need neither the database nor Elasticsearch: the quality command
replays them day by day on the labelled corpora.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.dateparse import parse_datetime
from django_tenants.utils import tenant_context
from elasticsearch.helpers import scan

from xinfang.search import facts, scoring
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 31  # the longest window an office may configure
DEFAULT_THRESHOLDS = (5, 7)
LINK = 0.5  # matter probability that links two petitions of different people
MAX_BLOCK = 2000  # petitions compared pairwise in one block
OPEN, ACKNOWLEDGED, CLOSED, RESOLVED, MERGED = (
    "open",
    "acknowledged",
    "closed",
    "resolved",
    "merged",
)
LIVE = (OPEN, ACKNOWLEDGED)
_SOURCE = [
    "petition_id", "office_code", "office_level", "ancestor_codes", "reference", "registered_at",
    "person_keys", "phone_keys", "identity_keys", "petitioner_count", "content", "place",
    "place_code", "place_key", "accused_body", "body_key", "category", "facts", "viewer_codes",
]  # fmt: skip

Thresholds = Callable[[str], tuple[int, int]]


@dataclass
class Member:
    petition_id: str
    office_code: str
    lineage: tuple[str, ...]
    reference: str
    registered_at: datetime
    people: frozenset[str]
    profile: scoring.Profile
    office_level: str = ""
    place: str = ""
    accused_body: str = ""
    category: str = ""
    viewer_codes: tuple[str, ...] = ()

    @classmethod
    def from_source(cls, src: dict) -> "Member":
        registered = src["registered_at"]
        if isinstance(registered, str):
            registered = parse_datetime(registered)
        identities = (
            list(src.get("person_keys") or [])
            or list(src.get("identity_keys") or [])[:1]
            or list(src.get("phone_keys") or [])
        )
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
            profile=scoring.Profile.of(src),
            office_level=src.get("office_level", ""),
            place=src.get("place", ""),
            accused_body=src.get("accused_body", ""),
            category=src.get("category", ""),
            viewer_codes=tuple(src.get("viewer_codes") or (src["office_code"],)),
        )

    def blocks(self) -> set[tuple]:
        """What a petition is compared within: its district and each strong fact, its place,
        its body. Two petitions that share no block are never one matter."""
        district = self.profile.place_code
        keys = {
            (district, f) for kind in facts.STRONG for f in self.profile.facts.by_kind.get(kind, ())
        }
        if self.profile.place_key:
            keys.add((district, "place", self.profile.place_key))
        if self.profile.body_key:
            keys.add((district, "body", self.profile.body_key))
        return keys

    def listing(self) -> dict:
        return {
            "petition_id": self.petition_id,
            "office_code": self.office_code,
            "office_level": self.office_level,
            "reference": self.reference,
            "registered_at": self.registered_at.isoformat(),
            "viewer_codes": list(self.viewer_codes),
            "lineage": list(self.lineage[:-1]),
        }


@dataclass
class Group:
    members: list[Member]  # the whole connected group, every office
    decided_by: str  # the office whose subtree and thresholds made it collective
    people: int

    @property
    def office_codes(self) -> list[str]:
        return sorted({m.office_code for m in self.members})


def _related(a: Member, b: Member) -> bool:
    if a.people & b.people:
        return False  # one person again is a repeat, not a collective action
    return scoring.matter_probability(a.profile, b.profile) >= LINK


def _components(members: list[Member]) -> list[list[Member]]:
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        for key in m.blocks():
            blocks[key].append(i)
    compared: set[tuple[int, int]] = set()
    for block in blocks.values():
        block = block[-MAX_BLOCK:]
        for x, i in enumerate(block):
            for j in block[x + 1 :]:
                if find(i) == find(j) or (i, j) in compared:
                    continue
                compared.add((i, j))
                if _related(members[i], members[j]):
                    parent[find(i)] = find(j)
    groups: dict[int, list[Member]] = defaultdict(list)
    for i, m in enumerate(members):
        groups[find(i)].append(m)
    return [g for g in groups.values() if len(g) > 1 or len(g[0].people) > 1]


def _people(members: Iterable[Member]) -> frozenset[str]:
    return frozenset().union(*(m.people for m in members))


def _people_in_window(members: list[Member], days: int) -> int:
    """The most distinct people within any `days`-long window."""
    ordered = sorted(members, key=lambda m: m.registered_at)
    best, start = 0, 0
    for end, last in enumerate(ordered):
        while ordered[start].registered_at < last.registered_at - timedelta(days=days):
            start += 1
        best = max(best, len(_people(ordered[start : end + 1])))
    return best


def detect_groups(members: Iterable[Member], thresholds: Thresholds) -> list[Group]:
    """Collective groups among `members`; `thresholds(office_code)` is (min people, window days)."""
    found = []
    for component in _components(list(members)):
        deciders = sorted(
            {code for m in component for code in m.lineage}, key=lambda c: -_depth(component, c)
        )
        for code in deciders:  # lowest offices first: the one closest to the petitions decides
            in_subtree = [m for m in component if code in m.lineage]
            min_people, days = thresholds(code)
            if _people_in_window(in_subtree, days) >= min_people:
                found.append(
                    Group(members=component, decided_by=code, people=len(_people(component)))
                )
                break
    return found


def _depth(component: list[Member], code: str) -> int:
    return max((m.lineage.index(code) for m in component if code in m.lineage), default=0)


# --- the life of an alert ------------------------------------------------------------------------


@dataclass
class Tracked:
    """One alert as the book holds it: a stable id, a state, every member it ever had."""

    alert_id: str
    state: str
    decided_by: str
    members: dict[str, dict]  # petition id -> Member.listing()
    people: set[str]
    detected_at: datetime
    refreshed_at: datetime
    place: str = ""
    accused_body: str = ""
    category: str = ""
    merged_into: str = ""
    closed_at: datetime | None = None
    changed: bool = True

    @property
    def member_ids(self) -> set[str]:
        return set(self.members)

    @property
    def first_registered_at(self) -> datetime:
        return min(_when(m) for m in self.members.values())

    @property
    def last_registered_at(self) -> datetime:
        return max(_when(m) for m in self.members.values())

    def absorb(self, group: Group, now: datetime) -> None:
        new = {
            m.petition_id: m.listing() for m in group.members if m.petition_id not in self.members
        }
        people = self.people | _people(group.members)
        if new or people != self.people:
            self.members.update(new)
            self.people = set(people)
            self.changed = True
        self.refreshed_at = now

    def merge(self, other: "Tracked", now: datetime) -> None:
        self.members.update(other.members)
        self.people |= other.people
        other.state, other.merged_into, other.closed_at = MERGED, self.alert_id, now
        other.changed = self.changed = True


def _when(listing: dict) -> datetime:
    value = listing["registered_at"]
    return parse_datetime(value) if isinstance(value, str) else value


def _new_alert(group: Group, now: datetime) -> Tracked:
    first = min(group.members, key=lambda m: (m.registered_at, m.petition_id))
    categories = sorted({m.category for m in group.members if m.category})
    return Tracked(
        alert_id=hashlib.sha1(f"collective:{first.petition_id}".encode()).hexdigest()[:32],
        state=OPEN,
        decided_by=group.decided_by,
        members={m.petition_id: m.listing() for m in group.members},
        people=set(_people(group.members)),
        detected_at=now,
        refreshed_at=now,
        place=first.place[:200],
        accused_body=next((m.accused_body for m in group.members if m.accused_body), "")[:200],
        category=categories[0] if categories else "",
    )


def track(
    alerts: list[Tracked], groups: list[Group], *, now: datetime, window_days: Callable[[str], int]
) -> list[Tracked]:
    """The book after one refresh: groups grow, merge or open alerts; quiet ones close.

    A group made only of members of alerts already closed or resolved raises nothing new; one
    that adds two people or more to such an alert (people it did not have: its own again are
    not new) opens a new alert for the new members' action.
    """
    for alert in alerts:
        alert.changed = False
    live = [a for a in alerts if a.state in LIVE]
    done = [a for a in alerts if a.state in (CLOSED, RESOLVED)]
    touched: set[str] = set()
    for group in groups:
        ids = {m.petition_id for m in group.members}
        ended = [a for a in done if a.member_ids & ids]
        finished = set().union(*(a.member_ids for a in ended))
        known = set().union(*(a.people for a in ended))  # their people again are not new
        hits = sorted(
            (a for a in live if a.member_ids & ids), key=lambda a: (a.detected_at, a.alert_id)
        )
        if hits:
            keep = hits[0]
            for other in hits[1:]:
                keep.merge(other, now)
                live.remove(other)
            keep.absorb(group, now)
            touched.add(keep.alert_id)
            continue
        fresh = [m for m in group.members if m.petition_id not in finished]
        if not fresh or (finished and len(_people(fresh) - known) < 2):
            continue
        alert = _new_alert(Group(fresh, group.decided_by, len(_people(fresh))), now)
        if any(a.alert_id == alert.alert_id for a in alerts):
            continue  # that petition's action was already alerted and ended
        alerts.append(alert)
        live.append(alert)
        touched.add(alert.alert_id)
    for alert in live:
        quiet = now - alert.last_registered_at > timedelta(days=window_days(alert.decided_by))
        if alert.alert_id not in touched and quiet:
            alert.state, alert.closed_at, alert.changed = CLOSED, now, True
    return alerts


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
                    {
                        "range": {
                            "registered_at": {"gte": since.isoformat(), "lte": now.isoformat()}
                        }
                    },
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

    def window(self, code: str) -> int:
        return self(code)[1]

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
