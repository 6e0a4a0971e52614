"""Public-schema tables shared by all offices: the registry of petition copies, the handoff ledger.

Public tables refer to office tables by UUID only (never a foreign key into an office schema), so an
office schema can live on any node of a schema-sharded cluster.
"""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

# Registry statuses in which a petition copy is still being worked on (and so can be overdue).
OPEN_STATUSES = ("registered", "routed", "accepted", "in_handling", "assigned_out")


class PetitionRecord(models.Model):
    """The registry: one row per petition copy, for oversight across offices.

    Written in the same transaction as the petition (`exchange/registry.py`). Holds what a higher
    office may see across its subtree — office, status, dates, deadlines, flags — never content or
    personal data. Refers to the petition by UUID (public tables never reference office tables).
    """

    petition_id = models.UUIDField(primary_key=True)
    matter_id = models.UUIDField(db_index=True)
    office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    office_level = models.CharField(max_length=8)
    # The office's code after its ancestors': subtree = lineage contains the supervisor's code.
    lineage_codes = ArrayField(models.CharField(max_length=6))
    reference = models.CharField(max_length=24)
    channel = models.CharField(max_length=8)
    category = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    registered_at = models.DateTimeField()
    next_due = models.DateField(null=True)
    accept_due = models.DateField(null=True)
    handling_due = models.DateField(null=True)
    accepted_at = models.DateTimeField(null=True)
    replied_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)
    satisfaction = models.CharField(max_length=20, blank=True)
    extended = models.BooleanField(default=False)
    is_repeat = models.BooleanField(default=False)
    is_skip_level = models.BooleanField(default=False)
    is_collective = models.BooleanField(default=False)
    is_cross_level = models.BooleanField(default=False)
    source_office_code = models.CharField(max_length=6, blank=True)
    # For a skip-level petition (越级访): the lower office whose matter it is.
    about_office_code = models.CharField(max_length=6, blank=True)
    # Offices that may read this petition's details, decided by tenants/jurisdiction.py.
    viewer_codes = ArrayField(models.CharField(max_length=6), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["lineage_codes"], name="record_lineage_gin"),
            GinIndex(fields=["viewer_codes"], name="record_viewers_gin"),
            models.Index(fields=["office", "-registered_at"], name="record_office_idx"),
            models.Index(fields=["next_due"], name="record_next_due_idx"),
            # Overdue petitions of a set of offices: a small slice of the registry.
            models.Index(
                fields=["office", "next_due"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="record_open_due_idx",
            ),
            # Cross-level petitions: counted per office from the index alone (skip-level
            # included), listed newest first from one office's rows or from the whole province's.
            models.Index(
                fields=["office", "-registered_at"],
                include=["is_skip_level"],
                condition=models.Q(is_cross_level=True),
                name="record_cross_level_idx",
            ),
            models.Index(
                fields=["-registered_at"],
                condition=models.Q(is_cross_level=True),
                name="record_cross_level_recent_idx",
            ),
            models.Index(
                fields=["about_office_code"],
                condition=~models.Q(about_office_code=""),
                name="record_about_office_idx",
            ),
        ]


class HandoffKind(models.TextChoices):
    TRANSFER = "transfer", "转送 transfer"
    ASSIGN = "assign", "交办 assign"
    ESCALATE = "escalate", "上报 escalate"
    REVIEW = "review", "复查 review request"
    RECHECK = "recheck", "复核 re-review request"


class HandoffStatus(models.TextChoices):
    PENDING = "pending", "待签收 in the receiver's inbox"
    ACCEPTED = "accepted", "已签收 accepted by the receiver"
    OBJECTED = "objected", "异议 objected, the sender decides"
    DISPUTED = "disputed", "异议争议 the common superior decides"
    RETURNED = "returned", "已退回 returned to the sender"
    REPORTED = "reported", "已报结果 result reported (assignment)"
    ANSWERED = "answered", "已出意见 opinion issued (review / re-review)"


# A petition copy has at most one handoff in these states (a second concurrent one cannot commit).
OPEN_HANDOFF_STATUSES = (HandoffStatus.PENDING, HandoffStatus.OBJECTED, HandoffStatus.DISPUTED)
# Handoffs that send the matter up for the receiver to look at.
UPWARD_KINDS = (HandoffKind.ESCALATE, HandoffKind.REVIEW, HandoffKind.RECHECK)


class Handoff(models.Model):
    """One move of a matter between two offices (the ledger row, 转送 / 交办 / 上报 / 复查 / 复核).

    Written in the same transaction as the sender's petition and the receiver's copy. `initiator`
    is the office whose officer asked for it (the sender, or the reviewing office for a review
    request): an idempotency key is unique per initiator.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=HandoffKind.choices)
    status = models.CharField(
        max_length=10, choices=HandoffStatus.choices, default=HandoffStatus.PENDING
    )
    matter_id = models.UUIDField(db_index=True)
    initiator_office = models.ForeignKey(
        "tenants.Office", on_delete=models.PROTECT, related_name="+"
    )
    sender_office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    receiver_office = models.ForeignKey(
        "tenants.Office", on_delete=models.PROTECT, related_name="+"
    )
    sender_petition_id = models.UUIDField(db_index=True)
    sender_reference = models.CharField(max_length=24)
    sender_prior_status = models.CharField(max_length=16, blank=True)
    receiver_petition_id = models.UUIDField(null=True, blank=True, db_index=True)
    receiver_reference = models.CharField(max_length=24, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=8, blank=True, help_text="escalation: major / urgent")
    identity_withheld = models.BooleanField(
        default=False, help_text="accusation sent to the body it accuses: reporter kept secret"
    )
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    # Deadlines: the receiver's acceptance (15 days), its objection window (5 working days), and
    # the assignment's result report or the review / re-review opinion.
    accept_due = models.DateField(null=True, blank=True)
    objection_due = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)

    accepted_at = models.DateTimeField(null=True, blank=True)
    objection_reason = models.TextField(blank=True)
    objected_at = models.DateTimeField(null=True, blank=True)
    # Who must decide an objection: the sender first, then the common superior.
    decider_office = models.ForeignKey(
        "tenants.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, blank=True, help_text="upheld / rejected")
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True, help_text="assignment result report or review opinion")
    result_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiator_office", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="handoff_idempotency_key_uniq",
            ),
            models.UniqueConstraint(
                fields=["sender_petition_id"],
                condition=models.Q(status__in=OPEN_HANDOFF_STATUSES),
                name="handoff_one_open_per_petition",
            ),
        ]
        indexes = [
            models.Index(
                fields=["receiver_office", "status", "-created_at"], name="handoff_inbox_idx"
            ),
            models.Index(fields=["sender_office", "-created_at"], name="handoff_outbox_idx"),
            models.Index(
                fields=["notified_at", "created_at"],
                condition=models.Q(notified_at__isnull=True),
                name="handoff_undelivered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sender_reference} → {self.receiver_office_id}"


class TerminatedMatter(models.Model):
    """A matter closed for good after the re-review opinion (终结): the same facts and reasons are
    refused everywhere in the province. Matched by `matter_id`, or by a petitioner's `person_key`
    with the same category."""

    matter_id = models.UUIDField(primary_key=True)
    province_code = models.CharField(max_length=6)
    category = models.CharField(max_length=8)
    person_keys = ArrayField(models.CharField(max_length=64), default=list)
    recheck = models.OneToOneField(Handoff, on_delete=models.PROTECT, related_name="+")
    terminated_at = models.DateTimeField()

    class Meta:
        indexes = [GinIndex(fields=["person_keys"], name="terminated_person_keys_gin")]
