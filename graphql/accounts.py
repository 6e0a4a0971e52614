"""Officers and access: session login/logout for web clients (CSRF-protected), API tokens for
integrations, the officers of the office. Permission checks are in the services."""

import graphene

from xinfang.graphql.arguments import enum_value, enum_values
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import OfficerType, officer_by_global_id
from xinfang.graphql.enums import RoleEnum
from xinfang.graphql.nodes import OfficeNode, decode_int
from xinfang.graphql.pagination import connection, connection_field, keyset_page
from xinfang.platform.accounts import selectors, services
from xinfang.platform.accounts.models import ApiToken


class ApiTokenType(graphene.ObjectType):
    """An API token for an integration (the secret itself is shown once, at creation)."""

    class Meta:
        name = "ApiToken"
        interfaces = (OfficeNode,)
        possible_types = (ApiToken,)

    name = graphene.String(required=True, description="What the token is for, e.g. 12345 hotline.")
    prefix = graphene.String(required=True, description="the first characters, to recognise it")
    scopes = graphene.List(
        graphene.NonNull(RoleEnum),
        required=True,
        description="The roles the token may use (a subset of its officer's).",
    )
    officer = graphene.Field(
        OfficerType, required=True, description="The officer the token acts as."
    )
    created_at = graphene.DateTime(required=True, description="When it was issued.")
    expires_at = graphene.DateTime(description="When it stops working, or null for never.")
    last_used_at = graphene.DateTime(description="When it was last used, or null.")
    revoked_at = graphene.DateTime(description="When it was revoked, or null.")

    @classmethod
    def get_node(cls, info, id):
        officer = current_officer(info)
        return selectors.api_tokens(officer=officer).filter(pk=id).first() if id.isdigit() else None


OfficerConnection = connection(OfficerType, description="A page of officers, by username.")
ApiTokenConnection = connection(ApiTokenType, description="A page of API tokens, newest first.")


class Query(graphene.ObjectType):
    me = graphene.Field(OfficerType, description="The logged-in officer, or null.")
    officers = connection_field(
        OfficerConnection,
        "The office's active officers, by username (admins: disabled ones too).",
        role=RoleEnum(description="Only officers with this role."),
        include_disabled=graphene.Boolean(description="Disabled officers too (admins only)."),
        search=graphene.String(description="Only those whose username or name contains this."),
    )
    api_tokens = connection_field(
        ApiTokenConnection, "API tokens: all of them for an admin, else the officer's own."
    )

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    @staticmethod
    def resolve_officers(root, info, role=None, include_disabled=False, search=None, **page):
        officers = selectors.officers_for(
            viewer=current_officer(info),
            role=enum_value(role),
            include_disabled=bool(include_disabled),
            search=search or "",
        )
        return keyset_page(officers, key=("username", "id"), **page)

    @staticmethod
    def resolve_api_tokens(root, info, **page):
        tokens = selectors.api_tokens(officer=current_officer(info))
        return keyset_page(tokens, key=("-created_at", "-id"), **page)


class Login(graphene.Mutation):
    """Start a session (web clients; send the CSRF token like any POST)."""

    class Meta:
        name = "LoginPayload"

    class Arguments:
        username = graphene.String(required=True, description="The officer's login name.")
        password = graphene.String(required=True, description="The password.")

    officer = graphene.Field(OfficerType, required=True, description="The logged-in officer.")

    @staticmethod
    def mutate(root, info, username, password):
        officer = services.officer_login(request=info.context, username=username, password=password)
        return Login(officer=officer)


class Logout(graphene.Mutation):
    """End the session."""

    class Meta:
        name = "LogoutPayload"

    ok = graphene.Boolean(required=True, description="Always true: the session is over.")

    @staticmethod
    def mutate(root, info):
        services.officer_logout(request=info.context)
        return Logout(ok=True)


class CreateOfficer(graphene.Mutation):
    """An admin creates an officer of this office."""

    class Meta:
        name = "CreateOfficerPayload"

    class Arguments:
        username = graphene.String(
            required=True, description="A login name not yet taken in this office."
        )
        password = graphene.String(
            required=True, description="The first password (Django's password rules apply)."
        )
        roles = graphene.List(
            graphene.NonNull(RoleEnum), required=True, description="The roles to give."
        )
        full_name = graphene.String(description="The name shown on screens.")

    officer = graphene.Field(OfficerType, required=True, description="The new officer.")

    @staticmethod
    def mutate(root, info, username, password, roles, full_name=""):
        officer = services.officer_create(
            by=current_officer(info), username=username, password=password,
            roles=enum_values(roles), full_name=full_name or "",
        )  # fmt: skip
        return CreateOfficer(officer=officer)


class ChangePassword(graphene.Mutation):
    """The logged-in officer changes their own password; their other sessions end."""

    class Meta:
        name = "ChangePasswordPayload"

    class Arguments:
        current_password = graphene.String(required=True, description="The officer's password now.")
        new_password = graphene.String(
            required=True, description="The new password (Django's password rules apply)."
        )

    officer = graphene.Field(
        OfficerType, required=True, description="The officer, with the new password."
    )

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

    class Meta:
        name = "ResetOfficerPasswordPayload"

    class Arguments:
        id = graphene.ID(required=True, description="The Officer ID.")
        new_password = graphene.String(
            required=True, description="The new password (Django's password rules apply)."
        )

    officer = graphene.Field(
        OfficerType, required=True, description="The officer, with the new password."
    )

    @staticmethod
    def mutate(root, info, id, new_password):
        by = current_officer(info)
        officer = services.officer_reset_password(
            by=by, officer=officer_by_global_id(id, field="id"), new_password=new_password
        )
        return ResetOfficerPassword(officer=officer)


class SetOfficerActive(graphene.Mutation):
    """An admin disables an officer (sessions and tokens end at once) or enables them again."""

    class Meta:
        name = "SetOfficerActivePayload"

    class Arguments:
        id = graphene.ID(required=True, description="The Officer ID.")
        active = graphene.Boolean(
            required=True,
            description="false: disable (sessions and tokens end at once); true: enable again.",
        )

    officer = graphene.Field(
        OfficerType, required=True, description="The officer, enabled or disabled."
    )

    @staticmethod
    def mutate(root, info, id, active):
        by = current_officer(info)
        officer = services.officer_set_active(
            by=by, officer=officer_by_global_id(id, field="id"), active=active
        )
        return SetOfficerActive(officer=officer)


class SetOfficerRoles(graphene.Mutation):
    """An admin changes an officer's roles; tokens with scopes no longer held are revoked."""

    class Meta:
        name = "SetOfficerRolesPayload"

    class Arguments:
        id = graphene.ID(required=True, description="The Officer ID.")
        roles = graphene.List(
            graphene.NonNull(RoleEnum), required=True, description="The roles, all of them."
        )

    officer = graphene.Field(OfficerType, required=True, description="The officer, with the roles.")

    @staticmethod
    def mutate(root, info, id, roles):
        officer = services.officer_set_roles(
            by=current_officer(info),
            officer=officer_by_global_id(id, field="id"),
            roles=enum_values(roles),
        )
        return SetOfficerRoles(officer=officer)


class CreateApiToken(graphene.Mutation):
    """An admin issues a token for an officer; `token` is shown once and never again."""

    class Meta:
        name = "CreateApiTokenPayload"

    class Arguments:
        officer_id = graphene.ID(required=True, description="The Officer ID the token acts as.")
        name = graphene.String(required=True, description="What the token is for.")
        scopes = graphene.List(
            graphene.NonNull(RoleEnum),
            required=True,
            description="The roles it may use (the officer must hold them).",
        )
        expires_at = graphene.DateTime(description="When it stops working (default never).")

    api_token = graphene.Field(ApiTokenType, required=True, description="The token's record.")
    token = graphene.String(
        required=True, description="The secret (xft_…): shown only this once, stored hashed."
    )

    @staticmethod
    def mutate(root, info, officer_id, name, scopes, expires_at=None):
        by = current_officer(info)
        officer = officer_by_global_id(officer_id, field="officerId")
        issued = services.api_token_create(
            by=by, officer=officer, name=name, scopes=enum_values(scopes), expires_at=expires_at
        )
        return CreateApiToken(api_token=issued.token, token=issued.raw)


class RevokeApiToken(graphene.Mutation):
    """An admin (or the token's officer) revokes a token at once."""

    class Meta:
        name = "RevokeApiTokenPayload"

    class Arguments:
        id = graphene.ID(required=True, description="The token's global ID.")

    api_token = graphene.Field(ApiTokenType, required=True, description="The revoked token.")

    @staticmethod
    def mutate(root, info, id):
        token_id = decode_int(id, expected="ApiToken", field="id", missing="no such token")
        token = services.api_token_revoke(by=current_officer(info), token_id=token_id)
        return RevokeApiToken(api_token=token)


class Mutation(graphene.ObjectType):
    login = Login.Field(required=True)
    logout = Logout.Field(required=True)
    create_officer = CreateOfficer.Field(required=True)
    change_password = ChangePassword.Field(required=True)
    reset_officer_password = ResetOfficerPassword.Field(required=True)
    set_officer_active = SetOfficerActive.Field(required=True)
    set_officer_roles = SetOfficerRoles.Field(required=True)
    create_api_token = CreateApiToken.Field(required=True)
    revoke_api_token = RevokeApiToken.Field(required=True)
