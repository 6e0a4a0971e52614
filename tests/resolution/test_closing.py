"""Every closure has its outcome (四到位), and a mediated one its agreement; investigation before
the opinion where the office wants it."""

import pytest

from tests.cases.support import petition_at
from tests.resolution.support import code_of
from xinfang.platform.cases import services as cases
from xinfang.platform.cases.models import Status
from xinfang.platform.errors import ServiceError
from xinfang.platform.resolution import services
from xinfang.platform.resolution.models import Outcome, ResolutionSettings
from xinfang.platform.resolution.services import OutcomeInput

pytestmark = pytest.mark.django_db


def test_a_closure_without_an_outcome_is_refused(staff, in_office):
    with in_office("xihu"):
        petition = petition_at("evaluated", officers=staff)
        assert (
            code_of(lambda: cases.petition_close(petition=petition, officer=staff["leader"]))
            == "OUTCOME_REQUIRED"
        )
        petition.refresh_from_db()
        assert petition.status == Status.EVALUATED


@pytest.mark.parametrize(
    ("kind", "detail", "field"),
    [
        ("explained", "law_cited", "outcome.lawCited"),
        ("assisted", "help_given", "outcome.helpGiven"),
        ("by_law", "legal_measure", "outcome.legalMeasure"),
    ],
)
def test_each_outcome_names_its_detail(staff, in_office, kind, detail, field):
    with in_office("xihu"):
        petition = petition_at("evaluated", officers=staff)
        with pytest.raises(ServiceError) as error:
            services.petition_close(
                petition=petition,
                officer=staff["leader"],
                outcome=OutcomeInput(kind=kind, summary="已办结"),
            )
        assert (error.value.code, error.value.field) == ("OUTCOME_DETAIL_REQUIRED", field)
        assert not Outcome.objects.filter(petition=petition).exists()
        closed = services.petition_close(
            petition=petition,
            officer=staff["leader"],
            outcome=OutcomeInput(kind=kind, summary="已办结", **{detail: "依据"}),
        )
        assert closed.status == Status.CLOSED
        assert closed.outcomes.get().kind == kind


def test_a_mediation_closes_a_matter_in_handling_with_its_agreement(staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=staff)
        assert (
            code_of(
                lambda: services.petition_mediate(
                    petition=petition,
                    officer=staff["leader"],
                    outcome=OutcomeInput(
                        kind="mediated",
                        summary="调解",
                        agreement_title="协议",
                        agreement_text="内容",
                        agreement_parties=["甲"],
                    ),
                )
            )
            == "AGREEMENT_REQUIRED"
        )
        closed = services.petition_mediate(
            petition=petition,
            officer=staff["leader"],
            version=petition.version,
            outcome=OutcomeInput(
                kind="solved",
                summary="调解成功",
                agreement_title="调解协议书",
                agreement_text="双方同意……",
                agreement_parties=["甲", "乙"],
            ),
        )
        assert closed.status == Status.CLOSED and closed.closed_at is not None
        assert closed.outcomes.get().kind == "mediated"
        assert closed.next_due is None


def test_the_opinion_waits_for_an_investigation_where_the_office_requires_it(staff, in_office):
    with in_office("xihu"):
        ResolutionSettings.objects.update_or_create(
            pk=1, defaults={"investigation_categories": ["01.01"]}
        )
        petition = petition_at("in_handling", officers=staff, category="01.01")
        other = petition_at("in_handling", officers=staff, category="02.01")
        reply = lambda p: cases.petition_reply(  # noqa: E731
            petition=p.pk, officer=staff["handler"], opinion="依法答复"
        )
        assert code_of(lambda: reply(petition)) == "INVESTIGATION_REQUIRED"
        assert reply(other).status == Status.REPLIED  # another kind of matter needs none
        services.investigation_record(
            officer=staff["handler"],
            petition=petition,
            mode="discreet",
            findings="属实",
            sources=[("petitioner", "陈述"), ("document", "补偿协议")],
        )
        assert reply(petition).status == Status.REPLIED
