"""Public-schema tables shared by all offices."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


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
    # Offices that may read this petition's details, decided by tenants/jurisdiction.py.
    viewer_codes = ArrayField(models.CharField(max_length=6), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["lineage_codes"], name="record_lineage_gin"),
            GinIndex(fields=["viewer_codes"], name="record_viewers_gin"),
            models.Index(fields=["office", "-registered_at"], name="record_office_idx"),
            models.Index(fields=["next_due"], name="record_next_due_idx"),
        ]
