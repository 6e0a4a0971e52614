"""What an office admin does to officers from the workbench's 管理 screen: list disabled officers
too, change roles (tokens beyond the new roles end), never lock themselves out."""

import pytest

from tests import factories
from tests.support.graphql import error_code, gid, gql
from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import AccountEvent, AccountEventKind, ApiToken

pytestmark = pytest.mark.django_db

OFFICERS = """query($all: Boolean) {
  officers(includeDisabled: $all, first: 50) { totalCount edges { node { username isActive } } }
}"""
SET_ROLES = """mutation($id: ID!, $roles: [Role!]!) {
  setOfficerRoles(id: $id, roles: $roles) { officer { username roles } }
}"""


def test_an_admin_lists_disabled_officers_too_and_others_only_active_ones(
    officer_client, in_office
):
    admin_client, admin = officer_client("xihu", "admin")
    registrar_client, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        gone = factories.officer(username="retired")
        services.officer_set_active(by=admin, officer=gone, active=False)
    listed = gql(admin_client, OFFICERS, all=True)["data"]["officers"]["edges"]
    assert {"username": "retired", "isActive": False} in [e["node"] for e in listed]
    active = gql(registrar_client, OFFICERS)["data"]["officers"]["edges"]
    assert "retired" not in [e["node"]["username"] for e in active]
    assert error_code(gql(registrar_client, OFFICERS, all=True)) == "PERMISSION_DENIED"


def test_taking_a_role_away_revokes_the_tokens_that_used_it_and_is_audited(
    officer_client, in_office
):
    admin_client, admin = officer_client("xihu", "admin")
    with in_office("xihu"):
        clerk = factories.officer(username="clerk", roles=("registrar", "handler"))
        hotline = services.api_token_create(
            by=admin, officer=clerk, name="热线", scopes=["registrar"]
        ).token
        handling = services.api_token_create(
            by=admin, officer=clerk, name="办理", scopes=["handler"]
        ).token
    body = gql(admin_client, SET_ROLES, id=gid("Officer", "330106", clerk.pk), roles=["REGISTRAR"])
    assert body["data"]["setOfficerRoles"]["officer"]["roles"] == ["REGISTRAR"]
    with in_office("xihu"):
        assert ApiToken.objects.get(pk=hotline.pk).revoked_at is None
        assert ApiToken.objects.get(pk=handling.pk).revoked_at is not None
        event = AccountEvent.objects.get(officer=clerk, kind=AccountEventKind.ROLES_CHANGED)
    assert event.by_id == admin.pk
    assert event.data == {"before": ["handler", "registrar"], "after": ["registrar"],
                          "tokens_revoked": 1}  # fmt: skip


@pytest.mark.parametrize(
    ("who", "roles", "code", "field"),
    [
        ("self", ["LEADER"], "INVALID_STATE", "roles"),
        ("other", [], "REQUIRED", "roles"),
    ],
)
def test_roles_an_admin_cannot_give(officer_client, in_office, who, roles, code, field):
    admin_client, admin = officer_client("xihu", "admin")
    with in_office("xihu"):
        target = admin if who == "self" else factories.officer()
    body = gql(admin_client, SET_ROLES, id=gid("Officer", "330106", target.pk), roles=roles)
    assert error_code(body) == code
    assert body["errors"][0]["extensions"]["field"] == field


def test_only_an_admin_changes_roles(officer_client, in_office):
    leader_client, leader = officer_client("xihu", "leader")
    body = gql(leader_client, SET_ROLES, id=gid("Officer", "330106", leader.pk), roles=["ADMIN"])
    assert error_code(body) == "PERMISSION_DENIED"
