"""Search, repeat candidates and collective alerts. Thin: selectors read, services change.

Everything here is scoped by registry/visibility.py through `search.selectors.scoped_search`
and the registry's `viewer_codes`: an office finds only what it may see; repeat candidates outside
its visibility show only office, level, date, reference, status and score.
"""

import graphene
from django.utils.dateparse import parse_datetime

from xinfang.graphql.arguments import enum_value, enum_values
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import CategoryType, PetitionerInputType, category_of
from xinfang.graphql.enums import (
    ChannelEnum,
    CollectiveAlertRoleEnum,
    CollectiveAlertStateEnum,
    ErrorCodeEnum,
    PetitionStatusEnum,
    RepeatCheckStateEnum,
    RepeatDecisionEnum,
    RepeatReasonEnum,
)
from xinfang.graphql.loaders import loaders
from xinfang.graphql.nodes import OfficeNode, decode_int, decode_uuid, petition_copy_id
from xinfang.graphql.offices import OfficeType, office_by_code
from xinfang.graphql.pagination import (
    any_of,
    connection,
    connection_arguments,
    connection_field,
    keyset_page,
    offset_page,
    offset_window,
)
from xinfang.platform.accounts.models import Role
from xinfang.search import selectors, services
from xinfang.search.models import CollectiveAlert, RepeatCandidate
from xinfang.search.repeats import Draft, preview_repeats
from xinfang.search.services import READERS


class CategoryBucketType(graphene.ObjectType):
    """How many hits fall in one category."""

    class Meta:
        name = "CategoryFacetBucket"

    category = graphene.Field(CategoryType, required=True, description="The category.")
    count = graphene.Int(required=True, description="Hits in it.")


class ChannelBucketType(graphene.ObjectType):
    """How many hits came by one channel."""

    class Meta:
        name = "ChannelFacetBucket"

    channel = graphene.Field(ChannelEnum, required=True, description="The channel.")
    count = graphene.Int(required=True, description="Hits that came by it.")


class StatusBucketType(graphene.ObjectType):
    """How many hits are in one status."""

    class Meta:
        name = "StatusFacetBucket"

    status = graphene.Field(PetitionStatusEnum, required=True, description="The status.")
    count = graphene.Int(required=True, description="Hits in it.")


class OfficeBucketType(graphene.ObjectType):
    """How many hits one office holds."""

    class Meta:
        name = "OfficeFacetBucket"

    office = graphene.Field(OfficeType, required=True, description="The office.")
    count = graphene.Int(required=True, description="Hits it holds.")

    @staticmethod
    def resolve_office(bucket, info):
        return office_by_code(info, bucket["office"])


class SearchFacetsType(graphene.ObjectType):
    """Counts of the hits by category, channel, status and office (each ignores its own filter)."""

    class Meta:
        name = "SearchFacets"

    category = graphene.List(
        graphene.NonNull(CategoryBucketType),
        required=True,
        description="By category (at most 50 buckets).",
    )
    channel = graphene.List(
        graphene.NonNull(ChannelBucketType), required=True, description="By channel."
    )
    status = graphene.List(
        graphene.NonNull(StatusBucketType), required=True, description="By status."
    )
    office = graphene.List(
        graphene.NonNull(OfficeBucketType),
        required=True,
        description="By office (at most 50 buckets).",
    )

    @staticmethod
    def resolve_category(facets, info):
        return [{"category": category_of(v), "count": n} for v, n in facets["category"]]

    @staticmethod
    def resolve_channel(facets, info):
        return [{"channel": v, "count": n} for v, n in facets["channel"]]

    @staticmethod
    def resolve_status(facets, info):
        return [{"status": v, "count": n} for v, n in facets["status"]]

    @staticmethod
    def resolve_office(facets, info):
        return [{"office": v, "count": n} for v, n in facets["office"]]


class SearchHitType(graphene.ObjectType):
    """A petition found by search (no personal data; content only as highlighted fragments)."""

    class Meta:
        name = "SearchHit"

    petition_id = graphene.ID(
        required=True,
        description="The petition (a Petition ID here, else a CrossOfficePetition ID).",
    )
    reference = graphene.String(required=True, description="Its office's reference number.")
    office = graphene.Field(OfficeType, required=True, description="The office that holds it.")
    category = graphene.Field(CategoryType, required=True, description="What it is about.")
    channel = graphene.Field(ChannelEnum, required=True, description="How it reached its office.")
    status = graphene.Field(
        PetitionStatusEnum, required=True, description="Where it is in its office's workflow."
    )
    registered_at = graphene.DateTime(required=True, description="When it was registered.")
    place = graphene.String(required=True, description="Where the problem is.")
    accused_body = graphene.String(
        required=True, description="The body it is about (may be empty)."
    )
    is_repeat = graphene.Boolean(
        required=True, description="Confirmed to repeat an earlier matter."
    )
    is_collective = graphene.Boolean(required=True, description="A collective petition.")
    score = graphene.Float(
        required=True, description="The relevance score (0 without search text)."
    )
    highlights = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="fragments with <em> tags"
    )

    @staticmethod
    def resolve_petition_id(hit, info):
        return petition_copy_id(hit.office_code, hit.petition_id)

    @staticmethod
    def resolve_office(hit, info):
        return office_by_code(info, hit.office_code)

    @staticmethod
    def resolve_category(hit, info):
        return category_of(hit.category)


SearchHitConnection = connection(
    SearchHitType,
    description="A page of search hits, best first (newest first without text).",
    facets=graphene.Field(
        SearchFacetsType,
        required=True,
        description="Counts of all the hits by category, channel, status and office.",
    ),
    resolve_facets=staticmethod(lambda page, info: page.extra),
)


class SearchFilterInput(graphene.InputObjectType):
    """Narrows a search; every given condition must hold."""

    categories = graphene.List(
        graphene.NonNull(graphene.String),
        description="Category codes (01.01) or whole top levels (01).",
    )
    channels = any_of(ChannelEnum, "channels")
    statuses = any_of(PetitionStatusEnum, "statuses")
    office_codes = graphene.List(
        graphene.NonNull(graphene.String),
        description="Only petitions of these offices (division codes).",
    )
    registered_from = graphene.DateTime(description="Registered at or after this moment.")
    registered_to = graphene.DateTime(description="Registered at or before this moment.")
    is_repeat = graphene.Boolean(description="Only repeats (true) or only non-repeats (false).")
    is_collective = graphene.Boolean(
        description="Only collective (true) or only individual (false) petitions."
    )


def _search_filters(data) -> selectors.SearchFilters:
    data = {k: v for k, v in (data or {}).items() if v is not None}
    for name in ("channels", "statuses"):
        if name in data:
            data[name] = enum_values(data[name])
    return selectors.SearchFilters(**data)


class CandidateDetailsType(graphene.ObjectType):
    """What only an office that may see the earlier petition gets."""

    class Meta:
        name = "RepeatCandidateDetails"

    category = graphene.Field(CategoryType, description="What the earlier petition is about.")
    channel = graphene.Field(ChannelEnum, description="How it reached its office.")
    place = graphene.String(description="Where the problem is.")
    accused_body = graphene.String(description="The body it is about.")
    content = graphene.String(description="What the petitioner said.")

    @staticmethod
    def resolve_category(details, info):
        return category_of(details["category"]) if details.get("category") else None

    @staticmethod
    def resolve_channel(details, info):
        return details.get("channel") or None


class RepeatCandidateType(graphene.ObjectType):
    """An earlier petition, anywhere in the province, that may be the same matter."""

    class Meta:
        name = "RepeatCandidate"
        interfaces = (OfficeNode,)
        possible_types = (RepeatCandidate,)

    candidate_petition_id = graphene.ID(
        required=True,
        description="The earlier petition (a Petition ID here, else a CrossOfficePetition ID).",
    )
    reference = graphene.String(required=True, description="Its office's reference number.")
    office = graphene.Field(OfficeType, required=True, description="The office that holds it.")
    registered_at = graphene.DateTime(required=True, description="When it was registered.")
    status = graphene.Field(
        PetitionStatusEnum, required=True, description="Where it is in its office's workflow."
    )
    score = graphene.Float(
        required=True,
        description=(
            "The probability (0 to 1) that it is the same matter or the same person, not how "
            "alike the texts are (calibrated on held-out data: docs/detection.md)."
        ),
    )
    reasons = graphene.List(
        graphene.NonNull(RepeatReasonEnum),
        required=True,
        description="Why it matched; empty when this office may not open the candidate.",
    )
    on_terminated_matter = graphene.Boolean(
        required=True, description="The earlier matter was terminated (终结) after re-review."
    )
    decision = graphene.Field(
        RepeatDecisionEnum, required=True, description="What this office decided."
    )
    visible = graphene.Boolean(
        required=True, description="Its details are shown here (it may be opened, search is up)."
    )
    can_open = graphene.Boolean(
        required=True,
        description=(
            "May this office open the earlier petition (crossOfficePetition with "
            "candidatePetitionId)? Decided now by the visibility rules."
        ),
    )
    explanation = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description=(
            "The evidence in words an officer reads (同一人: 身份证号; 同一事项: 兰里村 征地补偿 "
            "金额一致; 差异: 年份不同); empty when this office may not open the candidate."
        ),
    )
    later = graphene.Boolean(
        required=True,
        description="A petition registered after this one that matched it (both offices learn).",
    )
    details = graphene.Field(
        CandidateDetailsType,
        description="Its content, only where this office may see it; else null.",
    )

    @staticmethod
    def resolve_candidate_petition_id(candidate: RepeatCandidate, info):
        return petition_copy_id(candidate.office_code, candidate.candidate_petition_id)

    @staticmethod
    def resolve_office(candidate: RepeatCandidate, info):
        return office_by_code(info, candidate.office_code)

    @staticmethod
    def resolve_decision(candidate: RepeatCandidate, info):
        return RepeatCandidate.Decision(candidate.decision).value

    @staticmethod
    def resolve_reasons(candidate: RepeatCandidate, info):
        # Outside the office's visibility only office, level, date, reference, status and score.
        # The rule is explanation's (the registry's, now), not the details': search being down
        # hides the content it holds, not why the stored check matched.
        if not candidate.can_open:
            return []
        return [RepeatCandidate.Reason(r).value for r in candidate.reasons]

    @staticmethod
    def resolve_visible(candidate, info):
        return candidate.details is not None

    @staticmethod
    def resolve_can_open(candidate: RepeatCandidate, info):
        return candidate.can_open

    @staticmethod
    def resolve_explanation(candidate: RepeatCandidate, info):
        return list(candidate.explanation) if candidate.can_open else []

    @staticmethod
    def resolve_details(candidate, info):
        return candidate.details

    @classmethod
    def get_node(cls, info, id):
        current_officer(info, *READERS)
        if not str(id).isdigit():
            return None
        return selectors.repeat_candidate_get(office=info.context.tenant, candidate_id=int(id))


class RepeatCheckType(graphene.ObjectType):
    """The stored result of a petition's repeat check."""

    class Meta:
        name = "RepeatCheck"

    state = graphene.Field(
        RepeatCheckStateEnum,
        required=True,
        description="PENDING from registration until the check runs, then DONE or UNAVAILABLE.",
    )
    available = graphene.Boolean(required=True, description="The check has a result (state DONE).")
    unavailable_code = graphene.Field(
        ErrorCodeEnum, description="SEARCH_UNAVAILABLE when not available"
    )
    checked_at = graphene.DateTime(description="When the check ran; null while pending.")
    on_terminated_matter = graphene.Boolean(
        required=True, description="repeats a matter terminated (终结) after re-review"
    )
    candidates = graphene.List(
        graphene.NonNull(RepeatCandidateType),
        required=True,
        description="The earlier petitions found, best first.",
    )


class RepeatPreviewCandidateType(graphene.ObjectType):
    class Meta:
        name = "RepeatPreviewCandidate"
        description = (
            "An earlier petition a draft may repeat; outside this office's visibility only "
            "office, date, reference, status and score."
        )

    reference = graphene.String(required=True, description="its reference number")
    office = graphene.Field(OfficeType, required=True, description="the office that holds it")
    registered_at = graphene.DateTime(required=True, description="when it was registered")
    status = graphene.Field(PetitionStatusEnum, required=True, description="where it stands")
    score = graphene.Float(
        required=True, description="the probability (0 to 1) of the same matter or person"
    )
    reasons = graphene.List(
        graphene.NonNull(RepeatReasonEnum),
        required=True,
        description="why it matched; empty when this office may not see the candidate",
    )
    on_terminated_matter = graphene.Boolean(
        required=True, description="it is on a matter terminated (终结) after re-review"
    )
    visible = graphene.Boolean(required=True, description="may this office see its details?")
    explanation = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description=(
            "the evidence in words an officer reads, as on RepeatCandidate; empty when this "
            "office may not see the candidate"
        ),
    )

    @staticmethod
    def resolve_office(view, info):
        return office_by_code(info, view.office_code)

    @staticmethod
    def resolve_reasons(view, info):
        return view.reasons if view.visible else []

    @staticmethod
    def resolve_explanation(view, info):
        # Its words name the person and the facts of its content: outside visibility, nothing.
        return view.explanation if view.visible else []

    @staticmethod
    def resolve_registered_at(view, info):
        # From the registry row, or as Elasticsearch stored it when there is no row (yet).
        at = view.registered_at
        return parse_datetime(at) if isinstance(at, str) else at


class RepeatPreviewType(graphene.ObjectType):
    class Meta:
        name = "RepeatPreview"
        description = "The repeat check of a draft before it is registered (nothing is stored)."

    available = graphene.Boolean(
        required=True, description="false when search was unavailable: register, check later"
    )
    unavailable_code = graphene.Field(
        ErrorCodeEnum, description="SEARCH_UNAVAILABLE when not available"
    )
    on_terminated_matter = graphene.Boolean(
        required=True,
        description="the same person raises a matter terminated (终结) after re-review again",
    )
    candidates = graphene.List(
        graphene.NonNull(RepeatPreviewCandidateType),
        required=True,
        description="earlier petitions it may repeat, best first",
    )

    @staticmethod
    def resolve_unavailable_code(result, info):
        return result.unavailable_reason or None


class CollectiveMemberType(graphene.ObjectType):
    """One petition of a collective group (no content, no personal data)."""

    class Meta:
        name = "CollectiveMember"

    petition_id = graphene.ID(
        required=True,
        description="The petition (a Petition ID here, else a CrossOfficePetition ID).",
    )
    office = graphene.Field(OfficeType, required=True, description="The office that holds it.")
    reference = graphene.String(required=True, description="Its office's reference number.")
    registered_at = graphene.DateTime(required=True, description="When it was registered.")
    can_open = graphene.Boolean(
        required=True,
        description=(
            "May this office open it (crossOfficePetition with petitionId)? Decided now by the "
            "visibility rules."
        ),
    )

    @staticmethod
    def resolve_petition_id(member, info):
        return petition_copy_id(member["office_code"], member["petition_id"])

    @staticmethod
    def resolve_can_open(member, info):
        return loaders(info).can_open.load(member["petition_id"])

    @staticmethod
    def resolve_office(member, info):
        return office_by_code(info, member["office_code"])

    @staticmethod
    def resolve_registered_at(member, info):
        return parse_datetime(member["registered_at"])


class CollectiveAlertType(graphene.ObjectType):
    """集体访预警: several people about the same place or body within the office's window."""

    class Meta:
        name = "CollectiveAlert"
        interfaces = (OfficeNode,)
        possible_types = (CollectiveAlert,)

    group_key = graphene.String(
        required=True, description="A stable key of the group across refreshes."
    )
    role = graphene.Field(
        CollectiveAlertRoleEnum, required=True, description="Why this office sees it."
    )
    state = graphene.Field(CollectiveAlertStateEnum, required=True, description="Where it stands.")
    people_count = graphene.Int(required=True, description="Distinct people in the group.")
    petition_count = graphene.Int(required=True, description="Petitions in the group.")
    offices = graphene.List(
        graphene.NonNull(OfficeType),
        required=True,
        description="The offices where the petitions were registered.",
    )
    category = graphene.Field(CategoryType, description="What the group is about, or null.")
    place = graphene.String(required=True, description="The place the group is about.")
    accused_body = graphene.String(
        required=True, description="The body the group is about (may be empty)."
    )
    first_registered_at = graphene.DateTime(
        required=True, description="The group's first petition."
    )
    last_registered_at = graphene.DateTime(
        required=True, description="The group's latest petition."
    )
    members = graphene.List(
        graphene.NonNull(CollectiveMemberType), required=True, description="The group's petitions."
    )
    refreshed_at = graphene.DateTime(
        required=True, description="When the group was last recomputed (every 10 minutes)."
    )
    closed_at = graphene.DateTime(description="When it ended (closed, resolved, merged), or null.")
    merged_into_group_key = graphene.String(
        description="The group key of the alert it was merged into (state MERGED), or null."
    )

    @staticmethod
    def resolve_group_key(alert: CollectiveAlert, info):
        return alert.group_id

    @staticmethod
    def resolve_state(alert: CollectiveAlert, info):
        return CollectiveAlert.State(alert.state).value

    @staticmethod
    def resolve_role(alert: CollectiveAlert, info):
        return CollectiveAlert.Role(alert.role).value

    @staticmethod
    def resolve_offices(alert: CollectiveAlert, info):
        return [office_by_code(info, code) for code in alert.office_codes]

    @staticmethod
    def resolve_category(alert: CollectiveAlert, info):
        return category_of(alert.category) if alert.category else None

    @staticmethod
    def resolve_merged_into_group_key(alert: CollectiveAlert, info):
        return alert.merged_into or None

    @classmethod
    def get_node(cls, info, id):
        current_officer(info, *READERS)
        return selectors.collective_alert_get(int(id)) if str(id).isdigit() else None


CollectiveAlertConnection = connection(
    CollectiveAlertType, description="A page of collective alerts, latest activity first."
)


class CollectiveAlertFilterInput(graphene.InputObjectType):
    """Narrows the collective alerts; every given condition must hold."""

    states = graphene.List(
        graphene.NonNull(CollectiveAlertStateEnum), description="Only alerts in these states."
    )
    active_from = graphene.DateTime(description="Only alerts with a petition at or after this.")
    active_to = graphene.DateTime(description="Only alerts with a petition at or before this.")
    office_codes = graphene.List(
        graphene.NonNull(graphene.String),
        description="Only alerts with a petition at one of these offices (division codes).",
    )


def _alert_filters(data, state=None) -> selectors.AlertFilters:
    data = data or {}
    return selectors.AlertFilters(
        state=enum_value(state),
        states=tuple(enum_values(data.get("states") or [])),
        active_from=data.get("active_from"),
        active_to=data.get("active_to"),
        office_codes=tuple(data.get("office_codes") or ()),
    )


def _petition_uuid(global_id: str):
    return decode_uuid(global_id, expected="Petition", field="petitionId")


def _check_view(info, petition_uuid: str):
    view = selectors.repeat_check_view(office=info.context.tenant, petition_id=petition_uuid)
    if view is None:
        return None
    return RepeatCheckType(**view.as_dict())


class Query(graphene.ObjectType):
    # Nullable top-level fields: an error (e.g. SEARCH_UNAVAILABLE) nulls only this field.
    search_petitions = graphene.Field(
        SearchHitConnection,
        description="Full-text search over the petitions this office may see.",
        **connection_arguments(
            text=graphene.String(
                description="Words to find (each word separately), or a reference."
            ),
            filter=SearchFilterInput(description="Only the petitions that match."),
        ),
    )
    repeat_check = graphene.Field(
        RepeatCheckType,
        petition_id=graphene.ID(required=True, description="The ID of this office's petition."),
        description="The stored repeat check of a petition of this office (null: never run)",
    )
    repeat_preview = graphene.Field(
        RepeatPreviewType,
        required=True,
        description="登记: the repeat check of a petition as typed, before saving it",
        petitioners=graphene.List(
            graphene.NonNull(PetitionerInputType),
            required=True,
            description="the petitioners typed so far (their ID and phone numbers match people)",
        ),
        content=graphene.String(required=True, description="反映内容 as typed"),
        place=graphene.String(description="问题发生地 as typed"),
        place_code=graphene.String(description="its division code"),
        accused_body=graphene.String(description="被反映对象 as typed"),
        category=graphene.String(description="the category code chosen"),
    )
    collective_alerts = connection_field(
        CollectiveAlertConnection,
        "Collective alerts this office sees (involved, or above those involved).",
        state=CollectiveAlertStateEnum(description="Only alerts in this state."),
        filter=CollectiveAlertFilterInput(description="Only the alerts that match."),
    )

    @staticmethod
    def resolve_search_petitions(root, info, text=None, filter=None, **page):
        current_officer(info, *READERS)
        offset, size = offset_window("search", **page)
        result = selectors.search_petitions(
            office=info.context.tenant,
            text=text or "",
            filters=_search_filters(filter),
            offset=offset,
            size=size,
        )
        return offset_page(
            "search", result.hits, offset=offset, total=result.total, extra=result.facets
        )

    @staticmethod
    def resolve_repeat_check(root, info, petition_id):
        current_officer(info, *READERS)
        return _check_view(info, _petition_uuid(petition_id))

    @staticmethod
    def resolve_repeat_preview(root, info, petitioners, content, **draft):
        current_officer(info, Role.REGISTRAR, Role.LEADER)
        return preview_repeats(
            Draft(
                content=content,
                place=draft.get("place") or "",
                place_code=draft.get("place_code") or "",
                accused_body=draft.get("accused_body") or "",
                category=draft.get("category") or "",
                id_numbers=tuple(p.get("id_number") or "" for p in petitioners),
                phones=tuple(p.get("phone") or "" for p in petitioners),
            )
        )

    @staticmethod
    def resolve_collective_alerts(root, info, state=None, filter=None, **page):
        current_officer(info, *READERS)
        alerts = selectors.collective_alerts(_alert_filters(filter, state))
        return keyset_page(alerts, key=("-last_registered_at", "-id"), **page)


class CheckRepeats(graphene.Mutation):
    """Run the repeat check of a petition now; says `available: false` when search is down."""

    class Meta:
        name = "CheckRepeatsPayload"

    class Arguments:
        petition_id = graphene.ID(required=True, description="The ID of this office's petition.")

    check = graphene.Field(RepeatCheckType, required=True, description="The check as stored now.")

    @staticmethod
    def mutate(root, info, petition_id):
        officer = current_officer(info)
        petition_uuid = _petition_uuid(petition_id)
        services.repeat_check_run(petition_id=petition_uuid, officer=officer)
        return CheckRepeats(check=_check_view(info, petition_uuid))


def _decide(service):
    class Arguments:
        candidate_id = graphene.ID(required=True, description="The repeat candidate's global ID.")

    def mutate(root, info, candidate_id):
        officer = current_officer(info)
        pk = decode_int(
            candidate_id,
            expected="RepeatCandidate",
            field="candidateId",
            missing="no such repeat candidate",
        )
        candidate = service(candidate_id=pk, officer=officer)
        return {"candidate": selectors.candidate_view(info.context.tenant, candidate)}

    return Arguments, mutate


class ConfirmRepeatCandidate(graphene.Mutation):
    """确认重复: the petition repeats the candidate's matter (counted as repeat in metrics)."""

    class Meta:
        name = "ConfirmRepeatCandidatePayload"

    Arguments, mutate = _decide(services.repeat_candidate_confirm)
    candidate = graphene.Field(
        RepeatCandidateType, required=True, description="The decided candidate."
    )


class DismissRepeatCandidate(graphene.Mutation):
    """排除: not the same matter."""

    class Meta:
        name = "DismissRepeatCandidatePayload"

    Arguments, mutate = _decide(services.repeat_candidate_dismiss)
    candidate = graphene.Field(
        RepeatCandidateType, required=True, description="The decided candidate."
    )


class AcknowledgeCollectiveAlert(graphene.Mutation):
    """An officer acknowledges a collective alert."""

    class Meta:
        name = "AcknowledgeCollectiveAlertPayload"

    class Arguments:
        alert_id = graphene.ID(required=True, description="The alert's global ID.")

    alert = graphene.Field(
        CollectiveAlertType, required=True, description="The acknowledged alert."
    )

    @staticmethod
    def mutate(root, info, alert_id):
        officer = current_officer(info)
        pk = decode_int(
            alert_id, expected="CollectiveAlert", field="alertId", missing="no such alert"
        )
        alert = services.collective_alert_acknowledge(alert_id=pk, officer=officer)
        return AcknowledgeCollectiveAlert(alert=alert)


class ResolveCollectiveAlert(graphene.Mutation):
    """已化解: an officer ends a collective action's alert, at every office that sees it."""

    class Meta:
        name = "ResolveCollectiveAlertPayload"

    class Arguments:
        alert_id = graphene.ID(required=True, description="The alert's global ID.")

    alert = graphene.Field(CollectiveAlertType, required=True, description="The resolved alert.")

    @staticmethod
    def mutate(root, info, alert_id):
        officer = current_officer(info)
        pk = decode_int(
            alert_id, expected="CollectiveAlert", field="alertId", missing="no such alert"
        )
        return ResolveCollectiveAlert(
            alert=services.collective_alert_resolve(alert_id=pk, officer=officer)
        )


class Mutation(graphene.ObjectType):
    check_repeats = CheckRepeats.Field(required=True)
    confirm_repeat_candidate = ConfirmRepeatCandidate.Field(required=True)
    dismiss_repeat_candidate = DismissRepeatCandidate.Field(required=True)
    acknowledge_collective_alert = AcknowledgeCollectiveAlert.Field(required=True)
    resolve_collective_alert = ResolveCollectiveAlert.Field(required=True)
