"""Keeping the public registry row of a petition in step with the petition itself.

`sync` is called by every service that changes a petition, inside that service's transaction.
On the first sync of a petition registered at a city or province office about a place that a lower
office is competent for, it flags the petition skip-level (越级访) and remembers that lower office,
so both offices' metrics count it. A new registration linked to a matter terminated after
re-review (终结) is registered, and can then only be declined as 不再受理 (`cases/finality.py`).
"""

import contextlib
from contextvars import ContextVar

from xinfang.platform.registry import visibility
from xinfang.platform.registry.models import PetitionRecord
from xinfang.tenants.context import current_office
from xinfang.tenants.divisions import Level
from xinfang.tenants.models import Office

# Petition fields copied as they are into the registry row.
MIRRORED = (
    "matter_id", "reference", "channel", "category", "status", "registered_at", "next_due",
    "accept_due", "handling_due", "accepted_at", "replied_at", "closed_at", "satisfaction",
    "extended", "is_repeat", "is_skip_level", "is_collective", "source_office_code",
    "accused_division_code",
)  # fmt: skip


def competent_lower_office(office: Office, place_code: str) -> Office | None:
    """The office below `office` whose area holds `place_code` (the deepest one), if any."""
    if not place_code or office.level == Level.COUNTY:
        return None
    candidates = {place_code, place_code[:4] + "00"} - {office.code}
    found = [
        o
        for o in Office.objects.offices().filter(
            code__in=candidates, ancestor_codes__contains=[office.code]
        )
    ]
    return max(found, key=lambda o: len(o.ancestor_codes), default=None)


# Inside a handoff several copies are synced more than once before the ledger row that decides
# their viewers is complete: viewers are then computed once per copy, at the end.
_deferred: ContextVar[set | None] = ContextVar("deferred_viewers", default=None)


@contextlib.contextmanager
def viewers_deferred():
    """Sync without recomputing viewers, then recompute them once for every copy touched (only
    when the block succeeds; on an error the transaction rolls back anyway)."""
    touched: set = set()
    token = _deferred.set(touched)
    try:
        yield
    finally:
        _deferred.reset(token)
    for record in PetitionRecord.objects.select_related("office").filter(petition_id__in=touched):
        visibility.refresh_viewers(record)


def sync(petition) -> PetitionRecord:
    """Upsert the registry row, its viewers included, in one write (so search, which follows the
    row's saves, queues one indexing per change); call inside the transaction that changed the
    petition, which holds the petition's row lock."""
    office = current_office()
    record = PetitionRecord.objects.filter(petition_id=petition.pk).first()
    about_office_code = record.about_office_code if record else ""
    if record is None and not petition.source_office_code:
        lower = competent_lower_office(office, getattr(petition, "place_code", ""))
        if lower is not None:
            about_office_code = lower.code or ""
            if not petition.is_skip_level:
                petition.is_skip_level = True
                type(petition).objects.filter(pk=petition.pk).update(is_skip_level=True)
    created = record is None
    record = record or PetitionRecord(petition_id=petition.pk)
    for field in MIRRORED:
        setattr(record, field, getattr(petition, field))
    record.office = office
    record.office_level = office.level
    record.lineage_codes = office.lineage_codes
    record.is_cross_level = petition.is_skip_level or petition.is_repeat
    record.about_office_code = about_office_code
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(record.petition_id)
    else:
        record.viewer_codes = sorted(visibility.viewer_codes(record))
    record.save(force_insert=created)
    return record


def refresh_viewers_of(*petition_ids) -> None:
    """Recompute the viewers of these copies (after a ledger row that concerns them changed)."""
    ids = [p for p in petition_ids if p]
    for record in PetitionRecord.objects.select_related("office").filter(petition_id__in=ids):
        visibility.refresh_viewers(record)
