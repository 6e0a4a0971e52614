"""Every enum of the API, in one place: fixed sets of values are enums, never strings.

Names are upper case (`IN_HANDLING`); each value is described by the model choice's label, so the
Chinese term travels with the schema. Resolvers may return the stored lower-case value or the
model's choice member; arguments arrive as members (`arguments.enum_value` unwraps them).
"""

import graphene

from xinfang.graphql.arguments import enum_type, value_enum
from xinfang.platform.accounts.models import Role
from xinfang.platform.cases import selectors as case_selectors
from xinfang.platform.cases import workflow
from xinfang.platform.cases.models import (
    AccusedKind,
    Channel,
    EventKind,
    RedirectChannel,
    Satisfaction,
    SettingsChangeKind,
    Status,
)
from xinfang.platform.errors import ErrorCode
from xinfang.platform.exchange.actions import HandoffAction
from xinfang.platform.exchange.models import HandoffKind, HandoffStatus
from xinfang.platform.notices.models import NoticeChannel, NoticeKind, NoticeStatus
from xinfang.platform.resolution.models import (
    CareMeasure,
    CarePlanStatus,
    HardCaseReason,
    HardCaseStatus,
    InvestigationMode,
    ItemKind,
    ItemStatus,
    OutcomeKind,
    ReopenCause,
    ResolutionStep,
    ReturnFinding,
    SourceKind,
    VisitKind,
    VisitStatus,
)
from xinfang.platform.supervision.models import OrderReason, OrderStatus
from xinfang.search.models import CollectiveAlert, RepeatCandidate, RepeatCheck
from xinfang.tenants.divisions import Level

ChannelEnum = enum_type("Channel", Channel, "渠道: how a petition reached the office.")
PetitionStatusEnum = enum_type(
    "PetitionStatus", Status, "Where a petition is in its office's workflow."
)
EventKindEnum = enum_type("EventKind", EventKind, "What a petition event (办理记录) records.")
AccusedKindEnum = enum_type(
    "AccusedKind",
    AccusedKind,
    "What an accusation (检举控告) accuses: decides who may not learn the reporter.",
)
SatisfactionEnum = enum_type("Satisfaction", Satisfaction, "满意度: the petitioner's rating.")
RedirectChannelEnum = enum_type(
    "RedirectChannel", RedirectChannel, "Where a declined petitioner should go instead."
)
TransitionEnum = value_enum(
    "Transition",
    {
        workflow.Transition.ROUTE: "交由本机关办理 route for handling here",
        workflow.Transition.DECLINE: "不予受理 decline, naming where to go",
        workflow.Transition.TRANSFER: "转送 transfer to the competent office",
        workflow.Transition.ASSIGN_OUT: "交办 assign to a lower office",
        workflow.Transition.ACCEPT: "受理 accept (the 60-day handling clock starts)",
        workflow.Transition.ASSIGN: "分派承办人 assign (or reassign) to a handler",
        workflow.Transition.EXTEND: "延期 extend the handling deadline once",
        workflow.Transition.START_HEARING: "听证 start a hearing (the clock stops)",
        workflow.Transition.END_HEARING: "听证结束 end the hearing (the deadline moves)",
        workflow.Transition.REPLY: "出具处理意见 issue the written opinion",
        workflow.Transition.EVALUATE: "满意度评价 record the petitioner's rating",
        workflow.Transition.CLOSE: "办结 close",
        workflow.Transition.TERMINATE: "终结 terminate after re-review",
        workflow.Transition.REOPEN: "重新办理 reopen for re-handling",
        workflow.Transition.MEDIATE: "调解结案 close by a mediation agreement",
    },
    "A step of the petition workflow (platform/cases/workflow.py).",
)
DueStateEnum = value_enum(
    "DueState",
    {
        "none": "无期限 nothing is due",
        "on_time": "未到期 due later than the warning window",
        "due_soon": "即将到期 due within the warning window (3 days)",
        "overdue": "已超期 the deadline has passed",
    },
    "How the current deadline stands.",
)
DueStepEnum = value_enum(
    "DueStep",
    {
        "route": "交办 route the registered petition (15 days from registration)",
        "accept": "受理 decide to accept it (15 days from receipt)",
        "reply": "答复 issue the opinion (60 days from acceptance)",
    },
    "The step a deadline is for.",
)
PetitionOrderingEnum = value_enum(
    "PetitionOrdering",
    {
        case_selectors.Ordering.REGISTERED_DESC: "newest registration first",
        case_selectors.Ordering.REGISTERED_ASC: "oldest registration first",
        case_selectors.Ordering.DUE_ASC: "earliest deadline first (none last)",
    },
    "The order of a petition list.",
)
RoleEnum = enum_type("Role", Role, "An officer's role; services check it.")
OfficeLevelEnum = value_enum(
    "OfficeLevel", dict(Level.CHOICES), "The administrative level of an office (GB/T 2260)."
)
HandoffKindEnum = enum_type(
    "HandoffKind",
    HandoffKind,
    "How a matter moves between offices: 转送 / 交办 / 上报 / 复查 / 复核.",
)
HandoffStatusEnum = enum_type("HandoffStatus", HandoffStatus, "Where a handoff stands.")
HandoffActionEnum = enum_type(
    "HandoffAction",
    HandoffAction,
    "A step an office's officer may take on a handoff now (platform/exchange/actions.py).",
)
EscalationUrgencyEnum = value_enum(
    "EscalationUrgency",
    {"major": "重大 a major matter", "urgent": "紧急 an urgent matter"},
    "Why a matter is escalated (上报).",
)
ObjectionDecisionEnum = value_enum(
    "ObjectionDecision",
    {
        "upheld": "异议成立 the objection stands: the matter went back to the sender",
        "rejected": "异议不成立 the objection failed: the receiver keeps the matter",
    },
    "How an objection (异议) was decided.",
)
SupervisionOrderReasonEnum = enum_type(
    "SupervisionOrderReason", OrderReason, "Why a supervision order (督办单) was issued."
)
SupervisionOrderStatusEnum = enum_type(
    "SupervisionOrderStatus", OrderStatus, "Where a supervision order stands."
)
RepeatReasonEnum = enum_type(
    "RepeatReason", RepeatCandidate.Reason, "Why an earlier petition may be the same matter."
)
RepeatDecisionEnum = enum_type(
    "RepeatDecision", RepeatCandidate.Decision, "What the office decided about a repeat candidate."
)
CollectiveAlertRoleEnum = enum_type(
    "CollectiveAlertRole", CollectiveAlert.Role, "Why an office sees a collective alert."
)
CollectiveAlertStateEnum = enum_type(
    "CollectiveAlertState", CollectiveAlert.State, "Where a collective alert stands."
)
RepeatCheckStateEnum = enum_type(
    "RepeatCheckState", RepeatCheck.State, "Where a petition's repeat check stands."
)
# resolving the matter (graphql/resolution.py)
VisitKindEnum = enum_type("VisitKind", VisitKind, "约访 / 回访 / 下访 / 接访 / 联合接访.")
VisitStatusEnum = enum_type("VisitStatus", VisitStatus, "Where a visit stands.")
ReturnFindingEnum = enum_type(
    "ReturnFinding", ReturnFinding, "What a return visit found: was the opinion carried out?"
)
ItemKindEnum = enum_type("ActionItemKind", ItemKind, "A visit's follow-up or an opinion's item.")
ItemStatusEnum = enum_type("ActionItemStatus", ItemStatus, "Where an action item stands.")
HardCaseReasonEnum = enum_type("HardCaseReason", HardCaseReason, "Why a matter is a hard case.")
HardCaseStatusEnum = enum_type("HardCaseStatus", HardCaseStatus, "Where a hard case stands.")
InvestigationModeEnum = enum_type(
    "InvestigationMode", InvestigationMode, "Open (公开) or discreet (暗访)."
)
InvestigationSourceKindEnum = enum_type(
    "InvestigationSourceKind", SourceKind, "Who or what an investigation heard."
)
OutcomeKindEnum = enum_type(
    "OutcomeKind", OutcomeKind, "四到位 (Art 27), or a mediation agreement (Art 33)."
)
ResolutionStepEnum = enum_type(
    "ResolutionStep", ResolutionStep, "What an officer can record while resolving a petition."
)
ReopenCauseEnum = enum_type("ReopenCause", ReopenCause, "Why a matter was reopened.")
CareMeasureEnum = enum_type("CareMeasure", CareMeasure, "What a care plan does (Art 37).")
CarePlanStatusEnum = enum_type("CarePlanStatus", CarePlanStatus, "Where a care plan stands.")
NoticeKindEnum = enum_type("NoticeKind", NoticeKind, "告知: what a notice tells the petitioner.")
NoticeChannelEnum = enum_type(
    "NoticeChannel", NoticeChannel, "How a notice reaches the petitioner."
)
NoticeStatusEnum = enum_type("NoticeStatus", NoticeStatus, "Where a notice's delivery stands.")
SettingsChangeKindEnum = enum_type(
    "SettingsChangeKind", SettingsChangeKind, "What a change of the office's configuration changed."
)
ErrorCodeEnum = graphene.Enum.from_enum(
    ErrorCode,
    description="The catalogue of `extensions.code` values an error can carry "
    "(platform/errors.py); each value says what went wrong, and the phrase a screen shows.",
)
