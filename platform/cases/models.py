"""Petitions inside one office (tables in the office's schema)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from xinfang.platform.pii import EncryptedTextField


class Channel(models.TextChoices):
    LETTER = "letter", "来信 letter"
    VISIT = "visit", "来访 visit"
    ONLINE = "online", "网上 online"
    PHONE = "phone", "电话 phone (12345)"
    MAILBOX = "mailbox", "领导信箱 leader mailbox"


class Status(models.TextChoices):
    """Where a petition is in its office's workflow (the transitions: `cases/workflow.py`)."""

    REGISTERED = "registered", "已登记 registered"
    ROUTED = "routed", "已交本机关办理 routed for handling here"
    ACCEPTED = "accepted", "已受理 accepted"
    DECLINED = "declined", "不予受理 declined"
    TRANSFERRED = "transferred", "已转送 transferred"
    ASSIGNED_OUT = "assigned_out", "已交办 assigned out"
    IN_HANDLING = "in_handling", "办理中 in handling"
    IN_HEARING = "in_hearing", "听证中 in a hearing (the clock stops)"
    REPLIED = "replied", "已答复 replied"
    EVALUATED = "evaluated", "已评价 evaluated"
    CLOSED = "closed", "已办结 closed"
    TERMINATED = "terminated", "已终结 terminated"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意 satisfied"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意 basically satisfied"
    DISSATISFIED = "dissatisfied", "不满意 dissatisfied"


class RedirectChannel(models.TextChoices):
    """Where a declined petitioner should go instead (诉访分离; outside the office's remit)."""

    LITIGATION = "litigation", "诉讼 litigation"
    ARBITRATION = "arbitration", "仲裁 arbitration"
    RECONSIDERATION = "reconsideration", "行政复议 administrative reconsideration"
    OTHER_AUTHORITY = "other_authority", "其他有权机关 another competent authority"
    # Art 36: the same facts and reasons as a matter terminated after re-review.
    NO_LONGER_ACCEPTED = "no_longer_accepted", "不再受理 the matter was terminated"


class AccusedKind(models.TextChoices):
    """What an accusation (检举控告) is about: decides which offices may not learn the reporter."""

    GOVERNMENT = "government", "人民政府 a people's government"
    DEPARTMENT = "department", "政府部门 a government department"
    TOWN = "town", "乡镇/街道 a town or subdistrict"
    VILLAGE = "village", "村（居）委会 a village or residents' committee"
    ENTERPRISE = "enterprise", "企事业单位 an enterprise or institution"
    PERSON = "person", "个人 a person (an official)"


class Petition(models.Model):
    """One matter (信访事项) as registered and handled in this office.

    `matter_id` is shared by every office's copy of the same matter; `reference` is this office's
    human number (330106-2026-000123). `version` guards against two officers acting at once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    matter_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    reference = models.CharField(max_length=24, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    category = models.CharField(max_length=8, help_text="code in the two-level taxonomy")
    place = models.CharField(max_length=200, help_text="where the problem is (问题发生地)")
    place_code = models.CharField(max_length=6, blank=True, help_text="its GB/T 2260 code")
    accused_body = models.CharField(max_length=200, blank=True, help_text="被反映对象")
    accused_kind = models.CharField(max_length=10, choices=AccusedKind.choices, blank=True)
    accused_division_code = models.CharField(
        max_length=12,
        blank=True,
        help_text="where the accused body sits: its GB/T 2260 code (6 digits) or a town's or "
        "village's statistical code (9 or 12 digits, the first 6 its county)",
    )
    content = models.TextField(max_length=5000)
    request = models.TextField(
        max_length=2000, blank=True, help_text="the petitioner's request (诉求)"
    )
    is_accusation = models.BooleanField(default=False, help_text="检举控告")
    is_collective = models.BooleanField(default=False, help_text="集体访")
    is_skip_level = models.BooleanField(default=False, help_text="越级访")
    is_repeat = models.BooleanField(default=False, help_text="重复信访")
    repeat_of_matter = models.UUIDField(null=True, blank=True)
    # 终结 (cases/finality.py): the terminated matter an officer linked this petition to, and
    # when a leader admitted that it brings new facts and reasons (the event says who and why).
    linked_terminated_matter = models.UUIDField(null=True, blank=True)
    new_facts_admitted_at = models.DateTimeField(null=True, blank=True)
    source_office_code = models.CharField(
        max_length=6, blank=True, help_text="the office this copy came from, if handed over"
    )
    query_code_hash = models.CharField(max_length=128, blank=True)

    received_on = models.DateField(help_text="收信/来访日期: the day the office received it")
    registered_at = models.DateTimeField(db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_petitions",
    )
    # Deadlines (calendar days, rolled past holidays; see cases/deadlines.py).
    route_due = models.DateField(null=True, blank=True)
    accept_due = models.DateField(null=True, blank=True)
    handling_due = models.DateField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True, db_index=True)
    extended = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    # The due date an overdue event was last recorded for (the daily scan is idempotent).
    overdue_recorded_for = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not columns: attached in bulk to the petitions of a list (selectors.attach_list_relations).
    list_petitioners: "list[Petitioner]"
    list_latest_event: "PetitionEvent | None"

    class Meta:
        ordering = ["-registered_at", "-id"]
        # Lists page by keyset on (registered_at, id), optionally after one equality filter.
        indexes = [
            models.Index(fields=["registered_at", "id"], name="petition_keyset_idx"),
            models.Index(fields=["status", "registered_at", "id"], name="petition_status_idx"),
            models.Index(fields=["channel", "registered_at", "id"], name="petition_channel_idx"),
            models.Index(fields=["category", "registered_at", "id"], name="petition_category_idx"),
            models.Index(fields=["handler", "registered_at", "id"], name="petition_handler_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Petitioner(models.Model):
    """A person on a petition. ID, phone and e-mail are encrypted; `person_key` matches across
    offices."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    name = models.CharField(max_length=50)
    id_number = EncryptedTextField(max_length=18, blank=True)
    phone = EncryptedTextField(max_length=20, blank=True)
    email = EncryptedTextField(
        max_length=254, blank=True, help_text="where e-mail notices go (platform/notices)"
    )
    address = models.CharField(max_length=200, blank=True)
    person_key = models.CharField(max_length=64, blank=True, db_index=True)
    phone_key = models.CharField(max_length=64, blank=True, db_index=True)
    is_representative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_representative", "id"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the ID or phone number, even in a traceback
        return f"<Petitioner {self.pk}: {self.name}>"


class EventKind(models.TextChoices):
    """What a `PetitionEvent` records: the one catalogue of event kinds (never built from strings).

    The workflow's transitions write their own name (`workflow.apply`); the rest come from
    registration, deadlines, handoffs between offices, supervision and repeat decisions.
    """

    REGISTERED = "registered", "登记 registered"
    OVERDUE = "overdue", "超期 a deadline passed"
    # the workflow table (cases/workflow.py): one kind per transition, named like it
    ROUTE = "route", "交由本机关办理 routed for handling here"
    DECLINE = "decline", "不予受理 declined"
    TRANSFER = "transfer", "转送 transferred"
    ASSIGN_OUT = "assign_out", "交办 assigned to a lower office"
    ACCEPT = "accept", "受理 accepted"
    ASSIGN = "assign", "分派承办人 assigned to a handler"
    EXTEND = "extend", "延期 extended"
    START_HEARING = "start_hearing", "听证开始 hearing started"
    END_HEARING = "end_hearing", "听证结束 hearing ended"
    REPLY = "reply", "出具处理意见 opinion issued"
    EVALUATE = "evaluate", "满意度评价 evaluated"
    CLOSE = "close", "办结 closed"
    TERMINATE = "terminate", "终结 terminated"
    REOPEN = "reopen", "重新办理 reopened for re-handling"
    MEDIATE = "mediate", "调解结案 closed by a mediation agreement"
    # resolving the matter (resolution; docs/resolution.md)
    VISIT_PLANNED = "visit_planned", "计划走访 visit planned"
    VISIT_HELD = "visit_held", "走访 / 接访 visit held"
    ACTION_ITEM_ADDED = "action_item_added", "交办落实事项 action item added"
    ACTION_ITEM_DONE = "action_item_done", "事项已落实 action item done"
    ACTION_ITEM_OVERDUE = "action_item_overdue", "落实事项超期 action item overdue"
    RETURN_VISIT_OVERDUE = "return_visit_overdue", "回访超期 return visit overdue"
    HARD_CASE_OPENED = "hard_case_opened", "领导包案 a leader took charge"
    MILESTONE_DONE = "milestone_done", "包案节点完成 milestone done"
    HARD_CASE_RESOLVED = "hard_case_resolved", "积案化解 hard case resolved"
    INVESTIGATION = "investigation", "调查核实 investigation recorded"
    OUTCOME = "outcome", "化解结果 outcome recorded"
    CARE_PLAN_OPENED = "care_plan_opened", "帮扶计划 care plan opened"
    CARE_PLAN_ENDED = "care_plan_ended", "帮扶结束 care plan ended"
    # between offices (exchange)
    RECEIVED = "received", "收到转交 received from another office"
    ESCALATE_SENT = "escalate_sent", "上报 escalated to the office above"
    HANDOFF_ACCEPTED = "handoff_accepted", "签收 signed for"
    HANDOFF_ACCEPTED_BY_RECEIVER = "handoff_accepted_by_receiver", "对方已签收 the receiver signed"
    OBJECTION_RAISED = "objection_raised", "提出异议 objected: not competent"
    OBJECTION_RECEIVED = "objection_received", "收到异议 the receiver objected"
    OBJECTION_UPHELD = "objection_upheld", "异议成立 objection upheld"
    OBJECTION_REJECTED = "objection_rejected", "异议不成立 objection rejected"
    OBJECTION_DISPUTED = "objection_disputed", "异议争议 the common superior decides"
    RETURNED_TO_SENDER = "returned_to_sender", "退回 returned to the sender"
    RETURNED_BY_RECEIVER = "returned_by_receiver", "被退回 returned by the receiver"
    ASSIGNMENT_REPORTED = "assignment_reported", "报送办理结果 result reported"
    ASSIGNMENT_RESULT_RECEIVED = "assignment_result_received", "收到办理结果 result received"
    REVIEW_REQUESTED = "review_requested", "申请复查 review requested"
    RECHECK_REQUESTED = "recheck_requested", "申请复核 re-review requested"
    REVIEW_OPINION = "review_opinion", "复查意见 review opinion issued"
    RECHECK_OPINION = "recheck_opinion", "复核意见 re-review opinion issued"
    REVIEW_OPINION_RECEIVED = "review_opinion_received", "收到复查意见 review opinion received"
    RECHECK_OPINION_RECEIVED = "recheck_opinion_received", "收到复核意见 re-review opinion received"
    # finality (cases/finality.py)
    TERMINATED_MATTER_LINKED = (
        "terminated_matter_linked",
        "关联已终结事项 linked to a terminated matter",
    )
    NEW_FACTS_ADMITTED = "new_facts_admitted", "新的事实和理由 a leader admitted new facts"
    # supervision
    SUPERVISION_ORDER_RECEIVED = "supervision_order_received", "收到督办单 supervision order"
    SUPERVISION_ORDER_ANSWERED = "supervision_order_answered", "督办回复 order answered"
    # repeat petitions (search)
    REPEAT_CONFIRMED = "repeat_confirmed", "确认重复信访 confirmed as a repeat"
    REPEAT_UNCONFIRMED = "repeat_unconfirmed", "撤销重复认定 no longer a repeat"


class DocumentKind(models.TextChoices):
    """What a document issued to the petitioner is (an event's `data["document"]["kind"]`): the
    one catalogue, every member told by its own kind of notice (`notices.services.DOCUMENT_KINDS`;
    tests/notices and tests/test_catalogues.py keep both so)."""

    REGISTRATION_NOTICE = "registration_notice", "信访事项登记告知书 registered"
    ACCEPTANCE_NOTICE = "acceptance_notice", "受理告知书 accepted"
    DECLINE_NOTICE = "decline_notice", "不予受理告知书 declined, with the channel"
    NO_LONGER_ACCEPTED = "no_longer_accepted", "不再受理告知书 the matter was terminated"
    EXTENSION_NOTICE = "extension_notice", "延期告知书 extended"
    REPLY = "reply", "处理意见书 the written opinion"
    TRANSFER_NOTICE = "transfer_notice", "转送告知书 transferred"
    ASSIGN_NOTICE = "assign_notice", "交办告知书 assigned to an office below"
    REVIEW_RECEIVED = "review_received", "复查受理告知书 the review request taken up"
    RECHECK_RECEIVED = "recheck_received", "复核受理告知书 the re-review request taken up"
    REVIEW_OPINION = "review_opinion", "复查意见书 the review opinion"
    RECHECK_OPINION = "recheck_opinion", "复核意见书 the re-review opinion"
    TERMINATION_NOTICE = "termination_notice", "终结告知 the matter is terminated"
    MEDIATION_AGREEMENT = "mediation_agreement", "调解协议书 the mediation agreement"


class PetitionEvent(models.Model):
    """Append-only log (办理记录) of everything that happened to a petition in this office."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    # What the petitioner may see through the progress lookup (dates, documents sent to them).
    public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["petition", "-at"], name="event_petition_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d}"


class Hearing(models.Model):
    """A hearing (听证) held while a petition is handled; its days do not count toward a limit."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="hearings")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    @property
    def paused_days(self) -> int:
        return (self.ended_on - self.started_on).days if self.ended_on else 0


class Reply(models.Model):
    """The office's written opinion to the petitioner (处理意见书 / 答复意见书)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="reply")
    opinion = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "replies"


class Evaluation(models.Model):
    """The petitioner's rating of the handling (满意度评价)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="evaluation")
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )


class RegistrationRequest(models.Model):
    """An integration's idempotency key for `registerPetition`: a retry with the same key and the
    same payload gets the same petition (and query code) back; a changed payload is refused."""

    key = models.CharField(max_length=64, primary_key=True)
    fingerprint = models.CharField(max_length=64, help_text="HMAC of the request's payload")
    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="+")
    query_code = EncryptedTextField(help_text="returned again to a retry, never shown elsewhere")
    created_at = models.DateTimeField(auto_now_add=True)


class ReferenceCounter(models.Model):
    """The last reference number issued per year; rows are locked so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Holiday(models.Model):
    """A non-working day in this office's calendar (deadlines falling on one roll forward)."""

    day = models.DateField(primary_key=True)
    name = models.CharField(max_length=50, blank=True)


class OfficeSettings(models.Model):
    """Per-office configuration (one row): statutory limits in days, collective thresholds."""

    route_days = models.PositiveSmallIntegerField(default=15)
    accept_days = models.PositiveSmallIntegerField(default=15)
    handling_days = models.PositiveSmallIntegerField(default=60)
    max_extension_days = models.PositiveSmallIntegerField(default=30)
    review_request_days = models.PositiveSmallIntegerField(default=30)
    review_days = models.PositiveSmallIntegerField(default=30)
    # How far back a registration may date the letter or visit it records (收信/来访日期).
    received_max_days_back = models.PositiveSmallIntegerField(default=30)
    # How far ahead this office may set the due date of a 交办 result report and of a
    # supervision order it issues (each also capped by the statutory limit it supervises).
    assign_max_days = models.PositiveSmallIntegerField(default=60)
    order_max_days = models.PositiveSmallIntegerField(default=30)
    collective_min_people = models.PositiveSmallIntegerField(default=5)
    collective_window_days = models.PositiveSmallIntegerField(default=7)
    working_weekends = ArrayField(models.DateField(), default=list, blank=True)

    class Meta:
        verbose_name_plural = "office settings"

    @classmethod
    def current(cls) -> "OfficeSettings":
        return cls.objects.get_or_create(pk=1)[0]

    @property
    def assign_due_limit_days(self) -> int:
        """A 交办 report is due at most when the receiver's own limits would end: acceptance,
        handling and the one extension."""
        statutory = self.accept_days + self.handling_days + self.max_extension_days
        return min(self.assign_max_days, statutory)

    @property
    def order_due_limit_days(self) -> int:
        """A supervision order's answer is due within the office's bound, never later than a
        whole handling period."""
        return min(self.order_max_days, self.handling_days)


class SettingsChangeKind(models.TextChoices):
    LIMIT = "limit", "期限设置 a limit or threshold of OfficeSettings"
    DAY = "day", "节假日 one of the office's own calendar days"


class SettingsChange(models.Model):
    """Append-only audit of the office's configuration (管理): who changed which limit or calendar
    day, when, from what to what; written in the transaction of the change it records.

    `before` / `after` are a limit's number, or a day's entry `{"kind": "holiday" | "workday",
    "name": ...}` (null: the office had no entry of its own for that day)."""

    kind = models.CharField(max_length=8, choices=SettingsChangeKind.choices)
    setting = models.CharField(max_length=40, blank=True, help_text="the OfficeSettings field")
    day = models.DateField(null=True, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="settings_change_at_idx")]

    def __str__(self) -> str:
        return f"{self.setting or self.day} {self.before} → {self.after}"
