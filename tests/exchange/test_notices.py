"""Documents issued between offices reach the petitioner too: a review opinion is told by the
office where the petitioner asked, a re-review opinion by the reviewing office, and any event
of a handoff that carries a document (a transfer, an assignment) records its notice."""

import pytest

from tests import factories
from tests.exchange.test_review import opinion, replied, request
from tests.notices.conftest import person
from xinfang.platform.cases import events
from xinfang.platform.cases.models import EventKind, Petition
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


@pytest.mark.parametrize(
    ("event_kind", "notice_kind"),
    [(EventKind.TRANSFER, "transferred"), (EventKind.ASSIGN_OUT, "assigned")],
)
def test_a_handoff_event_that_issues_a_document_records_its_notice(
    staff, act, smtp, event_kind, notice_kind
):
    with act("xihu"):
        petition = factories.petition(officer=staff("xihu"), petitioners=[person()]).petition
        events.record(
            Petition.objects.get(pk=petition.pk), event_kind, public=True,
            data={"document": {"kind": "handoff_notice", "title": "转送告知书",
                               "text": "您的信访事项已转送余杭区信访局办理。"}},
        )  # fmt: skip
        notice = Notice.objects.get(petition=petition, kind=notice_kind)
    assert "已转送余杭区信访局" in notice.body and notice.status == "pending"
