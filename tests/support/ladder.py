"""A matter taken up the ladder (Arts 35–36), the one walk every test that needs a real re-review
uses: 复查 at the office one level above the office that replied, its opinion, 复核 at the office
above the reviewing office, its opinion — after which the matter is terminated (终结) in the
province and each office's copy may be terminated (`cases.services.petition_terminate`)."""

from django_tenants.utils import tenant_context

from tests import factories
from xinfang.platform.exchange import services
from xinfang.tenants.models import Office


def petitioner_visit(petition):
    """The petitioner came in person: the ID card shown is the petition's first petitioner's."""
    with tenant_context(office_of(petition)):
        person = petition.petitioners.order_by("pk").first()
        return services.ReviewEvidence(kind="visit", id_number=person.id_number)


def office_of(petition):
    return Office.objects.get(code=petition.reference.split("-")[0])


def rereviewed(
    petition, *, evidence=None, officers=None, review="维持原处理意见", recheck="复核维持"
):
    """Take a replied petition's matter through review and re-review, with the petitioner's
    `evidence` (default: their ID card on a visit), by `officers` ({office code: an officer with
    the registrar and leader roles}; default: new ones); returns the answered re-review handoff,
    whose `receiver_reference` is what a termination cites."""
    officers = officers or {}
    evidence = evidence or petitioner_visit(petition)
    reviewing = office_of(petition).parent
    reference, handoff = petition.reference, None
    for ask, office, opinion in (
        (services.review_request, reviewing, review),
        (services.recheck_request, reviewing.parent, recheck),
    ):
        with tenant_context(office):
            officer = officers.get(office.code) or factories.officer(roles=("registrar", "leader"))
            handoff = ask(reference=reference, officer=officer, grounds="不服", evidence=evidence)
            handoff = services.review_opinion_issue(
                handoff_id=handoff.pk, officer=officer, opinion=opinion
            )
        reference = handoff.receiver_reference
    return handoff
