"""What every written notice tells the petitioner (Arts 21, 22, 35): where to go next."""

import pytest

from tests.cases.support import petition_at
from xinfang.platform.cases.models import PetitionEvent

pytestmark = pytest.mark.django_db


def document_of(petition, kind: str) -> dict:
    return PetitionEvent.objects.get(petition=petition, kind=kind).data["document"]


def test_an_opinion_names_the_office_to_ask_for_review_and_the_30_days(xihu_staff, in_office):
    with in_office("xihu"):
        replied = petition_at("replied", officers=xihu_staff)
        text = document_of(replied, "reply")["text"]
    assert text.startswith("经调查，依法答复如下。")
    assert "自收到本意见书之日起30日内向杭州市信访局请求复查" in text


def test_a_decline_names_the_channel_or_the_competent_authority(xihu_staff, in_office):
    from xinfang.platform.cases import services

    with in_office("xihu"):
        litigation = petition_at("registered", officers=xihu_staff)
        services.petition_decline(
            petition=litigation, officer=xihu_staff["registrar"], reason="已进入诉讼程序",
            redirect_channel="litigation",
        )  # fmt: skip
        other = petition_at("registered", officers=xihu_staff)
        services.petition_decline(
            petition=other, officer=xihu_staff["registrar"], reason="不属本机关职权范围",
            redirect_channel="other_authority", redirect_authority="西湖区市场监督管理局",
        )  # fmt: skip
        assert "诉讼" in document_of(litigation, "decline")["text"]
        assert "西湖区市场监督管理局" in document_of(other, "decline")["text"]
