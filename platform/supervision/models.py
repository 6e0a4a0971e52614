"""Supervision between offices (public schema): orders from higher offices, and metric rollups."""

import uuid

from django.db import models


class OrderReason(models.TextChoices):
    OVERDUE = "overdue", "逾期未办结 overdue"
    NOT_ACCEPTED = "not_accepted", "应受理未受理 not accepted though it should be"
    NOT_IMPLEMENTED = "not_implemented", "处理意见未落实 opinion not implemented"
    OTHER = "other", "其他 other"


class OrderStatus(models.TextChoices):
    OPEN = "open", "待回复 awaiting the answer"
    ANSWERED = "answered", "已回复 answered"


class SupervisionOrder(models.Model):
    """A 督办单: a higher office orders a lower office to act on one petition, by a deadline.

    The lower office must answer. An order not answered by its deadline goes overdue (the beat scan
    stamps `overdue_at`) and shows up in the issuing office's overview.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    issuer_office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    target_office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    petition_id = models.UUIDField(db_index=True, help_text="the target office's petition copy")
    matter_id = models.UUIDField()
    reference = models.CharField(max_length=24)
    reason = models.CharField(max_length=16, choices=OrderReason.choices)
    instructions = models.TextField()
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_office", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="order_idempotency_key_uniq",
            )
        ]
        indexes = [
            models.Index(fields=["issuer_office", "status", "due_date"], name="order_issuer_idx"),
            models.Index(fields=["target_office", "status", "due_date"], name="order_target_idx"),
        ]

    def __str__(self) -> str:
        return f"督办 {self.reference} by {self.due_date}"


class OfficeMetrics(models.Model):
    """One office's counts for one month, recomputed from the registry by the beat rollup.

    Rates are derived from counts, so a subtree's figures are sums of its offices' rows.
    """

    office = models.ForeignKey("tenants.Office", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="first day of the month")
    registered = models.PositiveIntegerField(default=0)
    acceptance_due = models.PositiveIntegerField(default=0)
    accepted_on_time = models.PositiveIntegerField(default=0)
    handling_due = models.PositiveIntegerField(default=0)
    completed_on_time = models.PositiveIntegerField(default=0)
    evaluated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    repeat = models.PositiveIntegerField(default=0)
    skip_level_registered = models.PositiveIntegerField(default=0, help_text="越级访 received here")
    skip_level_about = models.PositiveIntegerField(
        default=0, help_text="越级访 about this office's matters, registered above it"
    )
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="metrics_office_month_uniq")
        ]
        indexes = [models.Index(fields=["month", "office"], name="metrics_month_idx")]
