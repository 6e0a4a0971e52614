"""Resolution fixtures: officers of Xihu by role, petitions in a workflow state, and the search
fixtures (collective alerts come from the real detection over Elasticsearch)."""

import pytest

from tests import factories
from tests.search.conftest import index_now  # noqa: F401


@pytest.fixture
def staff(db, offices, in_office):
    """Officers of Xihu: registrar, leader, a second leader, handler, supervisor."""
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "leader2": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
            "supervisor": factories.officer(roles=("supervisor",)),
        }
