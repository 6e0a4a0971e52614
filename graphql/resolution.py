"""Closing a matter with its outcome (四到位), by a mediation agreement, and reopening it for
re-handling: the workflow steps that belong to resolving the matter. Thin: the services in
`platform/resolution/services.py` decide (docs/resolution.md)."""

import graphene

from xinfang.graphql.arguments import enum_type, enum_value
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import PetitionType
from xinfang.graphql.nodes import decode
from xinfang.platform.resolution import services
from xinfang.platform.resolution.models import OutcomeKind

OutcomeKindEnum = enum_type(
    "OutcomeKind", OutcomeKind, "四到位 (Art 27), or a mediation agreement (Art 33)."
)


class OutcomeInput(graphene.InputObjectType):
    """四到位: how the matter ended, with the detail its kind needs."""

    kind = OutcomeKindEnum(required=True, description="Solved, explained, assisted or by law.")
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


def _petition_pk(global_id: str) -> str:
    return decode(global_id, expected="Petition")[1]


class ClosePetition(graphene.Mutation):
    """办结: close a replied petition with its outcome (四到位)."""

    class Arguments:
        id = graphene.ID(required=True, description="The petition.")
        version = graphene.Int(required=True, description="The version you loaded.")
        outcome = OutcomeInput(required=True, description="How the matter ended.")
        note = graphene.String(description="An internal note.")

    petition = graphene.Field(PetitionType, required=True)

    @staticmethod
    def mutate(root, info, id, version, outcome, note=None):
        petition = services.petition_close(
            petition=_petition_pk(id), officer=current_officer(info), version=version,
            note=note or "", outcome=services.OutcomeInput(
                kind=enum_value(outcome["kind"]), summary=outcome.get("summary") or "",
                law_cited=outcome.get("law_cited") or "",
                help_given=outcome.get("help_given") or "",
                legal_measure=outcome.get("legal_measure") or "",
            ),
        )  # fmt: skip
        return ClosePetition(petition=petition)


class MediatePetition(graphene.Mutation):
    """调解结案: close by a mediation agreement (Art 33), which the petitioner receives."""

    class Arguments:
        id = graphene.ID(required=True, description="The petition.")
        version = graphene.Int(required=True, description="The version you loaded.")
        agreement = MediationInput(required=True, description="The agreement.")
        note = graphene.String(description="An internal note.")

    petition = graphene.Field(PetitionType, required=True)

    @staticmethod
    def mutate(root, info, id, version, agreement, note=None):
        petition = services.petition_mediate(
            petition=_petition_pk(id), officer=current_officer(info), version=version,
            note=note or "", outcome=services.OutcomeInput(
                kind=OutcomeKind.MEDIATED, summary=agreement["summary"],
                agreement_title=agreement["title"], agreement_text=agreement["text"],
                agreement_parties=agreement["parties"],
            ),
        )  # fmt: skip
        return MediatePetition(petition=petition)


class ReopenPetition(graphene.Mutation):
    """重新办理: a leader sends the matter back for re-handling (counted)."""

    class Arguments:
        id = graphene.ID(required=True, description="The petition.")
        version = graphene.Int(required=True, description="The version you loaded.")
        reason = graphene.String(required=True, description="Why.")

    petition = graphene.Field(PetitionType, required=True)

    @staticmethod
    def mutate(root, info, id, version, reason):
        petition = services.petition_reopen(
            petition=_petition_pk(id),
            officer=current_officer(info),
            version=version,
            reason=reason,
        )
        return ReopenPetition(petition=petition)


class Mutation(graphene.ObjectType):
    close_petition = ClosePetition.Field()
    mediate_petition = MediatePetition.Field()
    reopen_petition = ReopenPetition.Field()
