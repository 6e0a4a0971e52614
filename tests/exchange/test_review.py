"""Review (复查) and re-review (复核): windows, deadlines, and termination (终结)."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.petitions import copies_of, event_kinds, petition_in
from xinfang.platform.cases import services as cases_services
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff, HandoffStatus
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import TerminatedMatter


def replied(offices, petition, *, days_ago: int):
    """The petition as the handling office's reply left it, `days_ago` days ago."""
    office = offices[next(n for n, o in offices.items() if petition.reference.startswith(o.code))]
    with tenant_context(office):
        at = timezone.now() - datetime.timedelta(days=days_ago)
        Petition.objects.filter(pk=petition.pk).update(
            status=Status.REPLIED, replied_at=at, next_due=None
        )
        petition = Petition.objects.get(pk=petition.pk)
        registry.sync(petition)
    return petition


def request(act, staff, office, kind, reference, **kwargs):
    service = services.review_request if kind == "review" else services.recheck_request
    with act(office):
        return service(reference=reference, officer=staff(office), grounds="不服", **kwargs)


def opinion(act, staff, office, handoff, text="维持原处理意见"):
    with act(office):
        return services.review_opinion_issue(handoff_id=handoff.pk, officer=staff(office),
                                             opinion=text)  # fmt: skip


def test_a_review_request_goes_to_the_level_above_with_its_30_day_deadline(
    offices, staff, register, act
):
    petition = replied(offices, register("xihu"), days_ago=10)
    handoff = request(act, staff, "hangzhou", "review", petition.reference)
    today = timezone.localdate()
    assert handoff.status == HandoffStatus.ACCEPTED
    assert today + datetime.timedelta(days=30) <= handoff.due_date
    assert handoff.due_date <= today + datetime.timedelta(days=33)
    copy = petition_in(offices["hangzhou"], handoff.receiver_petition_id)
    assert copy.status == Status.ACCEPTED
    assert copy.handling_due == copy.next_due == handoff.due_date
    assert "review_requested" in event_kinds(offices["xihu"], petition.pk)


def test_a_review_request_at_the_wrong_level_is_refused(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=1)
    with pytest.raises(ServiceError) as error:
        request(act, staff, "zhejiang", "review", petition.reference)
    assert error.value.code == "WRONG_REVIEW_OFFICE"


def test_a_review_request_before_the_reply_is_refused(offices, staff, register, act):
    petition = register("xihu")
    with pytest.raises(ServiceError) as error:
        request(act, staff, "hangzhou", "review", petition.reference)
    assert error.value.code == "NOT_REPLIED"


def test_a_late_review_request_is_refused_with_the_date_that_passed(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=45)
    with pytest.raises(ServiceError) as error:
        request(act, staff, "hangzhou", "review", petition.reference)
    assert error.value.code == "REVIEW_WINDOW_CLOSED"
    deadline = datetime.date.fromisoformat(error.value.extra["deadline"])
    reply_day = timezone.localdate(petition.replied_at)
    assert reply_day + datetime.timedelta(days=30) <= deadline < timezone.localdate()
    assert deadline.isoformat() in error.value.message
    assert not Handoff.objects.filter(matter_id=petition.matter_id).exists()


def test_a_second_review_of_the_same_reply_is_refused(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=2)
    request(act, staff, "hangzhou", "review", petition.reference)
    with pytest.raises(ServiceError) as error:
        request(act, staff, "hangzhou", "review", petition.reference)
    assert error.value.code == "ALREADY_REQUESTED"


def test_a_late_re_review_request_is_refused(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=5)
    review = opinion(act, staff, "hangzhou",
                     request(act, staff, "hangzhou", "review", petition.reference))  # fmt: skip
    Handoff.objects.filter(pk=review.pk).update(
        result_at=timezone.now() - datetime.timedelta(days=40)
    )
    with pytest.raises(ServiceError) as error:
        request(act, staff, "zhejiang", "recheck", review.receiver_reference)
    assert error.value.code == "REVIEW_WINDOW_CLOSED"


def test_after_the_re_review_opinion_the_matter_is_terminated_across_the_province(
    offices, staff, register, act
):
    id_number = factories.id_number()
    people = [PetitionerInput(name="李四", id_number=id_number)]
    petition = replied(offices, register("xihu", petitioners=people), days_ago=5)
    review = request(act, staff, "hangzhou", "review", petition.reference)
    with pytest.raises(ServiceError) as error:  # not before the review opinion
        request(act, staff, "zhejiang", "recheck", review.receiver_reference)
    assert error.value.code == "NOT_REPLIED"
    review = opinion(act, staff, "hangzhou", review)
    assert "review_opinion_received" in event_kinds(offices["xihu"], petition.pk)
    recheck = request(act, staff, "zhejiang", "recheck", review.receiver_reference)
    assert recheck.receiver_office.code == "330000"
    opinion(act, staff, "zhejiang", recheck, text="复核维持")

    assert TerminatedMatter.objects.filter(matter_id=petition.matter_id).exists()
    copies = copies_of(offices, petition.matter_id)
    assert copies["zhejiang"].status == Status.TERMINATED
    # The same person with the same facts, anywhere in the province: refused at registration.
    for office in ("xihu", "yinzhou"):
        with pytest.raises(ServiceError) as error:
            register(office, petitioners=people)
        assert error.value.code == "MATTER_TERMINATED"
    # And the matter itself cannot travel again.
    with pytest.raises(ServiceError) as error:
        request(act, staff, "hangzhou", "review", copies["xihu"].reference)
    assert error.value.code == "MATTER_TERMINATED"
    # Another category from the same person is a new matter.
    register("xihu", petitioners=people, category="02.01")


def test_the_petitioner_rates_the_first_handling_office_not_the_review(
    offices, staff, register, act
):
    petition = replied(offices, register("xihu"), days_ago=3)
    handoff = opinion(act, staff, "hangzhou",
                      request(act, staff, "hangzhou", "review", petition.reference))  # fmt: skip
    with act("hangzhou"):
        review_copy = Petition.objects.get(pk=handoff.receiver_petition_id)
        assert review_copy.status == Status.REPLIED
        with pytest.raises(ServiceError) as error:
            cases_services.petition_evaluate(
                petition=review_copy, officer=staff("hangzhou"), satisfaction="satisfied"
            )
    assert error.value.code == "NOT_RATED_HERE"
    with act("xihu"):
        rated = cases_services.petition_evaluate(
            petition=petition, officer=staff("xihu"), satisfaction="dissatisfied"
        )
    assert rated.satisfaction == "dissatisfied"
