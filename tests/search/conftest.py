"""Search fixtures: a fresh index family for this run (under this instance's prefix), emptied
before each test, and helpers to index petitions of an office and make them searchable now."""

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context
from elasticsearch.helpers import bulk, scan

from xinfang.search import documents
from xinfang.search.client import es_client
from xinfang.search.indexing import index_petition


@pytest.fixture(scope="session")
def search_index(real_services):
    """Drop and recreate this run's index family (only indices under our own prefix)."""
    assert documents.alias_name().startswith(settings.ELASTICSEARCH_INDEX_PREFIX + "_")
    documents.drop_family()
    documents.ensure_index()
    yield documents.alias_name()
    documents.drop_family()


@pytest.fixture
def es_index(search_index):
    """The live index, empty at the start of the test."""
    client = es_client()
    documents.ensure_index()
    client.indices.refresh(index=search_index)
    ids = [hit["_id"] for hit in scan(client, index=search_index, _source=False)]
    if ids:  # no _delete_by_query in the server core (it lives in the reindex module)
        bulk(client, ({"_op_type": "delete", "_index": search_index, "_id": i} for i in ids))
        client.indices.refresh(index=search_index)
    return search_index


@pytest.fixture
def index_now(offices, es_index):
    """`index_now("xihu", petition, ...)`: index petitions of that office and refresh."""

    def run(name: str, *petitions):
        with tenant_context(offices[name]):
            for petition in petitions:
                index_petition(petition.pk)
        es_client().indices.refresh(index=es_index)

    return run
