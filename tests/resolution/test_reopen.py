"""A dissatisfied rating or a failed return visit reopens the matter for re-handling, counted;
the re-handled matter gets a new opinion and a new rating."""

import pytest

from tests.resolution.support import evaluate, replied
from xinfang.platform.cases import services as cases
from xinfang.platform.cases.models import PetitionEvent, Status
from xinfang.platform.resolution import services
from xinfang.platform.resolution.models import Reopening, VisitKind
from xinfang.platform.resolution.services import VisitInput

pytestmark = pytest.mark.django_db


def kinds(petition):
    return list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True))


def test_a_dissatisfied_rating_reopens_the_matter_and_it_is_handled_again(staff, in_office):
    with in_office("xihu"):
        petition = replied(staff)
        rated = evaluate(petition, staff, "dissatisfied")
        assert rated.status == Status.IN_HANDLING and rated.next_due == rated.handling_due
        [reopening] = Reopening.objects.filter(petition=petition)
        assert (reopening.cause, reopening.from_status) == ("dissatisfied", "evaluated")
        assert reopening.previous_opinion == "经调查，依法答复如下。"
        assert reopening.previous_satisfaction == "dissatisfied"
        assert kinds(petition)[-2:] == ["evaluate", "reopen"]
        again = cases.petition_reply(
            petition=petition.pk, officer=staff["handler"], opinion="重新调查后，补发补偿款。"
        )
        assert again.reply.opinion == "重新调查后，补发补偿款。"
        rated = evaluate(again, staff, "satisfied")
        assert rated.status == Status.EVALUATED and rated.evaluation.satisfaction == "satisfied"
        assert Reopening.objects.filter(petition=petition).count() == 1


def test_a_failed_return_visit_reopens_a_closed_matter(staff, in_office):
    with in_office("xihu"):
        petition = replied(staff)
        petition = evaluate(petition, staff, "satisfied")
        closed = services.petition_close(
            petition=petition,
            officer=staff["leader"],
            outcome=services.OutcomeInput(kind="solved", summary="已解决"),
        )
        visit = services.visit_record(
            officer=staff["handler"],
            data=VisitInput(
                kind=VisitKind.RETURN,
                officers=[staff["handler"]],
                petition_ids=[closed.pk],
                summary="补偿款仍未到位",
                return_finding="not_implemented",
            ),
        )
        closed.refresh_from_db()
        assert closed.status == Status.IN_HANDLING and closed.closed_at is None
        [reopening] = Reopening.objects.filter(petition=petition)
        assert (reopening.cause, reopening.visit_id, reopening.from_status) == (
            "return_visit",
            visit.pk,
            "closed",
        )


def test_a_leader_reopens_with_a_reason_and_the_version_guards_it(staff, in_office):
    from xinfang.platform.errors import ServiceError

    with in_office("xihu"):
        petition = replied(staff)
        with pytest.raises(ServiceError) as error:
            services.petition_reopen(
                petition=petition,
                officer=staff["leader"],
                reason="复核",
                version=petition.version - 1,
            )
        assert error.value.code == "STALE_VERSION"
        reopened = services.petition_reopen(
            petition=petition,
            officer=staff["leader"],
            reason="处理意见依据不足",
            version=petition.version,
        )
        assert reopened.status == Status.IN_HANDLING
        assert Reopening.objects.get(petition=petition).cause == "leader"
