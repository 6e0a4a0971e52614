"""Who may see what: the one place that decides visibility between offices.

An office sees its own petitions. A higher office sees a lower office's petition only when it was
escalated to it, handed off by or to it, is under its supervision order, or is flagged cross-level
(repeat or skip-level). The decision is stored per petition as `PetitionRecord.viewer_codes`, so
GraphQL (a GIN lookup on the registry) and Elasticsearch (a `terms` filter on the same codes)
apply exactly the same rule. Whenever one of its inputs changes, `registry.services.sync` (or
`refresh_viewers`) recomputes it.

Handoffs, precisely:
- the sender of a handoff sees the receiver's copy (it handed the matter off);
- the receiver sees the sender's copy, unless the reporter's identity was withheld from it (an
  accusation sent to the body it accuses: the sender's copy names the reporter);
- an office asked to decide an objection sees both copies;
- the issuer of a supervision order sees the petition it supervises.

Oversight is wider but shallower: a higher office reads the registry rows (office, status, dates,
deadlines, flags; never content or personal data) of its whole subtree (`subtree_records`).

The handoff and supervision inputs are read from the public ledger and order tables by one SQL
statement (the registry imports neither app: they build on it).
"""

from django.db import connection
from django.db.models import QuerySet

from xinfang.platform.errors import ErrorCode, PermissionDenied
from xinfang.platform.registry.models import PetitionRecord
from xinfang.tenants.divisions import jurisdiction_contains


class NotVisible(PermissionDenied):
    """The office may not see (or act on) this petition or handoff."""

    code = ErrorCode.NOT_VISIBLE


def reporter_withheld_from(*, is_accusation: bool, accused_division_code: str, office_code: str):
    """Whether an accuser's identity (检举控告, Art 30) is withheld from this office: from every
    office whose jurisdiction contains the accused body (decided by the body's division code);
    an accusation without a division code (registered before it was required) from every office,
    since nothing proves the office is not the accused's."""
    if not is_accusation:
        return False
    if not accused_division_code:
        return True
    return jurisdiction_contains(office_code, accused_division_code)


def viewer_codes(record) -> set[str]:
    """The offices that may read this petition's details.

    A copy of an accusation that names the reporter is never read by another office whose area
    contains the accused body (Art 30), however it is related to the copy."""
    codes = {record.office.code}
    if record.is_cross_level:
        codes.update(record.lineage_codes)
    involved, received_withheld = _handoff_and_supervision_codes(record)
    codes.update(involved)
    accused = record.accused_division_code
    if accused and not received_withheld:
        codes = {
            c for c in codes if c == record.office.code or not jurisdiction_contains(c, accused)
        }
    return codes


_INVOLVED_SQL = """
SELECT h.sender_petition_id = %(p)s, s.code, r.code, h.identity_withheld, d.code
FROM exchange_handoff h
JOIN tenants_office s ON s.id = h.sender_office_id
JOIN tenants_office r ON r.id = h.receiver_office_id
LEFT JOIN tenants_office d ON d.id = h.decider_office_id
WHERE h.sender_petition_id = %(p)s OR h.receiver_petition_id = %(p)s
UNION ALL
SELECT NULL, i.code, NULL, false, NULL
FROM supervision_supervisionorder o JOIN tenants_office i ON i.id = o.issuer_office_id
WHERE o.petition_id = %(p)s
"""


def _handoff_and_supervision_codes(record) -> tuple[set[str], bool]:
    """Offices involved through handoffs and supervision orders on this petition copy (one query
    over the public ledger and the orders), and whether the copy arrived without the reporter's
    identity."""
    codes: set[str] = set()
    received_withheld = False
    with connection.cursor() as cursor:
        cursor.execute(_INVOLVED_SQL, {"p": record.petition_id})
        rows = cursor.fetchall()
    for is_sender, first, receiver, withheld, decider in rows:
        if is_sender is None:  # a supervision order: its issuer
            codes.add(first)
        elif is_sender:  # this copy was sent: the receiver sees it, unless identity withheld
            if not withheld:
                codes.add(receiver)
        else:  # this copy was received: the sender, which handed it off, sees it
            codes.add(first)
            received_withheld = received_withheld or withheld
        if decider:
            codes.add(decider)
    return codes, received_withheld


def can_view(office, record) -> bool:
    return office.code in record.viewer_codes


def visible_records(office) -> QuerySet:
    """Registry rows of the petitions whose details `office` may read."""
    return PetitionRecord.objects.filter(viewer_codes__contains=[office.code])


def subtree_office_ids(office) -> list[int]:
    """The office and every office below it (what its oversight covers)."""
    return list(office.subtree().values_list("pk", flat=True))


def subtree_records(office, office_ids: list[int] | None = None) -> QuerySet:
    """Registry rows (no content, no personal data) of the office's whole subtree."""
    ids = office_ids if office_ids is not None else subtree_office_ids(office)
    return PetitionRecord.objects.filter(office_id__in=ids)


def oversees(office, other) -> bool:
    """`office` is `other` or above it."""
    return office.code == other.code or office.code in other.ancestor_codes


def refresh_viewers(record) -> None:
    """Recompute and store a record's viewers (after a handoff or a supervision order)."""
    codes = sorted(viewer_codes(record))
    if codes != list(record.viewer_codes):
        record.viewer_codes = codes
        record.save(update_fields=["viewer_codes"])
