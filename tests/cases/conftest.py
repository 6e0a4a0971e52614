"""Helpers for petition tests: GraphQL calls, officers per role, petitions in a given state."""

import pytest

from tests import factories


@pytest.fixture
def xihu_staff(offices, in_office):
    """Officers of Xihu by role: registrar, leader, handler, supervisor, and a second handler."""
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
            "handler2": factories.officer(roles=("handler",)),
            "supervisor": factories.officer(roles=("supervisor",)),
        }
