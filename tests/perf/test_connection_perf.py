"""Backend memory and request latency as one connection wanders over every office of the country.

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_connection_perf.py
-s -p no:cacheprovider --override-ini addopts=`; `XINFANG_BENCH_NATIONAL_LIMIT` bounds the
offices). A request-shaped round robin (the petitions list's tables, then the request boundary's
`close_old_connections`) over 100, 1,000 and every office, with connection recycling off and at
the default `XINFANG_CONN_MAX_SCHEMAS`; after each, the PostgreSQL backend's memory (all of it and
its catalogue cache) and p50/p95 of a 50-petition GraphQL list on one office.
"""

import statistics
import time

import pytest
from django.db import close_old_connections, connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.perf.offices import machine_load
from xinfang.platform.accounts.models import Officer
from xinfang.platform.cases.models import Petition, PetitionEvent

LIST = """query { petitions(first: 50) { edges { node { id reference status
  petitioners { name } handler { username } } } } }"""


def backend_memory_mb() -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(total_bytes), sum(total_bytes) FILTER (WHERE name = 'CacheMemoryContext' "
            "OR parent = 'CacheMemoryContext') FROM pg_backend_memory_contexts"
        )
        total, cache = cursor.fetchone()
    return total / 2**20, (cache or 0) / 2**20


def request_in(schema: str) -> None:
    connection.set_schema(schema)
    list(Petition.objects.select_related("handler").prefetch_related("petitioners")[:50])
    PetitionEvent.objects.exists()
    Officer.objects.exists()
    connection.set_schema_to_public()
    close_old_connections()  # what Django does at every request boundary


@pytest.fixture
def listing_office(offices, client_for):
    """xihu with 50 petitions and a logged-in officer (the benchmark database is dropped after)."""
    with tenant_context(offices["xihu"]):
        officer, _ = Officer.objects.get_or_create(
            username="bench-list", defaults={"roles": ["registrar"]}
        )
        for _ in range(50 - Petition.objects.count()):
            factories.petition(officer)
        client = client_for("xihu")
        client.force_login(officer)
    return client


def list_latency(client) -> tuple[float, float]:
    samples = []
    for _ in range(30):
        started = time.perf_counter()
        response = client.post("/graphql/", {"query": LIST}, content_type="application/json")
        samples.append((time.perf_counter() - started) * 1000)
        assert "errors" not in response.json(), response.json()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


@pytest.mark.parametrize("max_schemas", [100_000, 100], ids=["recycling-off", "recycling-100"])
def test_backend_memory_stays_bounded_over_every_office(
    committed, national_offices, listing_office, settings, max_schemas
):
    settings.XINFANG_CONN_MAX_SCHEMAS = max_schemas
    connection.close()
    marks = sorted({100, 1000, len(national_offices)} & set(range(1, len(national_offices) + 1)))
    for i, schema in enumerate(national_offices, start=1):
        request_in(schema)
        if i in marks:
            total, cache = backend_memory_mb()
            p50, p95 = list_latency(listing_office)
            print(
                f"\n[connections max_schemas={max_schemas}] after {i} offices: backend "
                f"{total:.0f} MB (catalogue cache {cache:.0f} MB); petitions list on one "
                f"office p50 {p50:.0f} ms, p95 {p95:.0f} ms ({machine_load()})"
            )
    if max_schemas == 100:
        assert len(connection.schemas_visited) <= 101
