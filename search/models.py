"""Repeat and collective detection results, per office (tables in each office's schema).

A `RepeatCheck` is the latest repeat check of one petition; its `RepeatCandidate`s are earlier
petitions anywhere in the province, each with a score, the reasons it matched, and the officer's
decision. Candidates outside the office's visibility keep only office, level, date, reference,
status and score. A `CollectiveAlert` is one collective action (集体访) as seen by one office — an
office involved or a supervisor above one — keyed by its stable id (`group_id`) so every refresh
updates it in place: it grows, merges into another, closes (search/collective.py). A
`DetectionSettings` row holds the office's repeat-check threshold.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from xinfang.search.scoring import DEFAULT_THRESHOLD


class RepeatCheck(models.Model):
    """The latest repeat check (重复信访核查) of a petition of this office."""

    class State(models.TextChoices):
        PENDING = "pending", "待核查 pending: registered, the check not yet run"
        DONE = "done", "已核查 done"
        UNAVAILABLE = "unavailable", "检索不可用 search unavailable: it runs again"

    petition = models.OneToOneField(
        "cases.Petition", on_delete=models.CASCADE, related_name="repeat_check"
    )
    # Written pending with the petition copy's registry row (search/signals.py), in its
    # transaction: a registered petition always has a check to show.
    state = models.CharField(max_length=12, choices=State.choices)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The petition repeats a matter that was terminated (终结) after re-review: flag it at once.
    on_terminated_matter = models.BooleanField(default=False)
    terminated_matter_ids = ArrayField(models.UUIDField(), default=list, blank=True)

    def __str__(self) -> str:
        return f"repeat check of {self.petition_id}: {self.state}"


class RepeatCandidate(models.Model):
    """An earlier petition (any office, any level of the province) that may be the same matter."""

    # Not columns: what the reading office may do and see of it now (selectors.with_details).
    can_open: bool
    details: dict | None

    class Reason(models.TextChoices):
        SAME_PERSON = "same_person", "同一信访人 same person"
        RELATIVE = "relative", "亲属或同户 relative or household"
        SIMILAR_CONTENT = "similar_content", "内容相似 similar content"

    class Decision(models.TextChoices):
        PENDING = "pending", "待确认 pending"
        CONFIRMED = "confirmed", "确认重复 confirmed"
        DISMISSED = "dismissed", "排除 dismissed"

    petition = models.ForeignKey(
        "cases.Petition", on_delete=models.CASCADE, related_name="repeat_candidates"
    )
    candidate_petition_id = models.UUIDField()
    candidate_matter_id = models.UUIDField()
    office_code = models.CharField(max_length=6)
    office_level = models.CharField(max_length=8)
    reference = models.CharField(max_length=24)
    status = models.CharField(max_length=16)
    registered_at = models.DateTimeField()
    score = models.FloatField()
    reasons = ArrayField(models.CharField(max_length=16, choices=Reason.choices))
    on_terminated_matter = models.BooleanField(default=False)
    # Readable evidence: "同一人: 身份证号", "同一事项: 兰里村 征地拆迁 金额一致" (scoring.py).
    explanation = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    # An earlier petition of the same matter (the usual case), or a later one that matched this
    # petition when it was checked: both offices learn of the repeat.
    later = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField()
    # Its place in the ranking of the check that found it (1 = strongest): equal scores are
    # ordered by the evidence (search/repeats.rank), never by date.
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["later", "-score", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "candidate_petition_id"], name="repeat_candidate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.score:.2f})"


class CollectiveAlert(models.Model):
    """A group of petitions (集体访) by several people about one problem, seen by this office."""

    class Role(models.TextChoices):
        INVOLVED = "involved", "涉及 involved"
        SUPERVISOR = "supervisor", "上级 supervisor"

    class State(models.TextChoices):
        OPEN = "open", "待处置 open"
        ACKNOWLEDGED = "acknowledged", "已知悉 acknowledged"
        CLOSED = "closed", "已结束 closed (its window passed)"
        RESOLVED = "resolved", "已化解 resolved by an officer"
        MERGED = "merged", "已合并 merged into another alert"

    group_id = models.CharField(max_length=40, unique=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    people_count = models.PositiveIntegerField()
    petition_count = models.PositiveIntegerField()
    office_codes = ArrayField(models.CharField(max_length=6))
    category = models.CharField(max_length=8, blank=True)
    place = models.CharField(max_length=200, blank=True)
    accused_body = models.CharField(max_length=200, blank=True)
    first_registered_at = models.DateTimeField()
    last_registered_at = models.DateTimeField()
    # [{petition_id, office_code, office_level, reference, registered_at, viewer_codes}]: every
    # member at every office — no content, no personal data.
    members = models.JSONField(default=list)
    # Distinct people as HMAC keys (person or identity keys; anonymous ids for unnamed signers).
    people = models.JSONField(default=list)
    decided_by = models.CharField(max_length=6, blank=True)
    merged_into = models.CharField(max_length=40, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detected_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_registered_at", "-pk"]
        indexes = [models.Index(fields=["state", "-last_registered_at"], name="alert_state_idx")]

    def __str__(self) -> str:
        return f"collective {self.group_id}: {self.people_count} people"


class DetectionSettings(models.Model):
    """This office's repeat-check threshold (one row; the default until an admin changes it)."""

    repeat_threshold = models.FloatField(
        default=DEFAULT_THRESHOLD,
        help_text="candidates scoring below this probability are not shown (0–1)",
    )

    def __str__(self) -> str:
        return f"repeat threshold {self.repeat_threshold:.2f}"

    @classmethod
    def current(cls) -> "DetectionSettings":
        return cls.objects.first() or cls()
