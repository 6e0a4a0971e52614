"""Public-schema rows higher offices read about resolution across their subtree: the hard-case
ledger (积案台账), care plans after termination, monthly resolution metrics and the daily scan.

Written by `resolution/services.py` in the same transaction as the office's own rows. They hold
office, dates, counts and the leader's name — never content or personal data — and refer to the
office's rows by UUID (public tables never reference office tables).
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class HardCaseEntry(models.Model):
    """One hard case (包案) of one office, as the subtree ledger shows it."""

    hard_case_id = models.UUIDField(primary_key=True)
    office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    office_level = models.CharField(max_length=8)
    lineage_codes = ArrayField(models.CharField(max_length=6))
    petition_id = models.UUIDField()
    matter_id = models.UUIDField()
    reference = models.CharField(max_length=24)
    reason = models.CharField(max_length=16)
    leader_name = models.CharField(max_length=150)
    target_date = models.DateField()
    status = models.CharField(max_length=10)
    milestones_total = models.PositiveSmallIntegerField(default=0)
    milestones_done = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["target_date", "hard_case_id"]
        indexes = [
            GinIndex(fields=["lineage_codes"], name="hardcase_lineage_gin"),
            models.Index(fields=["status", "target_date"], name="hardcase_status_idx"),
        ]


class CarePlanEntry(models.Model):
    """One care plan after termination (Art 37), visible to the office's supervisors."""

    care_plan_id = models.UUIDField(primary_key=True)
    office = models.ForeignKey("tenants.Office", on_delete=models.PROTECT, related_name="+")
    lineage_codes = ArrayField(models.CharField(max_length=6))
    petition_id = models.UUIDField()
    reference = models.CharField(max_length=24)
    measures = ArrayField(models.CharField(max_length=20))
    next_contact_on = models.DateField()
    visits = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["next_contact_on", "care_plan_id"]
        indexes = [GinIndex(fields=["lineage_codes"], name="careplan_lineage_gin")]


class ResolutionMetrics(models.Model):
    """One office's resolution counts for one month; rates derive from counts, so a subtree's
    figures are sums of its offices' rows."""

    office = models.ForeignKey("tenants.Office", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="first day of the month")
    opinions = models.PositiveIntegerField(default=0)
    return_visits_due = models.PositiveIntegerField(default=0)
    return_visits_held = models.PositiveIntegerField(default=0)
    return_visits_on_time = models.PositiveIntegerField(default=0)
    items_due = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0, help_text="closures solved or mediated")
    reopened = models.PositiveIntegerField(default=0)
    hard_cases_due = models.PositiveIntegerField(default=0)
    hard_cases_resolved_in_time = models.PositiveIntegerField(default=0)
    collective_alerts = models.PositiveIntegerField(default=0)
    collective_alerts_visited = models.PositiveIntegerField(
        default=0, help_text="answered by an appointment visit (约访)"
    )
    appointment_visits = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="resmetrics_office_month_uniq")
        ]


class ResolutionScan(models.Model):
    """The daily scan of one office ran for this day (the dispatcher skips offices done)."""

    office = models.ForeignKey("tenants.Office", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visits_due_soon = models.PositiveIntegerField(default=0)
    visits_overdue = models.PositiveIntegerField(default=0)
    items_due_soon = models.PositiveIntegerField(default=0)
    items_overdue = models.PositiveIntegerField(default=0)
    hard_cases_overdue = models.PositiveIntegerField(default=0)
    care_contacts_overdue = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day"], name="resscan_office_day_uniq")
        ]
        indexes = [models.Index(fields=["day", "office"], name="resscan_day_idx")]
