"""Petitions brought to a state through the real services, for resolution tests."""

from tests.cases.support import petition_in
from xinfang.platform.cases import services as cases_services


def replied(staff, **fields):
    """A petition of the current office with its written opinion."""
    return petition_in("replied", staff=staff, **fields)


def evaluate(petition, staff, satisfaction):
    return cases_services.petition_evaluate(
        petition=petition, officer=staff["registrar"], satisfaction=satisfaction
    )
