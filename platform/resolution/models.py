"""Resolving matters inside one office (tables in the office's schema): visits, action items,
hard cases (包案), investigations, outcomes (四到位), reopenings and care plans. See
docs/resolution.md."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from xinfang.platform.cases.models import Petition, Satisfaction

OFFICER = settings.AUTH_USER_MODEL


class ResolutionSettings(models.Model):
    """Per-office configuration (one row)."""

    return_visit_days = models.PositiveSmallIntegerField(
        default=30, help_text="the return visit (回访) is due this many days after the opinion"
    )
    rehandling_days = models.PositiveSmallIntegerField(
        default=30, help_text="the limit of a re-handling (重新办理)"
    )
    investigation_categories = ArrayField(
        models.CharField(max_length=8),
        default=list,
        blank=True,
        help_text="category codes (01.01) or top levels (01) whose opinion needs an investigation",
    )

    class Meta:
        verbose_name_plural = "resolution settings"

    @classmethod
    def current(cls) -> "ResolutionSettings":
        return cls.objects.get_or_create(pk=1)[0]

    def needs_investigation(self, category: str) -> bool:
        return any(
            category == code or category.startswith(f"{code}.")
            for code in self.investigation_categories
        )


class ReceptionSession(models.Model):
    """A leader's reception (领导接访日) on the office's published schedule."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    leader = models.ForeignKey(OFFICER, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    topic = models.CharField(max_length=200, blank=True)
    published = models.BooleanField(default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"接访 {self.starts_at:%Y-%m-%d} {self.place}"


class VisitKind(models.TextChoices):
    APPOINTMENT = "appointment", "约访 appointment visit"
    RETURN = "return", "回访 return visit"
    FIELD = "field", "下访 field visit"
    RECEPTION = "reception", "领导接访 leader reception"
    JOINT = "joint", "联合接访 joint reception"


class ResolutionStep(models.TextChoices):
    """What an officer can record on a petition while resolving it, besides its workflow steps
    (`selectors.available_steps` says which apply now)."""

    INVESTIGATE = "investigate", "调查核实 record an investigation that heard both sides"
    APPOINTMENT_VISIT = (
        "appointment_visit",
        "约访 record an appointment visit (with a leader)",
    )
    RETURN_VISIT = "return_visit", "回访 record a return visit: was the opinion carried out?"
    FIELD_VISIT = "field_visit", "下访 record a field visit"


# Petition statuses in which the handling office investigates (调查核实).
INVESTIGATING = ("accepted", "in_handling", "in_hearing")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "计划 planned"
    HELD = "held", "已开展 held"
    CANCELLED = "cancelled", "取消 cancelled"


class ReturnFinding(models.TextChoices):
    """What a return visit found: was the opinion carried out?"""

    IMPLEMENTED = "implemented", "已落实 implemented"
    PARTLY = "partly", "部分落实 partly implemented"
    NOT_IMPLEMENTED = "not_implemented", "未落实 not implemented"


class Visit(models.Model):
    """A visit of any kind: who went, whom they met, where, when, what was said and agreed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=VisitKind.choices)
    status = models.CharField(max_length=10, choices=VisitStatus.choices)
    planned_on = models.DateField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    officers: models.ManyToManyField = models.ManyToManyField(OFFICER, related_name="visits")
    met = models.TextField(blank=True, help_text="whom they met")
    summary = models.TextField(blank=True, help_text="what was said")
    agreed = models.TextField(blank=True, help_text="what was agreed")
    outcome = models.TextField(blank=True)
    petitions = models.ManyToManyField(Petition, related_name="visits", blank=True)
    matter_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    collective_group_id = models.CharField(max_length=40, blank=True, db_index=True)
    session = models.ForeignKey(
        ReceptionSession, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    other_bodies = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    return_finding = models.CharField(max_length=16, choices=ReturnFinding.choices, blank=True)
    satisfaction_now = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    hard_case = models.ForeignKey(
        "HardCase", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    care_plan = models.ForeignKey(
        "CarePlan", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    created_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "planned_on"], name="visit_kind_due_idx"),
            models.Index(fields=["-held_at"], name="visit_held_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at or self.planned_on}"


class ItemKind(models.TextChoices):
    FOLLOW_UP = "follow_up", "跟进事项 follow-up of a visit"
    IMPLEMENTATION = "implementation", "落实事项 implementation of the opinion"


class ItemStatus(models.TextChoices):
    OPEN = "open", "待办 open"
    DONE = "done", "已完成 done"
    CANCELLED = "cancelled", "取消 cancelled"


class ActionItem(models.Model):
    """Something an owner must do by a day: a visit's follow-up or an opinion's implementation
    (督促执行), tracked to its evidence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    petition = models.ForeignKey(
        Petition, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.TextField()
    owner = models.ForeignKey(OFFICER, on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="a document's reference, or what was seen")
    evidence_visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="confirmed_items"
    )
    overdue_recorded_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="item_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.description[:30]} by {self.due_on}"


class HardCaseReason(models.TextChoices):
    REPEAT = "repeat", "重复访 repeat"
    LONG_RUNNING = "long_running", "久拖未决 long-running"
    COLLECTIVE = "collective", "集体访 collective"
    OTHER = "other", "其他 other"


class HardCaseStatus(models.TextChoices):
    OPEN = "open", "化解中 being resolved"
    RESOLVED = "resolved", "已化解 resolved"


class HardCase(models.Model):
    """A hard case (积案) a named leader takes charge of (包案) until it is resolved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="hard_cases")
    reason = models.CharField(max_length=16, choices=HardCaseReason.choices)
    leader = models.ForeignKey(OFFICER, on_delete=models.PROTECT, related_name="hard_cases")
    plan = models.TextField()
    target_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=HardCaseStatus.choices, default=HardCaseStatus.OPEN
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"],
                condition=models.Q(status="open"),
                name="hard_case_one_open_per_petition",
            )
        ]

    def __str__(self) -> str:
        return f"包案 {self.petition_id} by {self.target_date}"


class Milestone(models.Model):
    hard_case = models.ForeignKey(HardCase, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class InvestigationMode(models.TextChoices):
    OPEN = "open", "公开调查 open"
    DISCREET = "discreet", "暗访 discreet"


class SourceKind(models.TextChoices):
    PETITIONER = "petitioner", "信访人 the petitioner"
    ACCUSED_BODY = "accused_body", "被反映对象 the body complained about"
    WITNESS = "witness", "证人 a witness"
    DOCUMENT = "document", "书证 documents"
    SITE = "site", "现场勘查 site inspection"


class Investigation(models.Model):
    """An investigation that hears both sides (调查核实) before the office judges."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="investigations")
    officer = models.ForeignKey(OFFICER, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=InvestigationMode.choices)
    findings = models.TextField()
    concluded_at = models.DateTimeField()

    class Meta:
        ordering = ["concluded_at", "id"]


class InvestigationSource(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="sources"
    )
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    summary = models.TextField()

    class Meta:
        ordering = ["id"]


class OutcomeKind(models.TextChoices):
    """四到位 (Art 27), and the mediation agreement (Art 33)."""

    SOLVED = "solved", "诉求合理的解决到位 solved"
    EXPLAINED = "explained", "诉求无理的思想教育到位 explained, law and policy cited"
    ASSISTED = "assisted", "生活困难的帮扶救助到位 assisted in hardship"
    BY_LAW = "by_law", "行为违法的依法处理 handled by law"
    MEDIATED = "mediated", "调解协议 mediation agreement"


class Outcome(models.Model):
    """How a closure ended. One per closure: a reopened matter closes again with a new one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=10, choices=OutcomeKind.choices)
    summary = models.TextField(help_text="what was done")
    law_cited = models.TextField(blank=True)
    help_given = models.TextField(blank=True)
    legal_measure = models.TextField(blank=True)
    agreement_title = models.CharField(max_length=200, blank=True)
    agreement_text = models.TextField(blank=True)
    agreement_parties = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]


class ReopenCause(models.TextChoices):
    DISSATISFIED = "dissatisfied", "评价不满意 dissatisfied rating"
    RETURN_VISIT = "return_visit", "回访未落实或不满意 failed return visit"
    LEADER = "leader", "领导决定 a leader's decision"


class Reopening(models.Model):
    """A matter sent back for re-handling (重新办理): counted, never hidden."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reopenings")
    cause = models.CharField(max_length=14, choices=ReopenCause.choices)
    from_status = models.CharField(max_length=16)
    previous_opinion = models.TextField(blank=True)
    previous_satisfaction = models.CharField(max_length=20, blank=True)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class CareMeasure(models.TextChoices):
    RELIEF = "relief", "心理疏导 relief"
    SOCIAL_REFERRAL = "social_referral", "社会救助转介 referral to social help"
    JUDICIAL_REFERRAL = "judicial_referral", "司法救助转介 referral to judicial help"
    PERIODIC_CONTACT = "periodic_contact", "定期联系 periodic contact"


class CarePlanStatus(models.TextChoices):
    OPEN = "open", "帮扶中 open"
    ENDED = "ended", "已结束 ended"


class CarePlan(models.Model):
    """Care after termination (Art 37: 疏导、化解、帮扶), with its visits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="care_plans")
    measures = ArrayField(models.CharField(max_length=20, choices=CareMeasure.choices))
    plan = models.TextField()
    owner = models.ForeignKey(OFFICER, on_delete=models.PROTECT, related_name="care_plans")
    contact_every_days = models.PositiveSmallIntegerField()
    next_contact_on = models.DateField()
    status = models.CharField(
        max_length=8, choices=CarePlanStatus.choices, default=CarePlanStatus.OPEN
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(OFFICER, null=True, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_note = models.TextField(blank=True)

    class Meta:
        ordering = ["next_contact_on", "id"]
