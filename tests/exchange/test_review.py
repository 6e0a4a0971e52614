"""Review (复查) and re-review (复核): windows, deadlines, and termination (终结)."""

import datetime
from functools import partial

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.petitions import copies_of, event_kinds, petition_in, replied
from xinfang.platform.cases import services as cases_services
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff, HandoffStatus
from xinfang.platform.registry.models import TerminatedMatter
from xinfang.tenants.models import Office


def visit_by_the_petitioner(reference: str) -> services.ReviewEvidence:
    """The petitioner came in person: the ID card shown is the contested petition's."""
    with tenant_context(Office.objects.get(code=reference.split("-")[0])):
        person = Petition.objects.get(reference=reference).petitioners.first()
        return services.ReviewEvidence(kind="visit", id_number=person.id_number)


def request(act, staff, office, kind, reference, *, evidence=None, grounds="不服", **kwargs):
    service = services.review_request if kind == "review" else services.recheck_request
    evidence = evidence or visit_by_the_petitioner(reference)
    with act(office):
        return service(
            reference=reference, officer=staff(office), grounds=grounds, evidence=evidence, **kwargs
        )


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
    # The same person, anywhere in the province: registered, but never routed (终结 sticks:
    # tests/exchange/test_finality.py).
    for office in ("xihu", "yinzhou"):
        again = register(office, petitioners=people)
        with act(office), pytest.raises(ServiceError) as error:
            cases_services.petition_route(petition=again, officer=staff(office))
        assert error.value.code == "MATTER_TERMINATED"
    # And the matter itself cannot travel again.
    with pytest.raises(ServiceError) as error:
        request(act, staff, "hangzhou", "review", copies["xihu"].reference)
    assert error.value.code == "MATTER_TERMINATED"


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


def test_a_review_opinion_cannot_be_reviewed_again_only_rechecked(offices, staff, register, act):
    """The ladder (Arts 35–36): 复查 of a handling opinion, 复核 of the review opinion, 终结."""
    petition = replied(offices, register("xihu"), days_ago=3)
    review = opinion(act, staff, "hangzhou",
                     request(act, staff, "hangzhou", "review", petition.reference))  # fmt: skip
    with pytest.raises(ServiceError) as error:  # a 复查 of the 复查 opinion, at the province
        request(act, staff, "zhejiang", "review", review.receiver_reference)
    assert error.value.code == "NOT_A_HANDLING_OPINION"
    with pytest.raises(ServiceError) as error:  # a 复核 of a handling opinion
        request(act, staff, "hangzhou", "recheck", petition.reference)
    assert error.value.code == "NOT_A_REVIEW"
    asked = request(act, staff, "zhejiang", "recheck", review.receiver_reference)
    recheck = opinion(act, staff, "zhejiang", asked)
    assert copies_of(offices, petition.matter_id)["zhejiang"].status == Status.TERMINATED
    assert recheck.status == HandoffStatus.ANSWERED


def test_a_review_needs_the_petitioner_and_records_the_evidence(offices, staff, register, act):
    people = [PetitionerInput(name="孙七", id_number=factories.id_number())]
    with act("xihu"):
        registration = factories.petition(officer=staff("xihu"), petitioners=people)
    petition = replied(offices, registration.petition, days_ago=2)
    stranger = services.ReviewEvidence(kind="visit", id_number=factories.id_number())
    for evidence in (None, stranger, services.ReviewEvidence(kind="query_code", query_code="X")):
        with pytest.raises(ServiceError) as error, act("hangzhou"):
            services.review_request(reference=petition.reference, officer=staff("hangzhou"),
                                    grounds="不服", evidence=evidence)  # fmt: skip
        assert (error.value.code, error.value.field) == ("PETITIONER_NOT_VERIFIED", "evidence")
    assert not Handoff.objects.filter(matter_id=petition.matter_id).exists()
    code = services.ReviewEvidence(kind="query_code", query_code=registration.query_code)
    request(act, staff, "hangzhou", "review", petition.reference, evidence=code)
    with act("xihu"):
        event = petition.events.get(kind="review_requested")
    assert event.data["evidence"] == {"kind": "query_code", "verified": "query_code"}
    assert registration.query_code not in str(event.data)


@pytest.mark.parametrize(("offset", "error"), [(-1, "DATE_OUT_OF_RANGE"), (1, "DATE_IN_FUTURE")])
def test_a_review_request_date_lies_between_the_opinion_and_today(
    offices, staff, register, act, offset, error
):
    petition = replied(offices, register("xihu"), days_ago=4)
    reply_day = timezone.localdate(petition.replied_at)
    on = (reply_day if offset < 0 else timezone.localdate()) + datetime.timedelta(days=offset)
    with pytest.raises(ServiceError) as raised:  # 2000-01-01, or tomorrow
        request(act, staff, "hangzhou", "review", petition.reference, requested_on=on)
    assert (raised.value.code, raised.value.field) == (error, "requestedOn")


def test_the_opinions_tell_where_to_go_next(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=2)
    review = opinion(act, staff, "hangzhou",
                     request(act, staff, "hangzhou", "review", petition.reference))  # fmt: skip
    opinion(act, staff, "zhejiang",
            request(act, staff, "zhejiang", "recheck", review.receiver_reference))  # fmt: skip
    with act("xihu"):  # the review opinion, back where the petitioner asked
        text = petition.events.get(kind="review_opinion_received").data["document"]["text"]
    assert "30日内向浙江省信访局请求复核" in text
    with act("hangzhou"):  # the re-review opinion, back at the reviewing office
        event = Petition.objects.get(pk=review.receiver_petition_id).events.get(
            kind="recheck_opinion_received"
        )
    assert "不再受理" in event.data["document"]["text"]


def test_a_review_key_reused_with_other_grounds_or_date_is_refused(offices, staff, register, act):
    petition = replied(offices, register("xihu"), days_ago=5)
    asked = partial(request, act, staff, "hangzhou", "review", petition.reference,
                    idempotency_key="r-1")  # fmt: skip
    first = asked()
    assert asked().pk == first.pk
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for changed in ({"requested_on": yesterday}, {"grounds": "另有理由"}):
        with pytest.raises(ServiceError) as error:
            asked(**changed)
        assert error.value.code == "IDEMPOTENCY_KEY_REUSED"
