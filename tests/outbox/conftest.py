import pytest
from django_tenants.utils import tenant_context

from tests import factories


@pytest.fixture
def staff(db, offices):
    """Xihu's registrar (in the test's transaction)."""
    with tenant_context(offices["xihu"]):
        return {"registrar": factories.officer(roles=("registrar",))}
