"""The handoff ledger (public schema): one row per move of a matter between two offices.

Public tables refer to office tables by UUID only (never a foreign key into an office schema), so an
office schema can live on any node of a schema-sharded cluster. The per-copy registry rows and the
terminated matters live in `platform/registry/`.
"""

import uuid

from django.db import models


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

    reason = models.TextField(max_length=2000, blank=True)
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
    # A review / re-review request: the day the petitioner asked (the opinion's clock starts).
    requested_on = models.DateField(null=True, blank=True)

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
