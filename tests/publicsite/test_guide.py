"""信访指南 (Art 18): per office, with defaults from the office record, the office's own time
limits, edited by its admins through GraphQL and the admin."""

import pytest

from tests.support.graphql import error_code, gql
from xinfang.platform.cases.models import OfficeSettings

pytestmark = pytest.mark.django_db

GUIDE = "{ officeGuide { receptionAddress phone email litigation handlingDays updatedAt } }"
UPDATE = """
mutation($address: String, $phone: String, $email: String) {
  updateOfficeGuide(receptionAddress: $address, phone: $phone, email: $email) {
    guide { receptionAddress phone email }
  }
}
"""


def test_a_guide_never_edited_shows_defaults_from_the_office(client_for):
    page = client_for("yuhang").get("/public/").content.decode()
    assert "余杭区信访局信访接待大厅" in page
    assert "诉访分离" in page and "12345" in page
    body = gql(client_for("yuhang"), GUIDE)["data"]["officeGuide"]
    assert body["receptionAddress"] == "杭州市余杭区信访局信访接待大厅"
    assert body["updatedAt"] is None


def test_the_guide_states_the_time_limits_the_office_applies(client_for, in_office):
    with in_office("xihu"):
        OfficeSettings.objects.update_or_create(pk=1, defaults={"handling_days": 45})
    page = client_for("xihu").get("/public/").content.decode()
    assert "自受理之日起45日内办结" in page
    assert gql(client_for("xihu"), GUIDE)["data"]["officeGuide"]["handlingDays"] == 45


def test_an_admin_edits_the_guide_and_each_office_keeps_its_own(officer_client, client_for):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, UPDATE, address="西湖区文三路100号一楼", phone="0571-87654321",
               email="xfj@xihu.example.gov.cn")  # fmt: skip
    assert body["data"]["updateOfficeGuide"]["guide"]["phone"] == "0571-87654321"
    page = client_for("xihu").get("/public/").content.decode()
    assert "西湖区文三路100号一楼" in page and "xfj@xihu.example.gov.cn" in page
    assert "西湖区文三路100号" not in client_for("yuhang").get("/public/").content.decode()
    cleared = gql(client, UPDATE, address="")["data"]["updateOfficeGuide"]["guide"]
    assert cleared["receptionAddress"].endswith("信访接待大厅")  # the default again
    assert cleared["phone"] == "0571-87654321"  # fields not given stay


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [({"phone": "1" * 61}, "TOO_LONG", "phone"), ({"email": "not-mail"}, "INVALID_EMAIL", "email")],
)
def test_bad_guide_input_has_its_code_and_field(officer_client, variables, code, field):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, UPDATE, **variables)
    assert error_code(body) == code
    assert body["errors"][0]["extensions"]["field"] == field


def test_only_admins_edit_the_guide(officer_client, client_for):
    registrar, _ = officer_client("xihu", "registrar", "leader")
    assert error_code(gql(registrar, UPDATE, phone="110")) == "PERMISSION_DENIED"
    assert error_code(gql(client_for("xihu"), UPDATE, phone="110")) == "NOT_AUTHENTICATED"


def test_the_admin_edits_the_guide_through_the_service(admin_site_client, client_for, in_office):
    client = admin_site_client("xihu", "admin")
    response = client.post(
        "/admin/publicsite/officeguide/add/",
        {"reception_address": "西湖区接待中心", "reception_hours": "", "leader_reception": "",
         "phone": "", "postal_address": "", "email": "", "channels": "", "litigation": "",
         "notes": "请携带身份证件"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client_for("xihu").get("/public/").content.decode()
    assert "西湖区接待中心" in page and "请携带身份证件" in page
    from xinfang.platform.publicsite.models import OfficeGuide

    with in_office("xihu"):
        assert OfficeGuide.objects.get().updated_by is not None


def test_the_guide_page_costs_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries
):
    client = client_for("xihu")
    client.get("/public/")
    with django_assert_max_num_queries(6):
        assert client.get("/public/").status_code == 200


def test_the_public_pages_are_not_the_workbench(client_for):
    for path in ("/public/", "/public/file", "/public/progress"):
        response = client_for("xihu").get(path)
        assert response.status_code == 200 and b'<div id="root">' not in response.content
    assert client_for("xihu").get("/public", follow=False).status_code == 301
