"""满意度评价 and 复查/复核 online: the petitioner of the matter (proved by the query code) rates
the office that handled it and asks the office above, inside the windows, from the progress
page."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.publicsite.conftest import field_error
from xinfang.platform.cases import services
from xinfang.platform.cases.models import Evaluation, Petition
from xinfang.platform.exchange import services as exchange
from xinfang.platform.exchange.models import Handoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferred_and_replied(xihu_staff, hangzhou_staff, in_office):
    """Filed at 西湖, sent to 杭州, which replied: 西湖's reference, the code, 杭州's copy."""
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
        handoff = exchange.petition_transfer(
            petition_id=registration.petition.pk, officer=xihu_staff["registrar"],
            receiver_code="330100", reason="属市级职权",
        )  # fmt: skip
    with in_office("hangzhou"):
        exchange.handoff_accept(handoff_id=handoff.pk, officer=hangzhou_staff["registrar"])
        copy = Petition.objects.get(pk=Handoff.objects.get(pk=handoff.pk).receiver_petition_id)
        copy = services.petition_accept(petition=copy, officer=hangzhou_staff["registrar"])
        copy = services.petition_assign(
            petition=copy, officer=hangzhou_staff["leader"], handler=hangzhou_staff["handler"]
        )
        copy = services.petition_reply(
            petition=copy, officer=hangzhou_staff["handler"], opinion="经核查，补偿款已发放。"
        )
    return registration.petition.reference, registration.query_code, copy


def _codes(reference, code):
    return {"reference": reference, "query_code": code}


def test_the_progress_page_shows_the_city_and_its_opinion(client_for, transferred_and_replied):
    reference, code, copy = transferred_and_replied
    page = client_for("xihu").post("/public/progress", _codes(reference, code)).content.decode()
    assert "杭州市信访局" in page and copy.reference in page
    assert "经核查，补偿款已发放。" in page
    assert "提交评价" in page and "申请复查" in page and "浙江省信访局" in page


def test_the_petitioner_rates_the_city_from_the_county_host(
    client_for, in_office, transferred_and_replied
):
    reference, code, copy = transferred_and_replied
    response = client_for("xihu").post(
        "/public/rate", {**_codes(reference, code), "satisfaction": "basically_satisfied",
                         "comment": "基本解决"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "感谢您的评价" in page
    assert "提交评价" not in page  # rated once
    with in_office("hangzhou"):
        rating = Evaluation.objects.get(petition_id=copy.pk)
    assert (rating.satisfaction, rating.recorded_by, rating.comment) == (
        "basically_satisfied", None, "基本解决",
    )  # fmt: skip


def test_a_rating_without_a_choice_is_told_by_the_choices(client_for, transferred_and_replied):
    reference, code, _ = transferred_and_replied
    response = client_for("xihu").post("/public/rate", {**_codes(reference, code), "comment": "x"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_satisfaction") == "请选择满意度"


def test_a_wrong_code_rates_nothing(client_for, in_office, transferred_and_replied):
    reference, _, copy = transferred_and_replied
    response = client_for("xihu").post(
        "/public/rate", {**_codes(reference, "WRONGCODE234"), "satisfaction": "satisfied"}
    )
    assert response.status_code == 400
    assert "编号或查询码不正确" in response.content.decode()
    with in_office("hangzhou"):
        assert not Evaluation.objects.filter(petition_id=copy.pk).exists()


def test_the_petitioner_asks_the_province_to_review_the_city(client_for, transferred_and_replied):
    reference, code, copy = transferred_and_replied
    response = client_for("xihu").post(
        "/public/review", {**_codes(reference, code), "grounds": "补偿标准适用有误。"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已收到您的复查申请：浙江省信访局将于" in page
    handoff = Handoff.objects.get(kind="review", sender_petition_id=copy.pk)
    assert (handoff.receiver_office.code, handoff.created_by) == ("330000", "网上申请")
    again = client_for("xihu").post(
        "/public/review", {**_codes(reference, code), "grounds": "再次申请。"}
    )
    assert again.status_code == 400  # asked once: no second form, and the service refuses


def test_review_grounds_are_required(client_for, transferred_and_replied):
    reference, code, _ = transferred_and_replied
    response = client_for("xihu").post("/public/review", _codes(reference, code))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_grounds").startswith("请填写")


def test_after_the_window_no_review_is_offered_and_none_is_taken(
    client_for, in_office, transferred_and_replied
):
    reference, code, copy = transferred_and_replied
    with in_office("hangzhou"):
        Petition.objects.filter(pk=copy.pk).update(
            replied_at=timezone.now() - datetime.timedelta(days=60)
        )
    from xinfang.platform.registry.models import PetitionRecord

    PetitionRecord.objects.filter(petition_id=copy.pk).update(
        replied_at=timezone.now() - datetime.timedelta(days=60)
    )
    page = client_for("xihu").post("/public/progress", _codes(reference, code)).content.decode()
    assert "申请复查的期限已于" in page or "期限已于" in page
    assert '<button type="submit">申请复查</button>' not in page
    response = client_for("xihu").post(
        "/public/review", {**_codes(reference, code), "grounds": "理由"}
    )
    assert response.status_code == 400
    assert "已超过申请期限" in response.content.decode()
