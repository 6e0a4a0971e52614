"""Documents issued between offices reach the petitioner too: a review opinion is told by the
office where the petitioner asked, a re-review opinion by the reviewing office, and every document
of a handoff (a transfer, an assignment, a request taken up) records its own kind of notice."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.exchange.test_review import opinion, replied, request
from tests.notices.conftest import person
from tests.support.ladder import rereviewed
from xinfang.platform.cases import services as cases
from xinfang.platform.exchange import services
from xinfang.platform.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_review_and_re_review_opinions_are_told_where_the_petitioner_asked(
    offices, staff, register, act, smtp
):
    petition = replied(offices, register("xihu", petitioners=[person()]), days_ago=2)
    review = opinion(act, staff, "hangzhou",
                     request(act, staff, "hangzhou", "review", petition.reference))  # fmt: skip
    opinion(act, staff, "zhejiang",
            request(act, staff, "zhejiang", "recheck", review.receiver_reference))  # fmt: skip
    with act("xihu"):
        told = Notice.objects.get(petition=petition, kind="review_opinion")
    with act("hangzhou"):
        final = Notice.objects.get(petition_id=review.receiver_petition_id, kind="recheck_opinion")
    assert told.channel == "email" and "30日内向浙江省信访局请求复核" in told.body
    assert "复查意见书（杭州市信访局）" in told.subject
    assert final.status == "pending" and "不再受理" in final.body


def test_every_document_between_offices_is_told_by_its_own_kind_of_notice(
    offices, staff, register, act, smtp
):
    """交办, 转送, the review and re-review requests taken up, and the 不再受理 of the same
    person's matter once it was terminated: each reaches the petitioner as its own kind."""
    people = [person()]
    assigned = register("hangzhou", petitioners=people)
    transferred = register("xihu", petitioners=people)
    with act("hangzhou"):
        services.petition_assign_to_office(
            petition_id=assigned.pk, officer=staff("hangzhou"), receiver_code="330106",
            due_date=timezone.localdate() + datetime.timedelta(days=20),
        )  # fmt: skip
    with act("xihu"):
        services.petition_transfer(
            petition_id=transferred.pk, officer=staff("xihu"), receiver_code="330110"
        )
    petition = replied(offices, register("xihu", petitioners=people), days_ago=2)
    recheck = rereviewed(petition)
    again = register("yuhang", petitioners=people)
    with act("yuhang"):
        cases.petition_decline(
            petition=again.pk, officer=staff("yuhang"), reason="同一事实和理由",
            redirect_channel="no_longer_accepted",
        )  # fmt: skip
    told = {
        kind: _kinds(offices, petition_id)
        for kind, petition_id in [
            ("assign", assigned.pk),
            ("transfer", transferred.pk),
            ("review", recheck.sender_petition_id),  # the reviewing office's copy
            ("recheck", recheck.receiver_petition_id),
            ("again", again.pk),
        ]
    }
    assert "assigned" in told["assign"] and "transferred" in told["transfer"]
    assert "review_received" in told["review"] and "recheck_received" in told["recheck"]
    assert "no_longer_accepted" in told["again"]
    assert "other" not in {kind for kinds in told.values() for kind in kinds}


def _kinds(offices, petition_id) -> list[str]:
    for office in offices.values():
        with tenant_context(office):
            kinds = list(
                Notice.objects.filter(petition_id=petition_id).values_list("kind", flat=True)
            )
        if kinds:
            return kinds
    return []
