"""Each office answers at its own host name; an unknown host gets a clear 404."""

import pytest
from django.test import Client

from tests.support.graphql import gql
from tests.support.queries import assert_queries
from xinfang.platform.accounts.models import Officer

pytestmark = pytest.mark.django_db

CURRENT_OFFICE = """
{ currentOffice { code name level host parentChain { code level } children { code } } }
"""


def test_current_office_shows_the_office_of_the_host_with_its_parent_chain(client_for):
    data = gql(client_for("xihu"), CURRENT_OFFICE)["data"]["currentOffice"]
    assert data["code"] == "330106"
    assert data["level"] == "COUNTY"
    assert data["host"] == "xihu.localhost"
    assert [p["code"] for p in data["parentChain"]] == ["330100", "330000"]
    assert data["children"] == []


def test_a_city_lists_its_counties_as_children(client_for):
    data = gql(client_for("hangzhou"), CURRENT_OFFICE)["data"]["currentOffice"]
    assert [c["code"] for c in data["children"]] == ["330106", "330110"]
    assert [p["code"] for p in data["parentChain"]] == ["330000"]


def test_an_unknown_host_gets_a_clear_404_not_another_offices_data(offices):
    response = Client(HTTP_HOST="nowhere.localhost").post(
        "/graphql/", {"query": CURRENT_OFFICE}, content_type="application/json"
    )
    assert response.status_code == 404
    assert "No petition office answers at host 'nowhere.localhost'" in response.content.decode()


def test_graphiql_is_served_to_browsers(client_for):
    response = client_for("xihu").get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_an_officer_of_one_office_cannot_log_into_another_offices_admin(in_office, client_for):
    with in_office("xihu"):
        Officer.objects.create_superuser("xihu-admin", password="correct horse battery")
    xihu, yuhang = client_for("xihu"), client_for("yuhang")
    response = xihu.post(
        "/admin/login/?next=/admin/",
        {"username": "xihu-admin", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    page = xihu.get("/admin/")
    assert page.status_code == 200
    assert "xihu-admin" in page.content.decode()

    response = yuhang.post(
        "/admin/login/?next=/admin/",
        {"username": "xihu-admin", "password": "correct horse battery"},
    )
    assert response.status_code == 200  # the login form again, with an error
    assert yuhang.get("/admin/").status_code == 302  # still asked to log in


def test_a_session_cookie_from_one_office_is_worthless_at_another(in_office, client_for):
    with in_office("xihu"):
        Officer.objects.create_superuser("xihu-admin", password="correct horse battery")
    xihu = client_for("xihu")
    xihu.post("/admin/login/", {"username": "xihu-admin", "password": "correct horse battery"})
    yuhang = client_for("yuhang")
    yuhang.cookies = xihu.cookies
    assert xihu.get("/admin/").status_code == 200
    assert yuhang.get("/admin/").status_code == 302


def test_the_public_office_list_takes_the_same_queries_however_many_offices(offices):
    from xinfang.tenants.provisioning import OfficeSpec, provision_office

    def list_offices_in_three_queries():  # the host's domain, the offices, their domains
        with assert_queries(3):
            body = gql(
                Client(HTTP_HOST="localhost"),
                "{ offices(first: 100) { edges { node { code host } } } }",
            )
        assert all(e["node"]["host"] for e in body["data"]["offices"]["edges"])
        return len(body["data"]["offices"]["edges"])

    before = list_offices_in_three_queries()
    provision_office(OfficeSpec("330108", "滨江区信访局", "county", "330100", "binjiang.localhost"))
    provision_office(OfficeSpec("330109", "萧山区信访局", "county", "330100", "xiaoshan.localhost"))
    assert list_offices_in_three_queries() == before + 2
