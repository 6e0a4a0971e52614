"""Resolving matters (化解): visits, action items, hard cases (包案), investigations, closing with
an outcome (四到位) or a mediation agreement, reopening, care plans, the ledgers and metrics of a
subtree. Thin: `platform/resolution/services.py` changes, its selectors read (docs/resolution.md).
"""

import datetime
import uuid

import graphene
from django.utils import timezone
from graphene.utils.str_converters import to_snake_case
from graphql_relay import from_global_id

from xinfang.graphql.arguments import enum_value, enum_values
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import MATTER_TYPE, Matter, OfficerType, PetitionType
from xinfang.graphql.enums import (
    CareMeasureEnum,
    CarePlanStatusEnum,
    DueStateEnum,
    HardCaseReasonEnum,
    HardCaseStatusEnum,
    InvestigationModeEnum,
    InvestigationSourceKindEnum,
    ItemKindEnum,
    ItemStatusEnum,
    OutcomeKindEnum,
    PetitionStatusEnum,
    ReopenCauseEnum,
    ResolutionStepEnum,
    ReturnFindingEnum,
    SatisfactionEnum,
    VisitKindEnum,
    VisitStatusEnum,
)
from xinfang.graphql.nodes import OfficeNode, decode_int, decode_uuid, petition_copy_id
from xinfang.graphql.offices import OfficeType
from xinfang.graphql.pagination import any_of, connection, connection_field, keyset_page
from xinfang.graphql.search import CollectiveAlertType
from xinfang.platform.accounts.models import Role
from xinfang.platform.cases import deadlines
from xinfang.platform.cases.models import Petition
from xinfang.platform.errors import ErrorCode, NotFound, ValidationError
from xinfang.platform.resolution import metrics, selectors, services
from xinfang.platform.resolution.ledger.models import CarePlanEntry, HardCaseEntry
from xinfang.platform.resolution.models import (
    ActionItem,
    CarePlan,
    HardCase,
    HardCaseStatus,
    Investigation,
    Milestone,
    Outcome,
    ReceptionSession,
    Reopening,
    Visit,
)
from xinfang.search.models import CollectiveAlert

MAX_SCHEDULE_DAYS = 92

# --- IDs ------------------------------------------------------------------------------------------


def _officer_ref(global_id: str | None, *, field: str) -> services.OfficerRef | None:
    """An officer's ID as office and key: the service tells another office's officer
    (OFFICER_OF_ANOTHER_OFFICE) from an ID that names nothing (NOT_FOUND)."""
    if global_id is None:
        return None
    try:
        type_name, raw = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise NotFound("no such officer", field=field) from None
    office_code, _, pk = (raw or "").partition(":")
    if type_name != "Officer" or not pk.isdigit():
        raise NotFound("no such officer", field=field)
    return services.OfficerRef(office_code=office_code, pk=int(pk))


def _petition_pk(global_id: str, *, field: str):
    return decode_uuid(global_id, expected="Petition", field=field)


def _uuid(global_id: str | None, type_name: str, *, field: str):
    return None if global_id is None else decode_uuid(global_id, expected=type_name, field=field)


def _enum(enum_type, *, description: str, required: bool = True):
    """An enum field read from the model's attribute of the same name: a stored value or a
    choice member (fresh instances hold members) becomes the enum's value; blank is null."""

    def resolve(root, info):
        value = getattr(root, to_snake_case(info.field_name))
        return str(value) if value not in (None, "") else None

    return graphene.Field(enum_type, required=required, description=description, resolver=resolve)


# --- types ----------------------------------------------------------------------------------------


def _get(model, pk, *, select=()):
    try:
        return model.objects.select_related(*select).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


class ReceptionSessionType(graphene.ObjectType):
    """领导接访日: a leader's reception session on the office's schedule."""

    class Meta:
        name = "ReceptionSession"
        interfaces = (OfficeNode,)
        possible_types = (ReceptionSession,)

    leader = graphene.Field(OfficerType, required=True, description="The receiving leader.")
    starts_at = graphene.DateTime(required=True, description="When the session starts.")
    ends_at = graphene.DateTime(required=True, description="When the session ends.")
    place = graphene.String(required=True, description="Where visitors are received.")
    topic = graphene.String(required=True, description="The matters it is for, if announced.")
    published = graphene.Boolean(required=True, description="On the public schedule.")
    cancelled_at = graphene.DateTime(description="When it was called off, if it was.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(ReceptionSession, id, select=("leader",))


class PublishedReceptionType(graphene.ObjectType):
    """A published reception session as the public schedule shows it (no officer account)."""

    class Meta:
        name = "PublishedReception"

    leader_name = graphene.String(required=True, description="The receiving leader's name.")
    starts_at = graphene.DateTime(required=True, description="When the session starts.")
    ends_at = graphene.DateTime(required=True, description="When the session ends.")
    place = graphene.String(required=True, description="Where visitors are received.")
    topic = graphene.String(required=True, description="The matters it is for, if announced.")

    @staticmethod
    def resolve_leader_name(session, info):
        return str(session.leader)


class ActionItemType(graphene.ObjectType):
    """跟进 / 落实事项: what an owner must do by a day, tracked to its evidence."""

    class Meta:
        name = "ActionItem"
        interfaces = (OfficeNode,)
        possible_types = (ActionItem,)

    kind = _enum(ItemKindEnum, description="Follow-up or implementation.")
    petition = graphene.Field(PetitionType, description="The petition it implements, if any.")
    visit = graphene.Field(lambda: VisitType, description="The visit it follows up, if any.")
    description = graphene.String(required=True, description="What is to be done.")
    owner = graphene.Field(OfficerType, required=True, description="Who answers for it.")
    due_on = graphene.Date(required=True, description="The day it is due.")
    due_state = graphene.Field(DueStateEnum, required=True, description="How its deadline stands.")
    status = _enum(ItemStatusEnum, description="Open, done or cancelled.")
    done_at = graphene.DateTime(description="When it was done.")
    evidence = graphene.String(required=True, description="The evidence it was done.")
    evidence_visit = graphene.Field(
        lambda: VisitType, description="The visit that confirmed it, if one did."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(ActionItem, id, select=("owner", "petition"))

    @staticmethod
    def resolve_due_state(item, info):
        return "none" if item.status != "open" else deadlines.due_state(item.due_on)


class VisitType(graphene.ObjectType):
    """约访 / 回访 / 下访 / 接访 / 联合接访: who went, whom they met, what was said and agreed."""

    class Meta:
        name = "Visit"
        interfaces = (OfficeNode,)
        possible_types = (Visit,)

    kind = _enum(VisitKindEnum, description="The kind of visit.")
    status = _enum(VisitStatusEnum, description="Planned, held or not.")
    planned_on = graphene.Date(description="The day it was planned for.")
    held_at = graphene.DateTime(description="When it took place.")
    place = graphene.String(required=True, description="Where.")
    officers = graphene.List(
        graphene.NonNull(OfficerType), required=True, description="The officers who went."
    )
    met = graphene.String(required=True, description="Whom they met.")
    summary = graphene.String(required=True, description="What was said.")
    agreed = graphene.String(required=True, description="What was agreed.")
    outcome = graphene.String(required=True, description="How it ended.")
    petitions = graphene.List(
        graphene.NonNull(PetitionType), required=True, description="The petitions it concerns."
    )
    matters = graphene.List(
        graphene.NonNull(MATTER_TYPE), required=True, description="The matters it concerns."
    )
    collective_alert = graphene.Field(
        CollectiveAlertType, description="The collective alert an appointment visit answers."
    )
    session = graphene.Field(ReceptionSessionType, description="A reception's session.")
    other_bodies = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The other bodies of a joint reception.",
    )
    return_finding = _enum(
        ReturnFindingEnum,
        required=False,
        description="A return visit's finding: was the opinion carried out?",
    )
    satisfaction_now = _enum(
        SatisfactionEnum,
        required=False,
        description="The petitioner's satisfaction at a return visit.",
    )
    follow_ups = graphene.List(
        graphene.NonNull(ActionItemType), required=True, description="Its follow-up items."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.visits().filter(pk=id).first() if _is_uuid(id) else None

    @staticmethod
    def resolve_officers(visit, info):
        return visit.officers.all()

    @staticmethod
    def resolve_petitions(visit, info):
        return visit.petitions.all()

    @staticmethod
    def resolve_collective_alert(visit, info):
        if not visit.collective_group_id:
            return None
        return CollectiveAlert.objects.filter(group_id=visit.collective_group_id).first()

    @staticmethod
    def resolve_matters(visit, info):
        return [Matter(matter_id) for matter_id in visit.matter_ids]

    @staticmethod
    def resolve_follow_ups(visit, info):
        return visit.follow_ups.select_related("owner", "petition")


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class MilestoneType(graphene.ObjectType):
    """A step of a hard case's plan."""

    class Meta:
        name = "Milestone"
        interfaces = (OfficeNode,)
        possible_types = (Milestone,)

    title = graphene.String(required=True, description="What the step is.")
    due_on = graphene.Date(required=True, description="When it is due.")
    done_at = graphene.DateTime(description="When it was done.")
    note = graphene.String(required=True, description="A note on how it went.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(Milestone, id) if str(id).isdigit() else None


class HardCaseType(graphene.ObjectType):
    """积案 / 包案: a leader in charge of a matter until it is resolved."""

    class Meta:
        name = "HardCase"
        interfaces = (OfficeNode,)
        possible_types = (HardCase,)

    petition = graphene.Field(PetitionType, required=True, description="The matter's petition.")
    reason = _enum(HardCaseReasonEnum, description="Why it is a hard case.")
    leader = graphene.Field(OfficerType, required=True, description="The leader in charge.")
    plan = graphene.String(required=True, description="The plan to resolve it.")
    target_date = graphene.Date(required=True, description="When it should be resolved.")
    status = _enum(HardCaseStatusEnum, description="Open or resolved.")
    opened_at = graphene.DateTime(required=True, description="When the leader took charge.")
    resolved_at = graphene.DateTime(description="When it was resolved.")
    resolution_note = graphene.String(required=True, description="How it was resolved.")
    resolved_in_time = graphene.Boolean(description="Resolved by the target date (once resolved).")
    milestones = graphene.List(
        graphene.NonNull(MilestoneType), required=True, description="The plan's steps."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.hard_cases().filter(pk=id).first() if _is_uuid(id) else None

    @staticmethod
    def resolve_resolved_in_time(case, info):
        return None if case.resolved_at is None else case.resolved_at.date() <= case.target_date

    @staticmethod
    def resolve_milestones(case, info):
        return case.milestones.all()


class InvestigationSourceType(graphene.ObjectType):
    """One source an investigation heard."""

    class Meta:
        name = "InvestigationSource"

    kind = _enum(InvestigationSourceKindEnum, description="Who or what.")
    summary = graphene.String(required=True, description="What it said or showed.")


class InvestigationType(graphene.ObjectType):
    """调查核实: an investigation that heard both sides."""

    class Meta:
        name = "Investigation"
        interfaces = (OfficeNode,)
        possible_types = (Investigation,)

    officer = graphene.Field(OfficerType, required=True, description="Who investigated.")
    mode = _enum(InvestigationModeEnum, description="Open or discreet.")
    findings = graphene.String(required=True, description="What was found.")
    concluded_at = graphene.DateTime(required=True, description="When it was concluded.")
    sources = graphene.List(
        graphene.NonNull(InvestigationSourceType), required=True, description="Who was heard."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(Investigation, id) if _is_uuid(id) else None

    @staticmethod
    def resolve_sources(investigation, info):
        return investigation.sources.all()


class AgreementType(graphene.ObjectType):
    """调解协议书: the mediation agreement a matter closed by."""

    class Meta:
        name = "MediationAgreement"

    title = graphene.String(required=True, description="The agreement's title.")
    text = graphene.String(required=True, description="Its text.")
    parties = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The parties to it."
    )


class OutcomeType(graphene.ObjectType):
    """四到位: how a closure ended."""

    class Meta:
        name = "Outcome"
        interfaces = (OfficeNode,)
        possible_types = (Outcome,)

    kind = _enum(OutcomeKindEnum, description="How the matter ended.")
    summary = graphene.String(required=True, description="What was done.")
    law_cited = graphene.String(required=True, description="The law and policy explained.")
    help_given = graphene.String(required=True, description="The help given in hardship.")
    legal_measure = graphene.String(required=True, description="The legal measure taken.")
    agreement = graphene.Field(AgreementType, description="The mediation agreement, if mediated.")
    recorded_at = graphene.DateTime(required=True, description="When it was recorded.")
    recorded_by = graphene.Field(OfficerType, description="Who recorded it.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(Outcome, id) if _is_uuid(id) else None

    @staticmethod
    def resolve_agreement(outcome, info):
        if outcome.kind != "mediated":
            return None
        return AgreementType(
            title=outcome.agreement_title,
            text=outcome.agreement_text,
            parties=outcome.agreement_parties,
        )


class ReopeningType(graphene.ObjectType):
    """重新办理: a matter sent back for re-handling, with what it replaced."""

    class Meta:
        name = "Reopening"
        interfaces = (OfficeNode,)
        possible_types = (Reopening,)

    cause = _enum(ReopenCauseEnum, description="Why it was reopened.")
    from_status = _enum(PetitionStatusEnum, description="The state it left.")
    previous_opinion = graphene.String(required=True, description="The opinion it replaced.")
    previous_satisfaction = _enum(
        SatisfactionEnum, required=False, description="The rating it had."
    )
    visit = graphene.Field(VisitType, description="The return visit that failed, if one did.")
    reason = graphene.String(required=True, description="The reason given.")
    at = graphene.DateTime(required=True, description="When.")
    by = graphene.Field(OfficerType, description="Who recorded what reopened it.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(Reopening, id) if str(id).isdigit() else None


class CarePlanType(graphene.ObjectType):
    """帮扶计划: care after a terminated matter (Art 37)."""

    class Meta:
        name = "CarePlan"
        interfaces = (OfficeNode,)
        possible_types = (CarePlan,)

    petition = graphene.Field(PetitionType, required=True, description="The terminated matter.")
    measures = graphene.List(
        graphene.NonNull(CareMeasureEnum), required=True, description="The measures taken."
    )
    plan = graphene.String(required=True, description="The plan.")
    owner = graphene.Field(OfficerType, required=True, description="Who answers for it.")
    contact_every_days = graphene.Int(required=True, description="Contact every this many days.")
    next_contact_on = graphene.Date(required=True, description="The next contact is due then.")
    status = _enum(CarePlanStatusEnum, description="Open or ended.")
    created_at = graphene.DateTime(required=True, description="When it was made.")
    ended_at = graphene.DateTime(description="When it ended.")
    visits = graphene.List(
        graphene.NonNull(VisitType), required=True, description="The visits under the plan."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return _get(CarePlan, id, select=("owner", "petition")) if _is_uuid(id) else None

    @staticmethod
    def resolve_visits(plan, info):
        return selectors.visits().filter(care_plan=plan)


class PetitionResolutionType(graphene.ObjectType):
    """Everything done to resolve one petition: visits, investigations, items, outcomes."""

    class Meta:
        name = "PetitionResolution"

    petition = graphene.Field(PetitionType, required=True, description="The petition.")
    return_visit_due = graphene.Date(description="When the return visit of its opinion is due.")
    investigation_required = graphene.Boolean(
        required=True, description="Its opinion waits for an investigation (office setting)."
    )
    visits = graphene.List(graphene.NonNull(VisitType), required=True, description="Its visits.")
    investigations = graphene.List(
        graphene.NonNull(InvestigationType), required=True, description="Its investigations."
    )
    outcomes = graphene.List(
        graphene.NonNull(OutcomeType), required=True, description="Its closures' outcomes."
    )
    reopenings = graphene.List(
        graphene.NonNull(ReopeningType), required=True, description="Its re-handlings."
    )
    action_items = graphene.List(
        graphene.NonNull(ActionItemType), required=True, description="Its implementation items."
    )
    hard_cases = graphene.List(
        graphene.NonNull(HardCaseType), required=True, description="Leaders in charge of it."
    )
    care_plans = graphene.List(
        graphene.NonNull(CarePlanType), required=True, description="Care after termination."
    )
    available_steps = graphene.List(
        graphene.NonNull(ResolutionStepEnum),
        required=True,
        description="What you may record on it now (recordInvestigation, recordVisit of a kind).",
    )

    @staticmethod
    def resolve_available_steps(resolution, info):
        return [
            str(step) for step in selectors.available_steps(resolution.petition, info.context.user)
        ]


class HardCaseLedgerEntryType(graphene.ObjectType):
    """A hard case in the subtree ledger (积案台账): no content, no personal data."""

    class Meta:
        name = "HardCaseLedgerEntry"
        interfaces = (OfficeNode,)
        possible_types = (HardCaseEntry,)

    office = graphene.Field(OfficeType, required=True, description="The office handling it.")
    petition_id = graphene.ID(required=True, description="The petition copy's global ID.")
    reference = graphene.String(required=True, description="The petition's reference number.")
    reason = _enum(HardCaseReasonEnum, description="Why it is hard.")
    leader_name = graphene.String(required=True, description="The leader in charge.")
    target_date = graphene.Date(required=True, description="When it should be resolved.")
    status = _enum(HardCaseStatusEnum, description="Open or resolved.")
    overdue = graphene.Boolean(required=True, description="Open past its target date.")
    milestones_total = graphene.Int(required=True, description="Steps in the plan.")
    milestones_done = graphene.Int(required=True, description="Steps done.")
    opened_at = graphene.DateTime(required=True, description="When the leader took charge.")
    resolved_at = graphene.DateTime(description="When it was resolved.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        if not _is_uuid(id):
            return None
        return selectors.hard_case_ledger(office=info.context.tenant).filter(pk=id).first()

    @staticmethod
    def resolve_id(entry, info):
        return entry.hard_case_id

    @staticmethod
    def resolve_petition_id(entry, info):
        return petition_copy_id(entry.office.code, entry.petition_id)

    @staticmethod
    def resolve_overdue(entry, info):
        return entry.status == HardCaseStatus.OPEN and entry.target_date < timezone.localdate()


class CarePlanLedgerEntryType(graphene.ObjectType):
    """A care plan in the subtree (Art 37): office, measures and next contact, no content."""

    class Meta:
        name = "CarePlanLedgerEntry"
        interfaces = (OfficeNode,)
        possible_types = (CarePlanEntry,)

    office = graphene.Field(OfficeType, required=True, description="The office caring.")
    petition_id = graphene.ID(required=True, description="The petition copy's global ID.")
    reference = graphene.String(required=True, description="The petition's reference number.")
    measures = graphene.List(
        graphene.NonNull(CareMeasureEnum), required=True, description="The measures taken."
    )
    next_contact_on = graphene.Date(required=True, description="The next contact is due then.")
    visits = graphene.Int(required=True, description="Visits held under the plan.")
    status = _enum(CarePlanStatusEnum, description="Open or ended.")

    @classmethod
    def get_node(cls, info, id):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        if not _is_uuid(id):
            return None
        return selectors.care_plan_ledger(office=info.context.tenant).filter(pk=id).first()

    @staticmethod
    def resolve_id(entry, info):
        return entry.care_plan_id

    @staticmethod
    def resolve_petition_id(entry, info):
        return petition_copy_id(entry.office.code, entry.petition_id)


def _rate(description: str):
    return graphene.Float(description=f"{description} (null when there is nothing to rate).")


class ResolutionFiguresType(graphene.ObjectType):
    """Resolution counts and their rates (definitions: docs/resolution.md)."""

    class Meta:
        name = "ResolutionFigures"

    opinions = graphene.Int(required=True, description="Written opinions issued.")
    return_visits_due = graphene.Int(
        required=True, description="Opinions whose return visit fell due."
    )
    return_visits_held = graphene.Int(required=True, description="Of those, return visits held.")
    return_visits_on_time = graphene.Int(required=True, description="Held by the due day.")
    items_due = graphene.Int(required=True, description="Implementation items that fell due.")
    items_done = graphene.Int(required=True, description="Of those, done.")
    closed = graphene.Int(required=True, description="Closures (each with its outcome).")
    resolved = graphene.Int(required=True, description="Closures solved or mediated.")
    reopened = graphene.Int(required=True, description="Matters reopened for re-handling.")
    hard_cases_due = graphene.Int(required=True, description="Hard cases whose target fell due.")
    hard_cases_resolved_in_time = graphene.Int(required=True, description="Resolved by the target.")
    collective_alerts = graphene.Int(required=True, description="Collective alerts raised here.")
    collective_alerts_visited = graphene.Int(
        required=True, description="Of those, answered by an appointment visit (约访)."
    )
    appointment_visits = graphene.Int(required=True, description="Appointment visits held.")
    return_visit_coverage = _rate("Return visits held / due")
    return_visit_timeliness = _rate("Return visits on time / held")
    implementation_rate = _rate("Implementation items done / due")
    resolution_rate = _rate("Closures solved or mediated / closures")
    reopen_rate = _rate("Reopenings / opinions")
    hard_cases_in_time_rate = _rate("Hard cases resolved in time / due")
    collective_alerts_visited_rate = _rate("Collective alerts answered by a visit / alerts")


class OfficeResolutionFiguresType(graphene.ObjectType):
    """One office's resolution figures."""

    class Meta:
        name = "OfficeResolutionFigures"

    office = graphene.Field(OfficeType, required=True, description="The office.")
    figures = graphene.Field(ResolutionFiguresType, required=True, description="Its figures.")


class SubtreeResolutionMetricsType(graphene.ObjectType):
    """Resolution figures of the office's subtree, in total and per office."""

    class Meta:
        name = "SubtreeResolutionMetrics"

    total = graphene.Field(ResolutionFiguresType, required=True, description="The whole subtree.")
    offices = graphene.List(
        graphene.NonNull(OfficeResolutionFiguresType),
        required=True,
        description="Each office with figures in the period.",
    )


class ResolutionOverviewType(graphene.ObjectType):
    """What needs attention in the subtree: open and late hard cases, overdue return visits,
    items and care contacts (as of each office's latest daily scan)."""

    class Meta:
        name = "ResolutionOverview"

    open_hard_cases = graphene.Int(required=True, description="Hard cases being resolved.")
    overdue_hard_cases = graphene.Int(required=True, description="Open past their target.")
    overdue_return_visits = graphene.Int(required=True, description="Return visits overdue.")
    overdue_action_items = graphene.Int(required=True, description="Action items overdue.")
    overdue_care_contacts = graphene.Int(required=True, description="Care contacts overdue.")
    scanned_on = graphene.Date(description="The day of the latest scan counted.")


VisitConnection = connection(VisitType, description="A page of visits, newest first.")
ActionItemConnection = connection(
    ActionItemType, description="A page of items, earliest due first."
)
HardCaseConnection = connection(HardCaseType, description="A page of hard cases by target date.")
HardCaseLedgerConnection = connection(
    HardCaseLedgerEntryType, description="A page of the subtree's hard cases by target date."
)
CarePlanLedgerConnection = connection(
    CarePlanLedgerEntryType, description="A page of the subtree's care plans by next contact."
)


# --- queries --------------------------------------------------------------------------------------


class Query(graphene.ObjectType):
    visits = connection_field(
        VisitConnection,
        "This office's visits, newest first.",
        kinds=any_of(VisitKindEnum, "kinds"),
        statuses=any_of(VisitStatusEnum, "statuses"),
        petition_id=graphene.ID(description="Only visits concerning this petition."),
    )
    action_items = connection_field(
        ActionItemConnection,
        "This office's follow-up and implementation items, earliest due first.",
        mine=graphene.Boolean(description="Only the items you own."),
        statuses=any_of(ItemStatusEnum, "statuses"),
        overdue=graphene.Boolean(description="Only open items past their due day."),
    )
    hard_cases = connection_field(
        HardCaseConnection,
        "This office's hard cases (包案), by target date.",
        statuses=any_of(HardCaseStatusEnum, "statuses"),
    )
    hard_case_ledger = connection_field(
        HardCaseLedgerConnection,
        "The hard cases of this office's whole subtree (积案台账), by target date.",
        statuses=any_of(HardCaseStatusEnum, "statuses"),
    )
    care_plan_ledger = connection_field(
        CarePlanLedgerConnection,
        "Care plans after termination across the subtree, by next contact.",
        statuses=any_of(CarePlanStatusEnum, "statuses"),
    )
    reception_sessions = graphene.List(
        graphene.NonNull(ReceptionSessionType),
        required=True,
        start=graphene.Date(required=True, description="First day (inclusive)."),
        end=graphene.Date(required=True, description="Last day (inclusive), at most 92 days on."),
        description="This office's published reception sessions between two days.",
    )
    reception_schedule = graphene.List(
        graphene.NonNull(PublishedReceptionType),
        required=True,
        start=graphene.Date(required=True, description="First day (inclusive)."),
        end=graphene.Date(required=True, description="Last day (inclusive), at most 92 days on."),
        description="Public (no login): when and where leaders receive visitors (领导接访日).",
    )
    petition_resolution = graphene.Field(
        PetitionResolutionType,
        required=True,
        petition_id=graphene.ID(required=True, description="The petition's global ID."),
        description="What was done to resolve one petition of this office.",
    )
    resolution_metrics = graphene.Field(
        SubtreeResolutionMetricsType,
        required=True,
        from_month=graphene.Date(required=True, description="Any day of the first month."),
        to_month=graphene.Date(required=True, description="Any day of the last month."),
        description="Resolution figures of this office's subtree, from the monthly rows.",
    )

    @staticmethod
    def resolve_visits(root, info, kinds=None, statuses=None, petition_id=None, **page):
        current_officer(info)
        qs = selectors.visits(
            kinds=enum_values(kinds),
            statuses=enum_values(statuses),
            petition_id=_petition_pk(petition_id, field="petitionId") if petition_id else None,
        )
        return keyset_page(qs, key=("-created_at", "-id"), **page)

    @staticmethod
    def resolve_action_items(root, info, mine=False, statuses=None, overdue=False, **page):
        officer = current_officer(info)
        qs = selectors.action_items(
            owner_id=officer.pk if mine else None,
            statuses=enum_values(statuses),
            overdue=bool(overdue),
        )
        return keyset_page(qs, key=("due_on", "id"), **page)

    @staticmethod
    def resolve_hard_cases(root, info, statuses=None, **page):
        current_officer(info)
        qs = selectors.hard_cases(statuses=enum_values(statuses))
        return keyset_page(qs, key=("target_date", "id"), **page)

    @staticmethod
    def resolve_hard_case_ledger(root, info, statuses=None, **page):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        qs = selectors.hard_case_ledger(office=info.context.tenant, statuses=enum_values(statuses))
        return keyset_page(qs, key=("target_date", "hard_case_id"), **page)

    @staticmethod
    def resolve_care_plan_ledger(root, info, statuses=None, **page):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        qs = selectors.care_plan_ledger(office=info.context.tenant, statuses=enum_values(statuses))
        return keyset_page(qs, key=("next_contact_on", "care_plan_id"), **page)

    @staticmethod
    def resolve_reception_sessions(root, info, start, end):
        current_officer(info)
        return selectors.reception_schedule(start=start, end=_schedule_end(start, end))

    @staticmethod
    def resolve_reception_schedule(root, info, start, end):
        return selectors.reception_schedule(start=start, end=_schedule_end(start, end))

    @staticmethod
    def resolve_petition_resolution(root, info, petition_id):
        current_officer(info)
        pk = _petition_pk(petition_id, field="petitionId")
        petition = Petition.objects.filter(pk=pk).first()
        if petition is None:
            raise NotFound("no such petition in this office", field="petitionId")
        return selectors.petition_resolution(petition)

    @staticmethod
    def resolve_resolution_metrics(root, info, from_month, to_month):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        if to_month < from_month or (to_month - from_month).days > 3660:
            raise ValidationError(
                "the period must run forwards, at most 10 years",
                code=ErrorCode.INVALID_INPUT,
                field="toMonth",
            )
        return subtree_resolution(
            office=info.context.tenant, from_month=from_month, to_month=to_month
        )


def subtree_resolution(*, office, from_month, to_month) -> SubtreeResolutionMetricsType:
    """The resolution figures of the office's subtree for a period (also in `subtreeMetrics`)."""
    result = metrics.subtree_figures(office=office, from_month=from_month, to_month=to_month)
    return SubtreeResolutionMetricsType(
        total=result.total,
        offices=[
            OfficeResolutionFiguresType(office=o.office, figures=o.figures) for o in result.offices
        ],
    )


def _schedule_end(start: datetime.date, end: datetime.date) -> datetime.date:
    if end < start or (end - start).days > MAX_SCHEDULE_DAYS:
        raise ValidationError(
            f"the schedule is read up to {MAX_SCHEDULE_DAYS} days at a time",
            code=ErrorCode.INVALID_INPUT,
            field="end",
        )
    return end


# --- inputs ---------------------------------------------------------------------------------------


class ActionItemInput(graphene.InputObjectType):
    """An action item: what, who and by when."""

    description = graphene.String(required=True, description="What is to be done.")
    owner_id = graphene.ID(
        description="Who answers for it (an officer of this office; required: OWNER_REQUIRED)."
    )
    due_on = graphene.Date(required=True, description="The day it is due (today or later).")


class VisitInput(graphene.InputObjectType):
    """A visit as planned or recorded."""

    kind = VisitKindEnum(required=True, description="The kind of visit.")
    officer_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="The officers who go (of this office; a leader for appointments, receptions).",
    )
    petition_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="The petitions of this office it concerns."
    )
    collective_alert_id = graphene.ID(description="The collective alert an appointment answers.")
    session_id = graphene.ID(description="A reception's session.")
    other_bodies = graphene.List(
        graphene.NonNull(graphene.String), description="The other bodies of a joint reception."
    )
    place = graphene.String(description="Where.")
    planned_on = graphene.Date(description="The day it is planned for (planVisit).")
    held_at = graphene.DateTime(description="When it took place (recordVisit; default now).")
    met = graphene.String(description="Whom they met.")
    summary = graphene.String(description="What was said (required when recorded).")
    agreed = graphene.String(description="What was agreed.")
    outcome = graphene.String(description="How it ended.")
    return_finding = ReturnFindingEnum(description="A return visit's finding (when recorded).")
    satisfaction_now = SatisfactionEnum(description="The petitioner's satisfaction now.")
    hard_case_id = graphene.ID(description="The hard case it belongs to.")
    care_plan_id = graphene.ID(description="The care plan it belongs to.")
    follow_ups = graphene.List(
        graphene.NonNull(ActionItemInput), description="Follow-up items with owners."
    )


def _item_input(data) -> services.ItemInput:
    return services.ItemInput(
        description=data.get("description") or "",
        owner=_officer_ref(data.get("owner_id"), field="ownerId"),
        due_on=data.get("due_on"),
    )


def _visit_input(data) -> services.VisitInput:
    alert = data.get("collective_alert_id")
    return services.VisitInput(
        kind=enum_value(data["kind"]),
        officers=[_officer_ref(i, field="officerIds") for i in data.get("officer_ids") or []],
        petition_ids=[_petition_pk(i, field="petitionIds") for i in data.get("petition_ids") or []],
        collective_alert_id=None
        if alert is None
        else decode_int(
            alert,
            expected="CollectiveAlert",
            field="collectiveAlertId",
            missing="no such collective alert",
        ),
        session_id=_uuid(data.get("session_id"), "ReceptionSession", field="sessionId"),
        other_bodies=list(data.get("other_bodies") or []),
        place=data.get("place") or "",
        planned_on=data.get("planned_on"),
        held_at=data.get("held_at"),
        met=data.get("met") or "",
        summary=data.get("summary") or "",
        agreed=data.get("agreed") or "",
        outcome=data.get("outcome") or "",
        return_finding=enum_value(data.get("return_finding")) or "",
        satisfaction_now=enum_value(data.get("satisfaction_now")) or "",
        hard_case_id=_uuid(data.get("hard_case_id"), "HardCase", field="hardCaseId"),
        care_plan_id=_uuid(data.get("care_plan_id"), "CarePlan", field="carePlanId"),
        follow_ups=[_item_input(i) for i in data.get("follow_ups") or []],
    )


class OutcomeInput(graphene.InputObjectType):
    """四到位: how the matter ended, with the detail its kind needs."""

    kind = OutcomeKindEnum(
        required=True, description="Solved, explained, assisted or handled by law."
    )
    summary = graphene.String(required=True, description="What was done.")
    law_cited = graphene.String(description="EXPLAINED: the law and policy explained.")
    help_given = graphene.String(description="ASSISTED: the help given.")
    legal_measure = graphene.String(description="BY_LAW: the legal measure taken.")


class MediationInput(graphene.InputObjectType):
    """调解协议: the agreement a mediated closure carries."""

    summary = graphene.String(required=True, description="What the mediation achieved.")
    title = graphene.String(required=True, description="The agreement's title.")
    text = graphene.String(required=True, description="Its text.")
    parties = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The parties (two or more)."
    )


class MilestoneInput(graphene.InputObjectType):
    """A step of a hard case's plan."""

    title = graphene.String(required=True, description="What the step is.")
    due_on = graphene.Date(required=True, description="When it is due.")


class SourceInput(graphene.InputObjectType):
    """One source an investigation heard."""

    kind = InvestigationSourceKindEnum(required=True, description="Who or what was heard.")
    summary = graphene.String(required=True, description="What it said or showed.")


# --- mutations ------------------------------------------------------------------------------------


def _mutation(name: str, doc: str, field: str, type_, arguments: dict, call):
    """A mutation `<name>` with payload `<name>Payload { <field> }` that parses its arguments and
    calls one service through `call(officer, **arguments)`."""

    def mutate(root, info, **kwargs):
        officer = current_officer(info)
        return mutation(**{field: call(officer, **kwargs)})

    mutation = type(
        name,
        (graphene.Mutation,),
        {
            "__doc__": doc,
            "Meta": type("Meta", (), {"name": f"{name}Payload"}),
            "Arguments": type("Arguments", (), arguments),
            field: graphene.Field(type_, required=True, description=f"The {field} as it is now."),
            "mutate": staticmethod(mutate),
        },
    )
    return mutation


def _id(description: str, required: bool = True):
    return graphene.ID(required=required, description=description)


ScheduleReception = _mutation(
    "ScheduleReception",
    "领导接访日: publish a leader's reception session.",
    "session",
    ReceptionSessionType,
    {
        "leader_id": _id("The receiving leader."),
        "starts_at": graphene.DateTime(required=True, description="When it starts (ahead)."),
        "ends_at": graphene.DateTime(required=True, description="When it ends."),
        "place": graphene.String(required=True, description="Where visitors are received."),
        "topic": graphene.String(description="The matters it is for."),
    },
    lambda officer, leader_id, topic=None, **kw: services.reception_schedule(
        officer=officer, leader=_officer_ref(leader_id, field="leaderId"), topic=topic or "", **kw
    ),
)
CancelReception = _mutation(
    "CancelReception",
    "Call off a reception session that has received nobody.",
    "session",
    ReceptionSessionType,
    {"id": _id("The session.")},
    lambda officer, id: services.reception_cancel(
        officer=officer, session=decode_uuid(id, expected="ReceptionSession")
    ),
)
PlanVisit = _mutation(
    "PlanVisit",
    "Plan a visit for a day.",
    "visit",
    VisitType,
    {"input": VisitInput(required=True, description="The visit.")},
    lambda officer, input: services.visit_plan(officer=officer, data=_visit_input(input)),
)
RecordVisit = _mutation(
    "RecordVisit",
    "Record a visit that took place (a failed return visit reopens the matter).",
    "visit",
    VisitType,
    {
        "input": VisitInput(required=True, description="The visit."),
        "planned_visit_id": _id("The planned visit it completes, if any.", required=False),
    },
    lambda officer, input, planned_visit_id=None: services.visit_record(
        officer=officer,
        data=_visit_input(input),
        planned=_uuid(planned_visit_id, "Visit", field="plannedVisitId"),
    ),
)
CancelVisit = _mutation(
    "CancelVisit",
    "Cancel a planned visit, with the reason.",
    "visit",
    VisitType,
    {"id": _id("The planned visit."), "reason": graphene.String(required=True, description="Why.")},
    lambda officer, id, reason: services.visit_cancel(
        officer=officer, visit=decode_uuid(id, expected="Visit"), reason=reason
    ),
)
AddActionItem = _mutation(
    "AddActionItem",
    "An implementation item of the opinion (督促执行), with its owner.",
    "item",
    ActionItemType,
    {
        "petition_id": _id("The petition whose opinion it implements."),
        "item": ActionItemInput(required=True, description="The item."),
    },
    lambda officer, petition_id, item: services.item_add(
        officer=officer,
        petition=_petition_pk(petition_id, field="petitionId"),
        item=_item_input(item),
    ),
)
CompleteActionItem = _mutation(
    "CompleteActionItem",
    "Mark an item done, with its evidence.",
    "item",
    ActionItemType,
    {
        "id": _id("The item."),
        "evidence": graphene.String(description="A document's reference or what was seen."),
        "evidence_visit_id": _id("The visit that confirmed it.", required=False),
    },
    lambda officer, id, evidence=None, evidence_visit_id=None: services.item_complete(
        officer=officer,
        item=decode_uuid(id, expected="ActionItem"),
        evidence=evidence or "",
        evidence_visit=_uuid(evidence_visit_id, "Visit", field="evidenceVisitId"),
    ),
)
OpenHardCase = _mutation(
    "OpenHardCase",
    "包案: a leader takes charge of a matter until it is resolved.",
    "hard_case",
    HardCaseType,
    {
        "petition_id": _id("The matter's petition."),
        "reason": HardCaseReasonEnum(required=True, description="Why it is a hard case."),
        "leader_id": _id("The leader in charge."),
        "plan": graphene.String(required=True, description="The plan."),
        "target_date": graphene.Date(required=True, description="When it should be resolved."),
        "milestones": graphene.List(graphene.NonNull(MilestoneInput), description="The steps."),
    },
    lambda officer, petition_id, reason, leader_id, milestones=None, **kw: services.hard_case_open(
        officer=officer,
        petition=_petition_pk(petition_id, field="petitionId"),
        reason=enum_value(reason),
        leader=_officer_ref(leader_id, field="leaderId"),
        milestones=[(m["title"], m["due_on"]) for m in milestones or []],
        **kw,
    ),
)
AddMilestone = _mutation(
    "AddMilestone",
    "Add a step to a hard case's plan.",
    "milestone",
    MilestoneType,
    {
        "hard_case_id": _id("The hard case."),
        "milestone": MilestoneInput(required=True, description="The step."),
    },
    lambda officer, hard_case_id, milestone: services.milestone_add(
        officer=officer,
        hard_case=decode_uuid(hard_case_id, expected="HardCase", field="hardCaseId"),
        title=milestone["title"],
        due_on=milestone["due_on"],
    ),
)
CompleteMilestone = _mutation(
    "CompleteMilestone",
    "A step of the plan is done.",
    "milestone",
    MilestoneType,
    {"id": _id("The milestone."), "note": graphene.String(description="How it went.")},
    lambda officer, id, note=None: services.milestone_complete(
        officer=officer,
        milestone=decode_int(id, expected="Milestone", field="id", missing="no such milestone"),
        note=note or "",
    ),
)
ResolveHardCase = _mutation(
    "ResolveHardCase",
    "The hard case is resolved (化解).",
    "hard_case",
    HardCaseType,
    {
        "id": _id("The hard case."),
        "note": graphene.String(required=True, description="How it was resolved."),
    },
    lambda officer, id, note: services.hard_case_resolve(
        officer=officer, hard_case=decode_uuid(id, expected="HardCase"), note=note
    ),
)
RecordInvestigation = _mutation(
    "RecordInvestigation",
    "调查核实: the sources heard (both sides) and the findings.",
    "investigation",
    InvestigationType,
    {
        "petition_id": _id("The petition investigated."),
        "mode": InvestigationModeEnum(required=True, description="Open or discreet."),
        "findings": graphene.String(required=True, description="What was found."),
        "sources": graphene.List(
            graphene.NonNull(SourceInput), required=True, description="Who and what was heard."
        ),
    },
    lambda officer, petition_id, mode, findings, sources: services.investigation_record(
        officer=officer,
        petition=_petition_pk(petition_id, field="petitionId"),
        mode=enum_value(mode),
        findings=findings,
        sources=[(enum_value(s["kind"]), s["summary"]) for s in sources],
    ),
)


def _outcome(data) -> services.OutcomeInput:
    return services.OutcomeInput(
        kind=enum_value(data["kind"]),
        summary=data.get("summary") or "",
        law_cited=data.get("law_cited") or "",
        help_given=data.get("help_given") or "",
        legal_measure=data.get("legal_measure") or "",
    )


def _version(description="The version you loaded."):
    return graphene.Int(required=True, description=description)


ClosePetition = _mutation(
    "ClosePetition",
    "办结: close a replied petition with its outcome (四到位).",
    "petition",
    PetitionType,
    {
        "id": _id("The petition."),
        "version": _version(),
        "outcome": OutcomeInput(required=True, description="How the matter ended."),
        "note": graphene.String(description="An internal note."),
    },
    lambda officer, id, version, outcome, note=None: services.petition_close(
        petition=_petition_pk(id, field="id"),
        officer=officer,
        version=version,
        outcome=_outcome(outcome),
        note=note or "",
    ),
)
MediatePetition = _mutation(
    "MediatePetition",
    "调解结案: close by a mediation agreement (Art 33).",
    "petition",
    PetitionType,
    {
        "id": _id("The petition."),
        "version": _version(),
        "agreement": MediationInput(required=True, description="The agreement."),
        "note": graphene.String(description="An internal note."),
    },
    lambda officer, id, version, agreement, note=None: services.petition_mediate(
        petition=_petition_pk(id, field="id"),
        officer=officer,
        version=version,
        note=note or "",
        outcome=services.OutcomeInput(
            kind="mediated",
            summary=agreement["summary"],
            agreement_title=agreement["title"],
            agreement_text=agreement["text"],
            agreement_parties=agreement["parties"],
        ),
    ),
)
ReopenPetition = _mutation(
    "ReopenPetition",
    "重新办理: a leader sends the matter back for re-handling.",
    "petition",
    PetitionType,
    {
        "id": _id("The petition."),
        "version": _version(),
        "reason": graphene.String(required=True, description="Why."),
    },
    lambda officer, id, version, reason: services.petition_reopen(
        petition=_petition_pk(id, field="id"), officer=officer, version=version, reason=reason
    ),
)
OpenCarePlan = _mutation(
    "OpenCarePlan",
    "帮扶: care after a terminated matter (Art 37).",
    "care_plan",
    CarePlanType,
    {
        "petition_id": _id("The terminated matter's petition."),
        "measures": graphene.List(
            graphene.NonNull(CareMeasureEnum), required=True, description="The measures."
        ),
        "plan": graphene.String(required=True, description="The plan."),
        "owner_id": _id("Who answers for it (required: OWNER_REQUIRED).", required=False),
        "contact_every_days": graphene.Int(required=True, description="Contact every N days."),
    },
    lambda officer, petition_id, measures, owner_id=None, **kw: services.care_plan_open(
        officer=officer,
        petition=_petition_pk(petition_id, field="petitionId"),
        measures=enum_values(measures),
        owner=_officer_ref(owner_id, field="ownerId"),
        **kw,
    ),
)
EndCarePlan = _mutation(
    "EndCarePlan",
    "End a care plan, saying why.",
    "care_plan",
    CarePlanType,
    {"id": _id("The care plan."), "note": graphene.String(required=True, description="Why.")},
    lambda officer, id, note: services.care_plan_end(
        officer=officer, care_plan=decode_uuid(id, expected="CarePlan"), note=note
    ),
)


class Mutation(graphene.ObjectType):
    schedule_reception = ScheduleReception.Field(required=True)
    cancel_reception = CancelReception.Field(required=True)
    plan_visit = PlanVisit.Field(required=True)
    record_visit = RecordVisit.Field(required=True)
    cancel_visit = CancelVisit.Field(required=True)
    add_action_item = AddActionItem.Field(required=True)
    complete_action_item = CompleteActionItem.Field(required=True)
    open_hard_case = OpenHardCase.Field(required=True)
    add_milestone = AddMilestone.Field(required=True)
    complete_milestone = CompleteMilestone.Field(required=True)
    resolve_hard_case = ResolveHardCase.Field(required=True)
    record_investigation = RecordInvestigation.Field(required=True)
    close_petition = ClosePetition.Field(required=True)
    mediate_petition = MediatePetition.Field(required=True)
    reopen_petition = ReopenPetition.Field(required=True)
    open_care_plan = OpenCarePlan.Field(required=True)
    end_care_plan = EndCarePlan.Field(required=True)
