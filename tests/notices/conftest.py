import pytest

from tests import factories
from xinfang.platform.cases.services import PetitionerInput


@pytest.fixture
def staff(db, offices, in_office):
    """Officers of Xihu by role (in the test's transaction)."""
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
        }


def person(**fields) -> PetitionerInput:
    """A petitioner reachable by e-mail only, unless told otherwise."""
    return PetitionerInput(
        **{"name": "李四", "id_number": factories.id_number(), "email": "lisi@example.com",
           **fields}
    )  # fmt: skip
