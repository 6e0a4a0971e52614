"""SMS through Alibaba Cloud SMS's SendSms: the request is signed as the provider documents
(checked against its own worked example, and by a local server that verifies every request),
carries the provider's template and parameters, and is sent once; the provider's refusals are
retried or failed for good according to their code."""

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.support import petition_at
from tests.notices.conftest import person
from xinfang.platform.notices.channels.sms import signature
from xinfang.platform.notices.models import Notice
from xinfang.platform.notices.services import SEND
from xinfang.platform.outbox import relay
from xinfang.platform.outbox.models import Effect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_effects(db):
    Effect.objects.filter(kind=SEND, done_at__isnull=True).update(done_at=timezone.now())


def test_the_signature_is_the_one_of_the_providers_worked_example():
    """The example of the provider's documentation ("HTTP协议及签名", SendSms): its parameters
    give its published signature."""
    params = {
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "AccessKeyId": "testId", "SignatureVersion": "1.0", "Timestamp": "2017-07-12T02:42:19Z",
        "Format": "XML", "Action": "SendSms", "Version": "2017-05-25", "RegionId": "cn-hangzhou",
        "PhoneNumbers": "15300000001", "SignName": "阿里云短信测试专用",
        "TemplateParam": '{"customer":"test"}', "TemplateCode": "SMS_71390007", "OutId": "123",
    }  # fmt: skip
    assert signature(params, key="testSecret", method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def _register(staff, in_office, **fields):
    with in_office("xihu"):
        return factories.petition(
            officer=staff["registrar"], petitioners=[person(email="", **fields)]
        )


def test_a_registration_sends_its_query_code_by_the_registration_template_once(
    staff, sms, in_office
):
    registration = _register(staff, in_office, phone="+86 139-0000-1111")
    assert relay.drain(SEND) == (1, False)
    assert relay.drain(SEND) == (0, False)
    (sent,) = sms.accepted
    with in_office("xihu"):
        notice = Notice.objects.get(petition=registration.petition)
    assert sent["PhoneNumbers"] == "13900001111"
    assert sent["TemplateCode"] == "SMS_100000002" and sent["SignName"] == "西湖信访"
    assert sent["TemplateParam"] == {
        "office": "杭州市西湖区信访局", "reference": registration.petition.reference,
        "title": "信访事项登记告知书", "code": registration.query_code,
    }  # fmt: skip
    assert sent["OutId"] == str(notice.pk)
    assert (notice.status, notice.attempts) == ("sent", 1) and notice.provider_id.startswith("1^")


def test_later_documents_go_by_the_progress_template(staff, sms, in_office):
    with in_office("xihu"):
        people = [person(email="", phone="13900002222")]
        petition = petition_at("accepted", officers=staff, petitioners=people)
    relay.drain(SEND)
    accepted = [s for s in sms.accepted if s["TemplateCode"] == "SMS_100000001"]
    assert [s["TemplateParam"]["title"] for s in accepted] == ["受理告知书"]
    assert accepted[0]["TemplateParam"]["reference"] == petition.reference


def test_a_rate_limit_is_retried_and_a_number_the_provider_refuses_is_failed_for_good(
    staff, sms, in_office
):
    sms.fail_next = ["isv.BUSINESS_LIMIT_CONTROL"]
    limited = _register(staff, in_office, phone="13900003333")
    relay.drain(SEND)
    with in_office("xihu"):
        notice = Notice.objects.get(petition=limited.petition)
    assert (notice.status, notice.attempts) == ("pending", 1)
    assert notice.last_error.startswith("isv.BUSINESS_LIMIT_CONTROL")
    Effect.objects.filter(kind=SEND, done_at=None).update(due_at=timezone.now())
    relay.drain(SEND)
    with in_office("xihu"):
        assert Notice.objects.get(pk=notice.pk).status == "sent"
    sms.fail_next = ["isv.MOBILE_NUMBER_ILLEGAL"]
    refused = _register(staff, in_office, phone="13900004444")
    relay.drain(SEND)
    with in_office("xihu"):
        notice = Notice.objects.get(petition=refused.petition)
    assert (notice.status, notice.attempts) == ("failed", 1)
    assert "not a mobile number" in notice.last_error


def test_a_wrong_secret_is_refused_by_the_provider_and_kept_for_retry(
    staff, sms, settings, in_office
):
    settings.XINFANG_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    registration = _register(staff, in_office, phone="13900005555")
    relay.drain(SEND)
    with in_office("xihu"):
        notice = Notice.objects.get(petition=registration.petition)
    assert notice.status == "pending" and notice.last_error.startswith("SignatureDoesNotMatch")
    assert not sms.accepted


def test_without_a_provider_nothing_is_sent_and_the_notice_says_why(staff, settings, in_office):
    settings.XINFANG_SMS_PROVIDER = ""
    registration = _register(staff, in_office, phone="13900006666")
    with in_office("xihu"):
        notice = Notice.objects.get(petition=registration.petition)
    assert notice.status == "not_sent"
    assert notice.last_error == "SMS is not configured (XINFANG_SMS_PROVIDER)"
