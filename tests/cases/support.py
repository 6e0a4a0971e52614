"""Petitions in a given workflow state, built through the real services."""

from tests import factories
from xinfang.platform.cases import services
from xinfang.platform.cases.models import Petition
from xinfang.platform.resolution import services as resolution

# Every closure records its outcome (四到位).
SOLVED = resolution.OutcomeInput(kind="solved", summary="已按标准足额发放补偿款")

ORDER = ["routed", "accepted", "in_handling", "replied", "evaluated", "closed"]


def petition_at(status: str, *, officers: dict, **fields) -> Petition:
    """A petition of the current office brought to `status` through the workflow services."""
    petition = factories.petition(officer=officers["registrar"], **fields).petition
    steps = {
        "routed": lambda p: services.petition_route(petition=p, officer=officers["registrar"]),
        "accepted": lambda p: services.petition_accept(petition=p, officer=officers["registrar"]),
        "in_handling": lambda p: services.petition_assign(
            petition=p, officer=officers["leader"], handler=officers["handler"]
        ),
        "replied": lambda p: services.petition_reply(
            petition=p, officer=officers["handler"], opinion="经调查，依法答复如下。"
        ),
        "evaluated": lambda p: services.petition_evaluate(
            petition=p, officer=officers["registrar"], satisfaction="satisfied"
        ),
        "closed": lambda p: resolution.petition_close(
            petition=p, officer=officers["leader"], outcome=SOLVED
        ),
    }
    if status == "registered":
        return petition
    for name in ORDER[: ORDER.index(status) + 1]:
        petition = steps[name](petition)
    return petition
