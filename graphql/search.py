"""Search, repeat candidates and collective alerts. Thin: selectors read, services change.

Everything here is scoped by registry/visibility.py through `search.selectors.scoped_search`
and the registry's `viewer_codes`: an office finds only what it may see; repeat candidates outside
its visibility show only office, level, date, reference, status and score.
"""

import graphene

from xinfang.graphql.auth import current_officer
from xinfang.graphql.nodes import decode, decode_int
from xinfang.search import selectors, services
from xinfang.search.models import CollectiveAlert, RepeatCandidate
from xinfang.search.services import READERS


def _global_id(type_name: str, pk) -> str:
    from xinfang.graphql.nodes import OfficeNode

    return OfficeNode.to_global_id(type_name, pk)


class FacetBucketType(graphene.ObjectType):
    class Meta:
        name = "SearchFacetBucket"

    value = graphene.String(required=True)
    count = graphene.Int(required=True)


def _buckets(pairs):
    return [FacetBucketType(value=value, count=count) for value, count in pairs]


class SearchFacetsType(graphene.ObjectType):
    class Meta:
        name = "SearchFacets"

    category = graphene.List(graphene.NonNull(FacetBucketType), required=True)
    channel = graphene.List(graphene.NonNull(FacetBucketType), required=True)
    status = graphene.List(graphene.NonNull(FacetBucketType), required=True)
    office = graphene.List(graphene.NonNull(FacetBucketType), required=True)


class SearchHitType(graphene.ObjectType):
    class Meta:
        name = "SearchHit"

    petition_id = graphene.ID(description="global ID, only for this office's own petitions")
    uuid = graphene.String(required=True)
    reference = graphene.String(required=True)
    office_code = graphene.String(required=True)
    office_level = graphene.String(required=True)
    category = graphene.String(required=True)
    channel = graphene.String(required=True)
    status = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)
    place = graphene.String(required=True)
    accused_body = graphene.String(required=True)
    is_repeat = graphene.Boolean(required=True)
    is_collective = graphene.Boolean(required=True)
    score = graphene.Float(required=True)
    highlights = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="fragments with <em> tags"
    )

    @staticmethod
    def resolve_uuid(hit, info):
        return hit.petition_id

    @staticmethod
    def resolve_petition_id(hit, info):
        if hit.office_code != info.context.tenant.code:
            return None
        return _global_id("Petition", hit.petition_id)


class SearchResultType(graphene.ObjectType):
    class Meta:
        name = "SearchResult"

    total = graphene.Int(required=True)
    hits = graphene.List(graphene.NonNull(SearchHitType), required=True)
    facets = graphene.Field(SearchFacetsType, required=True)

    @staticmethod
    def resolve_facets(result, info):
        return SearchFacetsType(**{k: _buckets(v) for k, v in result.facets.items()})


class SearchFilterInput(graphene.InputObjectType):
    categories = graphene.List(graphene.NonNull(graphene.String))
    channels = graphene.List(graphene.NonNull(graphene.String))
    statuses = graphene.List(graphene.NonNull(graphene.String))
    office_codes = graphene.List(graphene.NonNull(graphene.String))
    registered_from = graphene.DateTime()
    registered_to = graphene.DateTime()
    is_repeat = graphene.Boolean()
    is_collective = graphene.Boolean()


class CandidateDetailsType(graphene.ObjectType):
    class Meta:
        name = "RepeatCandidateDetails"
        description = "What only an office that may see the earlier petition gets"

    category = graphene.String()
    channel = graphene.String()
    place = graphene.String()
    accused_body = graphene.String()
    content = graphene.String()


class RepeatReasonEnum(graphene.Enum):
    class Meta:
        name = "RepeatReason"

    SAME_PERSON = "same_person"
    SIMILAR_CONTENT = "similar_content"


class RepeatDecisionEnum(graphene.Enum):
    class Meta:
        name = "RepeatDecision"

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class RepeatCandidateType(graphene.ObjectType):
    class Meta:
        name = "RepeatCandidate"

    id = graphene.ID(required=True)
    reference = graphene.String(required=True)
    office_code = graphene.String(required=True)
    office_level = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)
    status = graphene.String(required=True)
    score = graphene.Float(required=True)
    reasons = graphene.List(
        graphene.NonNull(RepeatReasonEnum),
        required=True,
        description="why it matched; empty when this office may not see the candidate",
    )
    on_terminated_matter = graphene.Boolean(required=True)
    decision = graphene.Field(RepeatDecisionEnum, required=True)
    visible = graphene.Boolean(required=True, description="may this office see its details?")
    details = graphene.Field(CandidateDetailsType)

    @staticmethod
    def resolve_id(candidate: RepeatCandidate, info):
        return _global_id("RepeatCandidate", candidate.pk)

    @staticmethod
    def resolve_decision(candidate: RepeatCandidate, info):
        return RepeatCandidate.Decision(candidate.decision).value

    @staticmethod
    def resolve_reasons(candidate: RepeatCandidate, info):
        # Outside the office's visibility only office, level, date, reference, status and score.
        if candidate.details is None:
            return []
        return [RepeatCandidate.Reason(r).value for r in candidate.reasons]

    @staticmethod
    def resolve_visible(candidate, info):
        return candidate.details is not None

    @staticmethod
    def resolve_details(candidate, info):
        if candidate.details is None:
            return None
        return CandidateDetailsType(
            **{k: candidate.details.get(k) for k in CandidateDetailsType._meta.fields}
        )


class RepeatCheckType(graphene.ObjectType):
    class Meta:
        name = "RepeatCheck"

    available = graphene.Boolean(
        required=True, description="false when search was unavailable: run the check again later"
    )
    unavailable_code = graphene.String(description="SEARCH_UNAVAILABLE when not available")
    checked_at = graphene.DateTime()
    on_terminated_matter = graphene.Boolean(
        required=True, description="repeats a matter terminated (终结) after re-review"
    )
    candidates = graphene.List(graphene.NonNull(RepeatCandidateType), required=True)


class CollectiveMemberType(graphene.ObjectType):
    class Meta:
        name = "CollectiveMember"

    office_code = graphene.String(required=True)
    reference = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)


class CollectiveAlertType(graphene.ObjectType):
    class Meta:
        name = "CollectiveAlert"

    id = graphene.ID(required=True)
    group_id = graphene.String(required=True)
    role = graphene.String(required=True, description="involved | supervisor")
    state = graphene.String(required=True)
    people_count = graphene.Int(required=True)
    petition_count = graphene.Int(required=True)
    office_codes = graphene.List(graphene.NonNull(graphene.String), required=True)
    category = graphene.String(required=True)
    place = graphene.String(required=True)
    accused_body = graphene.String(required=True)
    first_registered_at = graphene.DateTime(required=True)
    last_registered_at = graphene.DateTime(required=True)
    members = graphene.List(graphene.NonNull(CollectiveMemberType), required=True)
    refreshed_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(alert: CollectiveAlert, info):
        return _global_id("CollectiveAlert", alert.pk)

    @staticmethod
    def resolve_state(alert: CollectiveAlert, info):
        return CollectiveAlert.State(alert.state).value

    @staticmethod
    def resolve_role(alert: CollectiveAlert, info):
        return CollectiveAlert.Role(alert.role).value

    @staticmethod
    def resolve_members(alert: CollectiveAlert, info):
        from django.utils.dateparse import parse_datetime

        return [
            CollectiveMemberType(
                office_code=m["office_code"],
                reference=m["reference"],
                registered_at=parse_datetime(m["registered_at"]),
            )
            for m in alert.members
        ]


def _petition_uuid(global_id: str) -> str:
    return decode(global_id, expected="Petition", field="petitionId")[1]


def _check_view(info, petition_uuid: str):
    view = selectors.repeat_check_view(office=info.context.tenant, petition_id=petition_uuid)
    if view is None:
        return None
    return RepeatCheckType(**view.as_dict())


class Query(graphene.ObjectType):
    # Nullable top-level fields: an error (e.g. SEARCH_UNAVAILABLE) nulls only this field.
    search_petitions = graphene.Field(
        SearchResultType,
        text=graphene.String(),
        filter=SearchFilterInput(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Full-text search over the petitions this office may see",
    )
    repeat_check = graphene.Field(
        RepeatCheckType,
        petition_id=graphene.ID(required=True),
        description="The stored repeat check of a petition of this office (null: never run)",
    )
    collective_alerts = graphene.List(
        graphene.NonNull(CollectiveAlertType),
        state=graphene.String(description="open | acknowledged"),
    )

    @staticmethod
    def resolve_search_petitions(root, info, text=None, filter=None, first=20, offset=0):
        current_officer(info, *READERS)
        filters = selectors.SearchFilters(
            **{k: v for k, v in (filter or {}).items() if v is not None}
        )
        return selectors.search_petitions(
            office=info.context.tenant, text=text or "", filters=filters, offset=offset, size=first
        )

    @staticmethod
    def resolve_repeat_check(root, info, petition_id):
        current_officer(info, *READERS)
        return _check_view(info, _petition_uuid(petition_id))

    @staticmethod
    def resolve_collective_alerts(root, info, state=None):
        current_officer(info, *READERS)
        return selectors.collective_alerts(state=state)


class CheckRepeats(graphene.Mutation):
    """Run the repeat check of a petition now; says `available: false` when search is down."""

    class Arguments:
        petition_id = graphene.ID(required=True)

    check = graphene.Field(RepeatCheckType, required=True)

    @staticmethod
    def mutate(root, info, petition_id):
        officer = current_officer(info)
        petition_uuid = _petition_uuid(petition_id)
        services.repeat_check_run(petition_id=petition_uuid, officer=officer)
        return CheckRepeats(check=_check_view(info, petition_uuid))


def _decide(service):
    class Arguments:
        candidate_id = graphene.ID(required=True)

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

    Arguments, mutate = _decide(services.repeat_candidate_confirm)
    candidate = graphene.Field(RepeatCandidateType, required=True)


class DismissRepeatCandidate(graphene.Mutation):
    """排除: not the same matter."""

    Arguments, mutate = _decide(services.repeat_candidate_dismiss)
    candidate = graphene.Field(RepeatCandidateType, required=True)


class AcknowledgeCollectiveAlert(graphene.Mutation):
    class Arguments:
        alert_id = graphene.ID(required=True)

    alert = graphene.Field(CollectiveAlertType, required=True)

    @staticmethod
    def mutate(root, info, alert_id):
        officer = current_officer(info)
        pk = decode_int(
            alert_id, expected="CollectiveAlert", field="alertId", missing="no such alert"
        )
        alert = services.collective_alert_acknowledge(alert_id=pk, officer=officer)
        return AcknowledgeCollectiveAlert(alert=alert)


class Mutation(graphene.ObjectType):
    check_repeats = CheckRepeats.Field()
    confirm_repeat_candidate = ConfirmRepeatCandidate.Field()
    dismiss_repeat_candidate = DismissRepeatCandidate.Field()
    acknowledge_collective_alert = AcknowledgeCollectiveAlert.Field()
