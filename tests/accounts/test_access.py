"""Officers and access: session login with CSRF for browsers; hashed, scoped, revocable API tokens
for integrations."""

import pytest

from tests import factories
from tests.support.graphql import error_code, gql
from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import ApiToken
from xinfang.platform.errors import PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db

REGISTER = """
mutation {
  registerPetition(channel: PHONE, category: "01.04", place: "西湖区", content: "噪音扰民",
                   petitioners: [{name: "热线来电人", phone: "13500000000"}]) {
    petition { reference }
  }
}
"""
ME = "{ me { username roles } }"


@pytest.fixture
def xihu_admin(in_office):
    with in_office("xihu"):
        return factories.officer(roles=("admin",))


def _issue(in_office, admin, roles=("registrar", "leader"), scopes=("registrar",)):
    with in_office("xihu"):
        hotline = factories.officer(roles=roles)
        return services.api_token_create(
            by=admin, officer=hotline, name="12345 热线", scopes=scopes
        )


def _bearer(client_for, raw, **kwargs):
    return client_for("xihu", HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs)


def test_a_token_is_stored_only_as_a_hash_and_shown_once(in_office, xihu_admin):
    issued = _issue(in_office, xihu_admin)
    with in_office("xihu"):
        stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.raw.startswith("xft_") and issued.raw not in str(stored.__dict__)
    assert stored.token_hash == services.hash_token(issued.raw)


def test_an_integration_registers_with_a_bearer_token_without_csrf(
    in_office, xihu_admin, client_for
):
    issued = _issue(in_office, xihu_admin)
    client = _bearer(client_for, issued.raw, enforce_csrf_checks=True)
    body = gql(client, REGISTER)
    assert body["data"]["registerPetition"]["petition"]["reference"].startswith("330106-")
    with in_office("xihu"):
        assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_a_token_can_use_only_its_scopes(in_office, xihu_admin, client_for):
    """The officer is a registrar and a leader; the token carries only the registrar role."""
    narrow = _issue(in_office, xihu_admin, roles=("registrar", "leader"), scopes=("registrar",))
    client = _bearer(client_for, narrow.raw)
    assert "errors" not in gql(client, REGISTER)
    query = '{ officeMetrics(start: "2026-01-01", end: "2026-01-31") { total { received } } }'
    assert error_code(gql(client, query)) == "PERMISSION_DENIED"


def test_an_admins_token_acts_with_exactly_its_scopes(in_office, xihu_admin, client_for):
    issued = _issue(in_office, xihu_admin, roles=("admin",), scopes=("registrar",))
    client = _bearer(client_for, issued.raw)
    assert "errors" not in gql(client, REGISTER)
    assert error_code(gql(client, "mutation { createOfficer(username: \"x\", password: "
                          "\"long-enough-1\", roles: [HANDLER]) { officer { id } } }")) == (
        "PERMISSION_DENIED"
    )  # fmt: skip


def test_a_token_cannot_carry_roles_its_officer_lacks(in_office, xihu_admin):
    with pytest.raises(ValidationError) as error:
        _issue(in_office, xihu_admin, roles=("registrar",), scopes=("leader",))
    assert error.value.code == "INVALID_SCOPE"


def test_only_admins_issue_tokens(in_office):
    with in_office("xihu"):
        registrar = factories.officer(roles=("registrar",))
        with pytest.raises(PermissionDenied):
            services.api_token_create(by=registrar, officer=registrar, name="x",
                                      scopes=["registrar"])  # fmt: skip


def test_a_revoked_token_is_refused_at_once(in_office, xihu_admin, client_for):
    issued = _issue(in_office, xihu_admin)
    client = _bearer(client_for, issued.raw)
    assert gql(client, ME)["data"]["me"]["username"]
    with in_office("xihu"):
        services.api_token_revoke(by=xihu_admin, token_id=issued.token.pk)
    response = client.post("/graphql/", {"query": ME}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


def test_a_token_of_one_office_is_refused_by_another(in_office, xihu_admin, client_for):
    issued = _issue(in_office, xihu_admin)
    response = client_for("yuhang", HTTP_AUTHORIZATION=f"Bearer {issued.raw}").post(
        "/graphql/", {"query": ME}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_session_needs_the_csrf_token_and_logout_ends_it(in_office, client_for):
    """Logging in needs no token (no session cookie yet: nothing to forge, and a cross-site page
    cannot send JSON without a CORS preflight); once the session cookie is there, every request
    must carry the CSRF token."""
    with in_office("xihu"):
        factories.officer(username="web-officer", roles=("registrar",), password="s3cret-pass-1")
    login = 'mutation { login(username: "web-officer", password: "s3cret-pass-1") { officer { username } } }'  # noqa: E501
    browser = client_for("xihu", enforce_csrf_checks=True)
    form = browser.post("/graphql/", {"query": login})  # a form post could come from any site
    assert form.status_code == 403
    body = browser.post("/graphql/", {"query": login}, content_type="application/json").json()
    assert body["data"]["login"]["officer"]["username"] == "web-officer"
    refused = browser.post("/graphql/", {"query": ME}, content_type="application/json")
    assert refused.status_code == 403  # a session cookie and no CSRF token
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    token = browser.cookies["csrftoken"].value  # login rotates the CSRF token
    assert gql_csrf(browser, ME, token)["data"]["me"]["username"] == "web-officer"
    gql_csrf(browser, "mutation { logout { ok } }", token)
    assert gql_csrf(browser, ME, browser.cookies["csrftoken"].value)["data"]["me"] is None


def gql_csrf(client, query, token):
    response = client.post(
        "/graphql/", {"query": query}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_wrong_password_gets_a_stable_code(client_for, in_office):
    with in_office("xihu"):
        factories.officer(username="someone", password="right-password-1")
    body = gql(client_for("xihu"), 'mutation { login(username: "someone", password: "nope") '
               "{ officer { username } } }")  # fmt: skip
    assert error_code(body) == "INVALID_CREDENTIALS"


def test_admins_create_officers_and_tokens_through_graphql(officer_client, in_office):
    admin, _ = officer_client("xihu", "admin")
    create_officer = (
        'mutation { createOfficer(username: "hotline", password: "hotline-pass-1", '
        "roles: [REGISTRAR]) { officer { id roles } } }"
    )
    created = gql(admin, create_officer)
    officer_id = created["data"]["createOfficer"]["officer"]["id"]
    create_token = (
        'mutation($id: ID!) { createApiToken(officerId: $id, name: "12345", '
        "scopes: [REGISTRAR]) { token apiToken { id prefix scopes } } }"
    )
    issued = gql(admin, create_token, id=officer_id)
    payload = issued["data"]["createApiToken"]
    assert payload["token"].startswith(payload["apiToken"]["prefix"])
    assert payload["apiToken"]["scopes"] == ["REGISTRAR"]
    registrar, _ = officer_client("xihu", "registrar")
    assert error_code(gql(registrar, create_token, id=officer_id)) == "PERMISSION_DENIED"


def test_an_api_token_opens_the_api_only_never_the_admin(in_office, client_for):
    with in_office("xihu"):
        admin = factories.officer(roles=("admin",))
        admin.is_staff = True  # may use the admin with a session
        admin.save(update_fields=["is_staff"])
        issued = services.api_token_create(by=admin, officer=admin, name="脚本", scopes=("admin",))
    client = _bearer(client_for, issued.raw)
    assert gql(client, ME)["data"]["me"]["username"] == admin.username
    for page in ("/admin/", "/admin/cases/petition/", "/admin/accounts/officer/"):
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], page
