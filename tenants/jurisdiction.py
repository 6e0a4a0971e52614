"""Who may see what: the one place that decides visibility between offices.

An office sees its own petitions. A higher office sees a lower office's petition only when it was
escalated to it, handed off by or to it, is under its supervision order, or is flagged cross-level
(repeat or skip-level). The decision is stored per petition as `PetitionRecord.viewer_codes`, so
GraphQL (a GIN lookup on the registry) and Elasticsearch (a `terms` filter on the same codes)
apply exactly the same rule. Whenever one of its inputs changes, `exchange.registry.sync` (or
`refresh_viewers`) recomputes it.

Handoffs, precisely:
- the sender of a handoff sees the receiver's copy (it handed the matter off);
- the receiver sees the sender's copy, unless the reporter's identity was withheld from it (an
  accusation sent to the body it accuses: the sender's copy names the reporter);
- an office asked to decide an objection sees both copies;
- the issuer of a supervision order sees the petition it supervises.

Oversight is wider but shallower: a higher office reads the registry rows (office, status, dates,
deadlines, flags; never content or personal data) of its whole subtree (`subtree_records`).
"""

from django.db.models import Q, QuerySet


def viewer_codes(record) -> set[str]:
    """The offices that may read this petition's details."""
    codes = {record.office.code}
    if record.is_cross_level:
        codes.update(record.lineage_codes)
    codes.update(_handoff_and_supervision_codes(record))
    return codes


def _handoff_and_supervision_codes(record) -> set[str]:
    """Offices involved through handoffs and supervision orders on this petition copy."""
    from xinfang.platform.exchange.models import Handoff
    from xinfang.platform.supervision.models import SupervisionOrder

    codes: set[str] = set()
    handoffs = Handoff.objects.filter(
        Q(sender_petition_id=record.petition_id) | Q(receiver_petition_id=record.petition_id)
    ).values_list(
        "sender_petition_id",
        "sender_office__code",
        "receiver_office__code",
        "identity_withheld",
        "decider_office__code",
    )
    for sender_petition_id, sender, receiver, withheld, decider in handoffs:
        if sender_petition_id == record.petition_id:
            if not withheld:
                codes.add(receiver)
        else:
            codes.add(sender)
        if decider:
            codes.add(decider)
    codes.update(
        SupervisionOrder.objects.filter(petition_id=record.petition_id).values_list(
            "issuer_office__code", flat=True
        )
    )
    return codes


def can_view(office, record) -> bool:
    return office.code in record.viewer_codes


def visible_records(office) -> QuerySet:
    """Registry rows of the petitions whose details `office` may read."""
    from xinfang.platform.exchange.models import PetitionRecord

    return PetitionRecord.objects.filter(viewer_codes__contains=[office.code])


def subtree_office_ids(office) -> list[int]:
    """The office and every office below it (what its oversight covers)."""
    return list(office.subtree().values_list("pk", flat=True))


def subtree_records(office, office_ids: list[int] | None = None) -> QuerySet:
    """Registry rows (no content, no personal data) of the office's whole subtree."""
    from xinfang.platform.exchange.models import PetitionRecord

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
