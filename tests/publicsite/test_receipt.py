"""发送到手机/邮箱: the receipt (and the filing form's e-mail address) send the reference and the
query code through the notices service, to the real SMTP server; bad input answers next to its
field, a wrong pair on top."""

import re

import pytest

from tests.publicsite.conftest import field_error, filing, value_of
from tests.publicsite.test_filing import receipt_codes
from xinfang.platform.notices.models import Notice
from xinfang.platform.notices.services import SEND
from xinfang.platform.outbox import relay
from xinfang.platform.publicsite.views import _receipt_sent

pytestmark = pytest.mark.django_db


def _filed(client, **fields) -> tuple[str, str, str]:
    response = client.post("/public/file", filing(client, **fields))
    assert response.status_code == 201
    page = response.content.decode()
    return (*receipt_codes(page), page)


def _mail_with(smtp, address: str, reference: str) -> str:
    relay.drain(SEND)
    (mail,) = [m for m in smtp.to(address) if reference in m["Subject"]]
    return mail.get_content()


def test_the_receipt_offers_to_send_the_codes_and_the_mail_arrives(client_for, smtp, in_office):
    client = client_for("xihu")
    reference, code, page = _filed(client, phone="0571-87654321")
    assert 'action="/public/receipt"' in page and "发送到手机或邮箱" in page
    response = client.post("/public/receipt", {"reference": reference, "query_code": code,
                                                "email": "zhang.san@example.com"})  # fmt: skip
    sent = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert '将以电子邮件发送至 <span class="mono">z***@example.com</span>' in sent
    body = _mail_with(smtp, "zhang.san@example.com", reference)
    assert code in body and reference in body and "西湖区信访局" in body


def test_an_email_address_given_when_filing_gets_the_registration_notice(
    client_for, smtp, in_office
):
    client = client_for("xihu")
    reference, code, page = _filed(client, email="wang@example.com")
    assert '已同时以电子邮件发送至 <span class="mono">w***@example.com</span>' in page
    assert code in _mail_with(smtp, "wang@example.com", reference)
    with in_office("xihu"):
        assert Notice.objects.get(petition__reference=reference, channel="email").kind == (
            "registered"
        )


def test_without_a_configured_channel_the_page_says_it_was_not_sent(client_for, settings):
    settings.XINFANG_SMTP_HOST = ""
    client = client_for("xihu")
    reference, code, _ = _filed(client)
    response = client.post("/public/receipt", {"reference": reference, "query_code": code,
                                                "email": "zhao@example.com"})  # fmt: skip
    assert "暂未开通电子邮件告知" in response.content.decode()


def test_a_notice_the_worker_sent_before_the_page_rendered_reads_as_sent():
    sent = Notice(channel="email", status="sent", address_masked="c***@example.com")
    parked = Notice(channel="sms", status="not_sent", address_masked="139****5678")
    assert [t["sending"] for t in _receipt_sent([sent, parked])] == [True, False]


@pytest.mark.parametrize(
    ("fields", "control", "message"),
    [
        ({"email": "zhao@"}, "id_email", "电子邮箱格式不正确"),
        ({"phone": "0571-8765"}, "id_phone", "应为以1开头的11位手机号码"),
        ({}, "id_email", "请填写手机号码或电子邮箱"),
    ],
    ids=["bad-email", "not-a-mobile", "neither"],
)
def test_bad_input_is_told_next_to_its_field_and_kept(client_for, smtp, fields, control, message):
    client = client_for("xihu")
    reference, code, _ = _filed(client)
    response = client.post("/public/receipt", {"reference": reference, "query_code": code,
                                                "phone": "", "email": "", **fields})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert message in field_error(page, control)
    for name, typed in fields.items():
        assert value_of(page, f"id_{name}") == typed
    assert f'value="{reference}"' in page  # the hidden codes travel on


def test_a_wrong_code_is_told_on_top_and_nothing_is_recorded(client_for, smtp, in_office):
    client = client_for("xihu")
    reference, _, _ = _filed(client)
    response = client.post("/public/receipt", {"reference": reference, "query_code": "WRONG2345678",
                                                "email": "zhao@example.com"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<div class="alert" role="alert"><p>编号或查询码不正确', page)
    with in_office("xihu"):
        assert not Notice.objects.filter(petition__reference=reference, channel="email").exists()
