"""复查 then 复核 from the petitioner's side, on the county's site: the petitioner asks the city to
review 西湖's opinion, receives the review opinion by e-mail, asks the province for re-review
from the progress page (the page names the office, the 30-day window, then the province's own
limit), receives the re-review opinion, and the page says the matter is closed for good: no
further request is offered or taken."""

import re

import pytest

from tests import factories
from tests.notices.conftest import person
from xinfang.platform.cases import services
from xinfang.platform.exchange import services as exchange
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.notices.services import SEND
from xinfang.platform.outbox import relay

pytestmark = pytest.mark.django_db
EMAIL = "fuhe@example.com"


@pytest.fixture
def leaders(in_office):
    made = {}
    for name in ("hangzhou", "zhejiang"):
        with in_office(name):
            made[name] = factories.officer(roles=("leader",))
    return made


@pytest.fixture
def replied_at_xihu(xihu_staff, in_office):
    """Filed at 西湖 with an e-mail address; 西湖 accepted, handled and replied."""
    staff = xihu_staff
    with in_office("xihu"):
        registration = factories.petition(
            officer=staff["registrar"], petitioners=[person(email=EMAIL)]
        )
        petition = services.petition_route(
            petition=registration.petition, officer=staff["registrar"]
        )
        petition = services.petition_accept(petition=petition, officer=staff["leader"])
        petition = services.petition_assign(
            petition=petition, officer=staff["leader"], handler=staff["handler"]
        )
        services.petition_reply(petition=petition, officer=staff["handler"], opinion="维持原决定。")
    return {"reference": petition.reference, "query_code": registration.query_code}


def _text(page: str, testid: str) -> str:
    section = re.search(rf'data-testid="{testid}">(.*?)</section>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", section)


def _mail(smtp, wanted: str) -> str:
    relay.drain(SEND)
    bodies = [m.get_content() for m in smtp.to(EMAIL)]
    found = [b for b in bodies if wanted in b]
    assert found, bodies
    return found[-1]


def test_the_petitioner_asks_for_review_then_re_review_and_the_matter_ends(
    client_for, replied_at_xihu, leaders, in_office, smtp
):
    codes, site = replied_at_xihu, client_for("xihu")
    asked = site.post("/public/review", {**codes, "grounds": "事实认定不清。"}).content.decode()
    assert "已收到您的复查申请：杭州市信访局将于" in asked
    twice = site.post("/public/review", {**codes, "grounds": "再问一次。"}).content.decode()
    assert "您已经提出过申请，请耐心等待答复" in twice
    review = Handoff.objects.get(kind="review", sender_office__code="330106")
    with in_office("hangzhou"):
        exchange.review_opinion_issue(
            handoff_id=review.pk, officer=leaders["hangzhou"], opinion="复查维持。"
        )
    assert "30日内向浙江省信访局请求复核" in _mail(smtp, "复查维持。")

    page = site.post("/public/progress", codes).content.decode()
    assert "复查意见书（杭州市信访局）" in page
    limits = _text(page, "progress-limits")
    assert "如对杭州市信访局的复查意见不服，可于" in limits and "向浙江省信访局申请复核" in limits
    assert '<button type="submit">申请复核</button>' in page

    asked = site.post("/public/review", {**codes, "grounds": "复查未回应新证据。"}).content.decode()
    assert "已收到您的复核申请：浙江省信访局将于" in asked
    recheck = Handoff.objects.get(kind="recheck", sender_petition_id=review.receiver_petition_id)
    assert recheck.created_by == "网上申请"
    assert f"{recheck.due_date.year}年{recheck.due_date.month}月{recheck.due_date.day}日" in (
        _text(asked, "progress-limits")
    )
    assert "浙江省信访局应于" in _text(asked, "progress-limits")
    assert "收到复核请求之日起30日内" in _text(asked, "progress-limits")
    assert "您的复核请求已由浙江省信访局受理" in _mail(smtp, "复核请求已由浙江省信访局受理")

    with in_office("zhejiang"):
        exchange.review_opinion_issue(
            handoff_id=recheck.pk, officer=leaders["zhejiang"], opinion="复核维持。"
        )
    assert "不再受理" in _mail(smtp, "复核维持。")
    page = site.post("/public/progress", codes).content.decode()
    assert "复核意见书（浙江省信访局）" in page
    assert "复核意见为最终意见" in _text(page, "progress-next")
    assert "申请复核</button>" not in page and "申请复查</button>" not in page
    again = site.post("/public/review", {**codes, "grounds": "再次申请。"})
    assert again.status_code == 400
    assert '<div class="alert" role="alert"><p>该事项已经复核终结' in again.content.decode()
