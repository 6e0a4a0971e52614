"""进度查询 on the public site: renders what the progress lookup returns, codes only by POST."""

import pytest

from tests import factories
from tests.publicsite.conftest import field_error, value_of
from xinfang.platform.cases import services

pytestmark = pytest.mark.django_db


def test_the_page_shows_status_steps_and_documents(client_for, in_office, xihu_staff):
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
        petition = registration.petition
        services.petition_route(petition=petition, officer=xihu_staff["registrar"], note="内部")
        services.petition_accept(petition=petition, officer=xihu_staff["leader"])
    response = client_for("xihu").post(
        "/public/progress",
        {"reference": petition.reference, "query_code": registration.query_code.lower()},
    )
    page = response.content.decode()
    assert (response.status_code == 200 and response["Cache-Control"].startswith("no-store")) or (
        "no-store" in response["Cache-Control"]
    )
    assert "已受理" in page and "受理告知书" in page and "登记" in page
    assert "内部" not in page and "张三" not in page


def test_a_wrong_code_is_told_at_the_code_and_keeps_the_reference(
    client_for, in_office, xihu_staff
):
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    response = client_for("xihu").post(
        "/public/progress", {"reference": petition.reference, "query_code": "WRONGCODE234"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "编号或查询码不正确" in field_error(page, "id_query_code")
    assert value_of(page, "id_reference") == petition.reference
    assert "WRONGCODE234" in value_of(page, "id_query_code")


def test_empty_fields_are_told_next_to_them(client_for):
    page = client_for("xihu").post("/public/progress", {}).content.decode()
    assert field_error(page, "id_reference") == "请填写信访事项编号"
    assert field_error(page, "id_query_code") == "请填写查询码"


def test_the_lookup_form_never_sends_the_code_in_a_url(client_for):
    page = client_for("xihu").get("/public/progress").content.decode()
    assert '<form method="post"' in page
    assert client_for("xihu").put("/public/progress").status_code == 405
