"""Where the matter stands on the progress page: after a transfer from 西湖 to 杭州 the petitioner
reads, on 西湖's host, that 杭州 holds it, the time limit running there now (to decide on
acceptance, then to issue the opinion, then extended), and the next legal step; the lookup stays
a bounded number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from xinfang.platform.cases import services
from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange import services as exchange
from xinfang.platform.exchange.models import Handoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(xihu_staff, in_office):
    with in_office("xihu"):
        return factories.petition(officer=xihu_staff["registrar"])


@pytest.fixture
def transferred(filed, xihu_staff, hangzhou_staff, in_office):
    """西湖 transferred the matter to 杭州, which signed for it: 杭州's copy."""
    with in_office("xihu"):
        handoff = exchange.petition_transfer(
            petition_id=filed.petition.pk, officer=xihu_staff["registrar"],
            receiver_code="330100", reason="属市级职权",
        )  # fmt: skip
    with in_office("hangzhou"):
        exchange.handoff_accept(handoff_id=handoff.pk, officer=hangzhou_staff["registrar"])
        return Petition.objects.get(pk=Handoff.objects.get(pk=handoff.pk).receiver_petition_id)


def _page(client_for, filed) -> str:
    codes = {"reference": filed.petition.reference, "query_code": filed.query_code}
    response = client_for("xihu").post("/public/progress", codes)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</section>', page, re.S)
    assert found, testid
    return re.sub(r"<[^>]+>", "", found.group(1))


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_a_registered_matter_shows_the_15_days_to_route_it(client_for, filed):
    page = _page(client_for, filed)
    limits = _section(page, "progress-limits")
    assert f"西湖区信访局应于{_day(filed.petition.route_due)}前决定由本机关办理" in limits
    assert "收到之日起15日内" in limits
    assert "超过期限未获答复的，可以向上一级信访工作机构（杭州市信访局）反映" in _section(
        page, "progress-next"
    )


def test_after_the_transfer_the_city_holds_it_with_its_acceptance_limit(
    client_for, filed, transferred
):
    page = _page(client_for, filed)
    holder = re.search(r'data-testid="progress-handling-office">(.*?)</p>', page, re.S).group(1)
    assert "杭州市信访局" in holder and transferred.reference in holder
    limits = _section(page, "progress-limits")
    assert f"杭州市信访局应于{_day(transferred.accept_due)}前决定是否受理，并书面告知您" in limits
    assert "西湖区信访局应于" not in limits  # 西湖 passed it on: its clock no longer runs
    assert "浙江省信访局" in _section(page, "progress-next")  # 杭州's level above
    assert "12345" in page  # how to reach the holder (its guide's phone)


def test_once_accepted_the_60_days_and_then_the_extension_apply(
    client_for, filed, transferred, hangzhou_staff, in_office
):
    with in_office("hangzhou"):
        copy = services.petition_accept(petition=transferred, officer=hangzhou_staff["registrar"])
    limits = _section(_page(client_for, filed), "progress-limits")
    assert f"杭州市信访局应于{_day(copy.handling_due)}前办结，并出具书面处理意见" in limits
    assert "受理之日起60日内；情况复杂的，经负责人批准可以延长，最长30日" in limits
    with in_office("hangzhou"):
        copy = services.petition_extend(
            petition=copy, officer=hangzhou_staff["leader"], days=20, reason="需现场核查"
        )
    limits = _section(_page(client_for, filed), "progress-limits")
    assert f"应于{_day(copy.handling_due)}前办结" in limits and "经批准延期" in limits


def test_after_the_opinion_the_next_step_is_the_review_at_the_province(
    client_for, filed, transferred, hangzhou_staff, in_office
):
    with in_office("hangzhou"):
        copy = services.petition_accept(petition=transferred, officer=hangzhou_staff["registrar"])
        copy = services.petition_assign(
            petition=copy, officer=hangzhou_staff["leader"], handler=hangzhou_staff["handler"]
        )
        services.petition_reply(
            petition=copy, officer=hangzhou_staff["handler"], opinion="经核查，补偿款已发放。"
        )
    page = _page(client_for, filed)
    limits = _section(page, "progress-limits")
    assert "如对杭州市信访局的处理意见不服，可于" in limits and "向浙江省信访局申请复查" in limits
    assert "收到意见书之日起30日内" in limits
    steps = _section(page, "progress-next")
    assert "满意度评价" in steps and "向浙江省信访局申请复查" in steps


def test_the_progress_page_after_a_transfer_takes_a_bounded_number_of_queries(
    client_for, filed, transferred
):
    client = client_for("xihu")
    codes = {"reference": filed.petition.reference, "query_code": filed.query_code}
    client.post("/public/progress", codes)  # the office and its domain, cached per process
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/public/progress", codes).status_code == 200
    print(f"progress page after a transfer: {len(queries)} queries")
    assert len(queries) <= 20


def test_graphql_progress_tells_the_deadlines_of_the_holding_office(client_for, filed, transferred):
    from tests.support.graphql import gql

    query = """query($r: String!, $c: String!) { petitionProgress(reference: $r, queryCode: $c) {
        handlingOffice { name nextDue acceptDue handlingDue extended } } }"""
    body = gql(client_for("xihu"), query, r=filed.petition.reference, c=filed.query_code)
    data = body["data"]
    holder = data["petitionProgress"]["handlingOffice"]
    assert holder == {
        "name": "杭州市信访局", "nextDue": transferred.accept_due.isoformat(),
        "acceptDue": transferred.accept_due.isoformat(), "handlingDue": None, "extended": False,
    }  # fmt: skip
