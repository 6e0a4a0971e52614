"""Where collective alerts live: one `CollectiveAlert` row per office that sees the action.

The province office sees every action of its province (it is above every office), so its rows are
the book `collective.track` reads and updates; each tracked alert is then written, under the same
id, to every office involved and every office above them. An office's own acknowledgement stays
its own; an end (closed, resolved, merged) is the action's and reaches every copy.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tenants.utils import tenant_context

from xinfang.search.collective import (
    LIVE,
    LOOKBACK_DAYS,
    OPEN,
    OfficeThresholds,
    RefreshReport,
    Tracked,
    detect_groups,
    recent_members,
    track,
)
from xinfang.search.models import CollectiveAlert

Role = CollectiveAlert.Role


def load_book(province, *, now: datetime) -> list[Tracked]:
    """The province's live alerts and those that ended within two look-backs (a group of their
    members must not be alerted again)."""
    if province is None:
        return []
    since = now - timedelta(days=2 * LOOKBACK_DAYS)
    with tenant_context(province):
        rows = list(
            CollectiveAlert.objects.filter(state__in=LIVE)
            | CollectiveAlert.objects.exclude(state__in=LIVE).filter(closed_at__gte=since)
        )
    return [_tracked(row) for row in rows]


def _tracked(row: CollectiveAlert) -> Tracked:
    return Tracked(
        alert_id=row.group_id,
        state=OPEN if row.state in LIVE else row.state,
        decided_by=row.decided_by,
        members={m["petition_id"]: m for m in row.members},
        people=set(row.people),
        detected_at=row.detected_at,
        refreshed_at=row.refreshed_at,
        place=row.place,
        accused_body=row.accused_body,
        category=row.category,
        merged_into=row.merged_into,
        closed_at=row.closed_at,
    )


def recipients(alert: Tracked) -> list[tuple[str, str]]:
    """(office code, role): the offices of the members, then every office above them."""
    involved = {m["office_code"] for m in alert.members.values()}
    above = {code for m in alert.members.values() for code in m.get("lineage", [])} - involved
    return [(c, Role.INVOLVED) for c in sorted(involved)] + [
        (c, Role.SUPERVISOR) for c in sorted(above)
    ]


def offices_of(row: CollectiveAlert) -> list:
    """The offices holding a copy of an alert: its members' offices and every office above."""
    from xinfang.tenants.models import Office

    codes = {m["office_code"] for m in row.members} | {
        code for m in row.members for code in m.get("lineage", [])
    }
    return list(Office.objects.offices().filter(code__in=codes))


def write(alert: Tracked, offices, now: datetime) -> int:
    """Write the alert to every office that sees it; returns how many offices were written."""
    members = sorted(alert.members.values(), key=lambda m: (m["registered_at"], m["petition_id"]))
    fields = {
        "people_count": len(alert.people),
        "petition_count": len(members),
        "office_codes": sorted({m["office_code"] for m in members}),
        "category": alert.category,
        "place": alert.place,
        "accused_body": alert.accused_body,
        "first_registered_at": parse_datetime(members[0]["registered_at"]),
        "last_registered_at": parse_datetime(members[-1]["registered_at"]),
        "members": members,
        "people": sorted(alert.people),
        "decided_by": alert.decided_by,
        "merged_into": alert.merged_into,
        "closed_at": alert.closed_at,
        "refreshed_at": now,
    }
    ended = {} if alert.state in LIVE else {"state": alert.state}
    written = 0
    for code, role in recipients(alert):
        office = offices.office(code)
        if office is None:
            continue
        with tenant_context(office):
            CollectiveAlert.objects.update_or_create(
                group_id=alert.alert_id,
                defaults=fields | ended | {"role": role},
                create_defaults=fields | ended | {"role": role, "detected_at": alert.detected_at},
            )
        written += 1
    return written


def refresh_province(province_code: str, *, now: datetime | None = None) -> RefreshReport:
    """Detect the province's collective groups and bring its alerts up to date."""
    now = now or timezone.now()
    report = RefreshReport(provinces=1)
    members = recent_members(province_code, now=now)
    report.petitions = len(members)
    thresholds = OfficeThresholds()
    groups = detect_groups(members, thresholds)
    report.groups = len(groups)
    book = load_book(thresholds.office(province_code), now=now)
    book = track(book, groups, now=now, window_days=thresholds.window)
    for alert in book:
        if alert.changed:
            report.alerts += write(alert, thresholds, now)
        if alert.state in LIVE:
            report.group_ids.append(alert.alert_id)
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
