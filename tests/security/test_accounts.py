"""Accounts an office can run: throttled logins (GraphQL and the admin), password rules, changing,
resetting and disabling, all audited; the first admin of a new office without a Django shell."""

import csv

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from tests import factories
from tests.support.graphql import error_code, gid, gql
from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import AccountEvent, AccountEventKind, Officer

pytestmark = pytest.mark.django_db

LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { officer { username } } }"  # noqa: E501
ME = "{ me { username } }"
PASSWORD = "officer-pass-123"


def _login(client, username, password):
    response = client.post(
        "/graphql/", {"query": LOGIN, "variables": {"u": username, "p": password}},
        content_type="application/json",
    )  # fmt: skip
    return response.status_code, response.json()


def test_twenty_five_wrong_passwords_and_then_the_right_one_is_still_refused(
    in_office, client_for, settings
):
    with in_office("xihu"):
        factories.officer(username="target")
    client = client_for("xihu")
    statuses = [_login(client, "target", f"guess-{i}")[0] for i in range(25)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    status, body = _login(client, "target", PASSWORD)
    assert status == 429 and error_code(body) == "THROTTLED"


def test_one_client_guessing_many_usernames_is_throttled(in_office, client_for, settings):
    with in_office("xihu"):
        factories.officer(username="someone-real")
    client = client_for("xihu", REMOTE_ADDR="203.0.113.9")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"nobody-{i}", "x")
    assert _login(client, "someone-real", PASSWORD)[0] == 429
    other_client = client_for("xihu", REMOTE_ADDR="203.0.113.10")
    assert _login(other_client, "someone-real", PASSWORD)[0] == 200


def test_a_lockout_in_one_office_leaves_the_same_username_elsewhere_alone(
    in_office, client_for, settings
):
    for office in ("xihu", "yuhang"):
        with in_office(office):
            factories.officer(username="zhang")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client_for("xihu", REMOTE_ADDR=f"198.51.100.{i}"), "zhang", "wrong")
    assert _login(client_for("xihu", REMOTE_ADDR="198.51.100.200"), "zhang", PASSWORD)[0] == 429
    assert _login(client_for("yuhang", REMOTE_ADDR="198.51.100.200"), "zhang", PASSWORD)[0] == 200


def test_the_admin_login_is_throttled_too(in_office, client_for, settings):
    with in_office("xihu"):
        factories.officer(username="clerk")
    client = client_for("xihu")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "clerk", "password": f"no-{i}"})
    response = client.post("/admin/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize("password", ["1", "12345678901", "password123", "short"])
def test_weak_passwords_are_refused_with_the_field(officer_client, password):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, 'mutation($p: String!) { createOfficer(username: "newbie", password: $p, '
               "roles: [REGISTRAR]) { officer { username } } }", p=password)  # fmt: skip
    assert error_code(body) == "WEAK_PASSWORD"
    assert body["errors"][0]["extensions"]["field"] == "password"


CHANGE = """mutation($c: String!, $n: String!) {
  changePassword(currentPassword: $c, newPassword: $n) { officer { username } }
}"""


def test_changing_ones_password_keeps_this_session_ends_the_others_and_is_audited(
    in_office, client_for
):
    with in_office("xihu"):
        officer = factories.officer(username="changer")
    here, elsewhere = client_for("xihu"), client_for("xihu")
    for client in (here, elsewhere):
        assert _login(client, "changer", PASSWORD)[0] == 200
    assert error_code(gql(here, CHANGE, c="wrong", n="new-secret-phrase-9")) == (
        "INVALID_CREDENTIALS"
    )
    assert "errors" not in gql(here, CHANGE, c=PASSWORD, n="new-secret-phrase-9")
    assert gql(here, ME)["data"]["me"]["username"] == "changer"
    assert gql(elsewhere, ME)["data"]["me"] is None
    with in_office("xihu"):
        event = AccountEvent.objects.get(officer=officer)
    assert event.kind == AccountEventKind.PASSWORD_CHANGED and event.by_id == officer.pk


def _bearer(client_for, in_office, officer, admin):
    with in_office("xihu"):
        issued = services.api_token_create(
            by=admin, officer=officer, name="热线", scopes=["registrar"]
        )
    return client_for("xihu", HTTP_AUTHORIZATION=f"Bearer {issued.raw}")


@pytest.mark.parametrize(
    ("mutation", "kind"),
    [
        ('resetOfficerPassword(id: $id, newPassword: "reset-by-admin-77")', "password_reset"),
        ("setOfficerActive(id: $id, active: false)", "disabled"),
    ],
)
def test_an_admin_reset_or_disable_ends_sessions_and_tokens_at_once(
    officer_client, in_office, client_for, mutation, kind
):
    admin_client, admin = officer_client("xihu", "admin")
    with in_office("xihu"):
        officer = factories.officer(username=f"subject-{kind}")
    browser = client_for("xihu")
    _login(browser, officer.username, PASSWORD)
    integration = _bearer(client_for, in_office, officer, admin)
    assert gql(integration, ME)["data"]["me"]["username"] == officer.username
    body = gql(admin_client, f"mutation($id: ID!) {{ {mutation} {{ officer {{ username }} }} }}",
               id=gid("Officer", "330106", officer.pk))  # fmt: skip
    assert "errors" not in body, body
    assert gql(browser, ME)["data"]["me"] is None
    assert (
        integration.post("/graphql/", {"query": ME}, content_type="application/json").status_code
        == 401
    )
    with in_office("xihu"):
        event = AccountEvent.objects.get(officer=officer, kind=kind)
        assert not [s for s in Session.objects.all()
                    if s.get_decoded().get("_auth_user_id") == str(officer.pk)]  # fmt: skip
    assert event.by_id == admin.pk
    assert event.data == {"sessions_ended": 1, "tokens_revoked": 1}
    if kind == "disabled":
        assert _login(client_for("xihu"), officer.username, PASSWORD)[1]["errors"]


def test_only_admins_reset_or_disable_and_nobody_disables_themselves(officer_client, in_office):
    leader_client, _ = officer_client("xihu", "leader")
    admin_client, admin = officer_client("xihu", "admin")
    target = gid("Officer", "330106", admin.pk)
    query = "mutation($id: ID!) { setOfficerActive(id: $id, active: false) { officer { id } } }"
    assert error_code(gql(leader_client, query, id=target)) == "PERMISSION_DENIED"
    assert error_code(gql(admin_client, query, id=target)) == "INVALID_STATE"


def test_create_officer_gives_a_new_office_its_first_admin(
    offices, in_office, client_for, monkeypatch
):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "first-admin-secret-1")
    call_command("create_officer", "330110", "chief", "--roles", "admin",
                 "--password-env", "FIRST_ADMIN_PASSWORD")  # fmt: skip
    with in_office("yuhang"):
        chief = Officer.objects.get(username="chief")
    assert chief.roles == ["admin"] and chief.is_staff
    assert _login(client_for("yuhang"), "chief", "first-admin-secret-1")[0] == 200


def test_create_officer_without_a_terminal_prints_a_generated_password_once(
    offices, in_office, client_for, capsys
):
    call_command("create_officer", "330110", "deputy")
    out = capsys.readouterr().out
    password = out.split("password (shown once): ")[1].strip()
    assert len(password) >= 20
    assert _login(client_for("yuhang"), "deputy", password)[0] == 200
    with pytest.raises(Exception, match="DUPLICATE_USERNAME"):
        call_command("create_officer", "330110", "deputy")


def test_import_offices_gives_every_new_office_an_admin(offices, tmp_path):
    from django_tenants.utils import tenant_context

    from xinfang.tenants.models import Office

    divisions = tmp_path / "offices.csv"
    divisions.write_text("code,name,level,parent,host\n330127,淳安县信访局,,,chunan.localhost\n",
                         encoding="utf-8")  # fmt: skip
    admins = tmp_path / "admins.csv"
    call_command("import_offices", str(divisions), "--admins", str(admins), verbosity=0)
    (row,) = list(csv.reader(admins.open(encoding="utf-8")))
    assert row[:3] == ["330127", "chunan.localhost", "admin"]
    assert oct(admins.stat().st_mode & 0o777) == "0o600"
    with tenant_context(Office.objects.get(code="330127")):
        admin = Officer.objects.get(username="admin")
        assert admin.roles == ["admin"] and admin.check_password(row[3])
