"""Fixtures for supervision across the demo offices (the same helpers as tests/exchange)."""

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
def act(offices):
    """`with act("xihu"):` runs a service as that office (its schema and tenant)."""
    return lambda name: tenant_context(offices[name])


def petition_in(office, petition_id):
    """A petition read back from an office's schema (None when it is not there)."""
    from xinfang.platform.cases.models import Petition

    with tenant_context(office):
        return Petition.objects.filter(pk=petition_id).first()


def copies_of(offices, matter_id) -> dict:
    """Every office's copy of a matter, read in each office's schema: {office name: petition}."""
    from xinfang.platform.cases.models import Petition

    found = {}
    for name, office in offices.items():
        with tenant_context(office):
            petition = Petition.objects.filter(matter_id=matter_id).first()
        if petition is not None:
            found[name] = petition
    return found


def event_kinds(office, petition_id) -> list[str]:
    from xinfang.platform.cases.models import PetitionEvent

    with tenant_context(office):
        return list(
            PetitionEvent.objects.filter(petition_id=petition_id)
            .order_by("at", "id")
            .values_list("kind", flat=True)
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Officers are created by the dozen here; a slow hasher only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
