"""Officers and access: session login/logout for web clients (CSRF-protected), API tokens for
integrations, the officers of the office. Permission checks are in the services."""

import graphene

from xinfang.graphql.arguments import enum_type, enum_value
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import OfficerType, officer_by_global_id
from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import ApiToken, Officer, Role
from xinfang.platform.errors import NotFound

RoleEnum = enum_type("Role", Role, "Officer roles")


def _values(members) -> list[str]:
    return [enum_value(m) for m in members or []]


class ApiTokenType(graphene.ObjectType):
    class Meta:
        name = "ApiToken"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    prefix = graphene.String(required=True, description="the first characters, to recognise it")
    scopes = graphene.List(graphene.NonNull(RoleEnum), required=True)
    officer = graphene.Field(OfficerType, required=True)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime()
    last_used_at = graphene.DateTime()
    revoked_at = graphene.DateTime()


class Query(graphene.ObjectType):
    me = graphene.Field(OfficerType, description="The logged-in officer, or null")
    officers = graphene.List(
        graphene.NonNull(OfficerType), required=True, role=RoleEnum(description="only this role")
    )
    api_tokens = graphene.List(graphene.NonNull(ApiTokenType), required=True)

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    @staticmethod
    def resolve_officers(root, info, role=None):
        current_officer(info)
        officers = Officer.objects.filter(is_active=True).order_by("username")
        return officers.filter(roles__contains=[role.value]) if role else officers

    @staticmethod
    def resolve_api_tokens(root, info):
        officer = current_officer(info)
        tokens = ApiToken.objects.select_related("officer")
        return tokens if officer.has_role(Role.ADMIN) else tokens.filter(officer=officer)


class Login(graphene.Mutation):
    """Start a session (web clients; send the CSRF token like any POST)."""

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)

    officer = graphene.Field(OfficerType, required=True)

    @staticmethod
    def mutate(root, info, username, password):
        officer = services.officer_login(request=info.context, username=username, password=password)
        return Login(officer=officer)


class Logout(graphene.Mutation):
    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info):
        services.officer_logout(request=info.context)
        return Logout(ok=True)


class CreateOfficer(graphene.Mutation):
    """An admin creates an officer of this office."""

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)
        roles = graphene.List(graphene.NonNull(RoleEnum), required=True)
        full_name = graphene.String()

    officer = graphene.Field(OfficerType, required=True)

    @staticmethod
    def mutate(root, info, username, password, roles, full_name=""):
        officer = services.officer_create(
            by=current_officer(info), username=username, password=password,
            roles=_values(roles), full_name=full_name or "",
        )  # fmt: skip
        return CreateOfficer(officer=officer)


class ChangePassword(graphene.Mutation):
    """The logged-in officer changes their own password; their other sessions end."""

    class Arguments:
        current_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    officer = graphene.Field(OfficerType, required=True)

    @staticmethod
    def mutate(root, info, current_password, new_password):
        from django.contrib.auth import update_session_auth_hash

        officer = services.officer_change_password(
            officer=current_officer(info),
            current_password=current_password,
            new_password=new_password,
        )
        if officer.token_scopes is None:  # a browser session: keep this one, end the others
            update_session_auth_hash(info.context, officer)
        return ChangePassword(officer=officer)


class ResetOfficerPassword(graphene.Mutation):
    """An admin sets a new password for an officer: the officer's sessions and tokens end."""

    class Arguments:
        id = graphene.ID(required=True)
        new_password = graphene.String(required=True)

    officer = graphene.Field(OfficerType, required=True)

    @staticmethod
    def mutate(root, info, id, new_password):
        by = current_officer(info)
        officer = services.officer_reset_password(
            by=by, officer=officer_by_global_id(id, field="id"), new_password=new_password
        )
        return ResetOfficerPassword(officer=officer)


class SetOfficerActive(graphene.Mutation):
    """An admin disables an officer (sessions and tokens end at once) or enables them again."""

    class Arguments:
        id = graphene.ID(required=True)
        active = graphene.Boolean(required=True)

    officer = graphene.Field(OfficerType, required=True)

    @staticmethod
    def mutate(root, info, id, active):
        by = current_officer(info)
        officer = services.officer_set_active(
            by=by, officer=officer_by_global_id(id, field="id"), active=active
        )
        return SetOfficerActive(officer=officer)


class CreateApiToken(graphene.Mutation):
    """An admin issues a token for an officer; `token` is shown once and never again."""

    class Arguments:
        officer_id = graphene.ID(required=True)
        name = graphene.String(required=True)
        scopes = graphene.List(graphene.NonNull(RoleEnum), required=True)
        expires_at = graphene.DateTime()

    api_token = graphene.Field(ApiTokenType, required=True)
    token = graphene.String(required=True)

    @staticmethod
    def mutate(root, info, officer_id, name, scopes, expires_at=None):
        by = current_officer(info)
        officer = officer_by_global_id(officer_id, field="officerId")
        issued = services.api_token_create(
            by=by, officer=officer, name=name, scopes=_values(scopes), expires_at=expires_at
        )
        return CreateApiToken(api_token=issued.token, token=issued.raw)


class RevokeApiToken(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)

    api_token = graphene.Field(ApiTokenType, required=True)

    @staticmethod
    def mutate(root, info, id):
        if not str(id).isdigit():
            raise NotFound("no such token", field="id")
        token = services.api_token_revoke(by=current_officer(info), token_id=int(id))
        return RevokeApiToken(api_token=token)


class Mutation(graphene.ObjectType):
    login = Login.Field()
    logout = Logout.Field()
    create_officer = CreateOfficer.Field()
    change_password = ChangePassword.Field()
    reset_officer_password = ResetOfficerPassword.Field()
    set_officer_active = SetOfficerActive.Field()
    create_api_token = CreateApiToken.Field()
    revoke_api_token = RevokeApiToken.Field()
