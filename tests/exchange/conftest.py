"""Fixtures for handoffs between the demo offices (all in one test database)."""

import pytest
from django_tenants.utils import tenant_context

from tests import factories

EVERY_ROLE = ("registrar", "handler", "leader", "supervisor")


@pytest.fixture
def staff(db, offices):
    """`staff("xihu")`: an officer of that office holding every working role (one per test)."""
    made = {}

    def make(name: str, roles=EVERY_ROLE):
        key = (name, tuple(roles))
        if key not in made:
            with tenant_context(offices[name]):
                made[key] = factories.officer(roles=roles)
        return made[key]

    return make


@pytest.fixture
def register(db, offices, staff):
    """`register("xihu", **fields)`: a petition registered in that office."""

    def make(name: str, **fields):
        with tenant_context(offices[name]):
            registration = factories.petition(officer=staff(name), **fields)
        return registration.petition

    return make


@pytest.fixture
def act(in_office):
    """`with act("xihu"):` runs a service as that office (its schema and tenant)."""
    return in_office
