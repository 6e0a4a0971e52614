"""The steps a petitioner takes themself online, through the same services officers use: rating
(and the re-handling a dissatisfied rating starts) and asking for review with the query code."""

import pytest

from tests.cases.support import petition_at
from xinfang.platform.cases import services, workflow
from xinfang.platform.cases.models import Evaluation, PetitionEvent
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services as exchange
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.resolution.models import Reopening

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied(xihu_staff, in_office):
    with in_office("xihu"):
        return petition_at("replied", officers=xihu_staff)


def test_the_petitioner_rates_without_an_officer(replied, in_office):
    with in_office("xihu"):
        services.petition_evaluate(petition=replied, officer=None, satisfaction="satisfied",
                                   comment="办得好", by_petitioner=True)  # fmt: skip
        rating = Evaluation.objects.get(petition=replied)
        event = PetitionEvent.objects.get(petition=replied, kind="evaluate")
    assert (rating.satisfaction, rating.recorded_by) == ("satisfied", None)
    assert rating.comment == "办得好"
    assert (event.actor, event.data["by"]) == (None, workflow.PETITIONER)


def test_a_dissatisfied_online_rating_reopens_the_matter(replied, in_office):
    with in_office("xihu"):
        services.petition_evaluate(
            petition=replied, officer=None, satisfaction="dissatisfied", by_petitioner=True
        )
        replied.refresh_from_db()
        assert replied.status == "in_handling"
        assert Reopening.objects.get(petition=replied).by is None


def test_without_an_officer_nobody_rates_unless_it_is_the_petitioner(replied, in_office):
    with in_office("xihu"), pytest.raises(ServiceError) as error:
        services.petition_evaluate(petition=replied, officer=None, satisfaction="satisfied")
    assert error.value.code == "NOT_AUTHENTICATED"


def test_the_petitioner_takes_no_officer_step(replied, in_office, xihu_staff):
    with in_office("xihu"):
        locked = services.lock_petition(replied)
        with pytest.raises(ServiceError) as error:
            workflow.apply(locked, Transition.CLOSE, officer=None, by_petitioner=True)
        assert error.value.code == "PERMISSION_DENIED"
        with pytest.raises(ServiceError):  # nor an officer pretending to be the petitioner
            workflow.apply(
                locked, Transition.EVALUATE, officer=xihu_staff["registrar"], by_petitioner=True
            )


def _query_code(petition, in_office):
    """A fresh query code for the petition (the one the registration showed is not kept)."""
    code = services.make_query_code()
    with in_office("xihu"):
        type(petition).objects.filter(pk=petition.pk).update(
            query_code_hash=services.query_code_hash(petition.matter_id, code)
        )
    return code


def test_the_petitioner_asks_for_review_online_with_the_query_code(replied, in_office):
    code = _query_code(replied, in_office)
    evidence = exchange.ReviewEvidence(kind="query_code", query_code=code)
    with in_office("hangzhou"):
        handoff = exchange.review_request(reference=replied.reference, officer=None,
                                          grounds="适用政策有误", evidence=evidence)  # fmt: skip
    handoff = Handoff.objects.get(pk=handoff.pk)
    assert (handoff.kind, handoff.created_by, handoff.receiver_office.code) == (
        "review", "网上申请", "330100",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        (exchange.ReviewEvidence(kind="query_code", query_code="WRONGCODE234"),
         "PETITIONER_NOT_VERIFIED"),
        (exchange.ReviewEvidence(kind="visit", id_number="330106198001010011"),
         "NOT_AUTHENTICATED"),
    ],
    ids=["wrong-code", "no-officer-for-a-visit"],
)  # fmt: skip
def test_online_only_the_right_query_code_proves_the_petitioner(replied, in_office, evidence, code):
    with in_office("hangzhou"), pytest.raises(ServiceError) as error:
        exchange.review_request(reference=replied.reference, officer=None, grounds="理由",
                                evidence=evidence)  # fmt: skip
    assert error.value.code == code
