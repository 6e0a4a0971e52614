"""Petitions brought to a state through the real services, for resolution tests."""

from tests.cases.support import petition_at
from xinfang.platform.cases import services as cases_services


def replied(staff, **fields):
    """A petition of the current office with its written opinion."""
    return petition_at("replied", officers=staff, **fields)


def evaluate(petition, staff, satisfaction):
    return cases_services.petition_evaluate(
        petition=petition, officer=staff["registrar"], satisfaction=satisfaction
    )
