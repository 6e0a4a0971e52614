"""The registry (public schema): what every office may know of every petition copy.

One row per petition copy (`PetitionRecord`), written in the same transaction as the petition by
`registry.services.sync`, and the matters terminated after re-review (`TerminatedMatter`). Cases,
exchange, supervision, search and tenants all read these; the registry depends on none of them but
`tenants` (the offices). Public tables refer to office tables by UUID only.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

# Registry statuses in which a petition copy is still being worked on (and so can be overdue).
OPEN_STATUSES = ("registered", "routed", "accepted", "in_handling", "assigned_out")


class PetitionRecord(models.Model):
    """The registry: one row per petition copy, for oversight across offices.

    Written in the same transaction as the petition (`registry.services.sync`). Holds what a higher
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
    # An accusation's accused body (its division): offices whose area contains it never read a
    # copy that names the reporter (registry/visibility.py).
    accused_division_code = models.CharField(max_length=12, blank=True)
    # Offices that may read this petition's details, decided by registry/visibility.py.
    viewer_codes = ArrayField(models.CharField(max_length=6), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "exchange_petitionrecord"  # where it was created; the rows never moved
        indexes = [
            GinIndex(fields=["lineage_codes"], name="record_lineage_gin"),
            GinIndex(fields=["viewer_codes"], name="record_viewers_gin"),
            models.Index(fields=["office", "-registered_at"], name="record_office_idx"),
            # The petitioner's lookup finds a copy by its reference from any office host.
            models.Index(fields=["reference"], name="record_reference_idx"),
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


class TerminatedMatter(models.Model):
    """A matter closed for good after the re-review opinion (终结): the same facts and reasons are
    no longer accepted. A petition is linked to it by its matter, by a confirmed repeat of it, by
    an officer's decision, or by a petitioner's `person_key` (or name and phone, `contact_keys`)
    anywhere in the province (`cases/finality.py`).

    The keys are those of every copy that names the petitioners, so an accuser whose identity
    was withheld from the re-reviewing office is still recognised; but never at an office the
    identity was withheld from (the accused's, Art 30) unless it held a copy naming them
    (`reporter_office_codes`): being recognised there would tell it who accused
    (`termination.recognised_at`).
    """

    matter_id = models.UUIDField(primary_key=True)
    province_code = models.CharField(max_length=6)
    category = models.CharField(max_length=8)
    person_keys = ArrayField(models.CharField(max_length=64), default=list)
    # `pii.contact_key` of each petitioner's name and phone: the same person without an ID number.
    contact_keys = ArrayField(models.CharField(max_length=64), default=list)
    # The re-review (复核) handoff whose opinion ended the matter, by id (the registry refers to
    # nothing above it).
    recheck_handoff_id = models.UUIDField(unique=True, db_column="recheck_id")
    # The re-review copy's reference: what a 不再受理 notice cites.
    recheck_reference = models.CharField(max_length=24, blank=True)
    terminated_at = models.DateTimeField()
    # An accusation (检举控告): its accused body's division, and the offices whose copy named the
    # reporter; the keys do not link a petition at any other office inside the accused's area.
    is_accusation = models.BooleanField(default=False)
    accused_division_code = models.CharField(max_length=12, blank=True)
    reporter_office_codes = ArrayField(models.CharField(max_length=6), default=list)

    class Meta:
        db_table = "exchange_terminatedmatter"
        indexes = [
            GinIndex(fields=["person_keys"], name="terminated_person_keys_gin"),
            GinIndex(fields=["contact_keys"], name="terminated_contact_keys_gin"),
        ]
