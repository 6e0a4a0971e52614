"""Search fixtures: index petitions of an office and make them searchable now. The index family
itself (`search_index`, `es_index`) is in tests/conftest.py: the outbox's tests use it too."""

import pytest
from django_tenants.utils import tenant_context

from xinfang.search.client import es_client
from xinfang.search.indexing import index_petition


@pytest.fixture
def index_now(offices, es_index):
    """`index_now("xihu", petition, ...)`: index petitions of that office and refresh."""

    def run(name: str, *petitions):
        with tenant_context(offices[name]):
            for petition in petitions:
                index_petition(petition.pk)
        es_client().indices.refresh(index=es_index)

    return run
