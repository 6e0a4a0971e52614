"""Fixtures the benchmarks share."""

import os
import statistics
import time

import pytest
from django.db import connection

from tests.perf.test_provisioning_perf import drop_offices
from tests.support.divisions import national_divisions
from xinfang.tenants.models import Office
from xinfang.tenants.provisioning import OfficeSpec, ensure_template_schema, provision_office

NATIONAL_LIMIT = int(os.environ.get("XINFANG_BENCH_NATIONAL_LIMIT", "0"))


@pytest.fixture(scope="session")
def national_offices(offices, django_db_blocker):
    """Every office of the country (cpca's division list, or its first
    XINFANG_BENCH_NATIONAL_LIMIT), committed, provisioned once per session; printed: the
    provisioning time per office by tenth of the run, to see whether it stays flat."""
    rows = national_divisions()[: NATIONAL_LIMIT or None]
    with django_db_blocker.unblock():
        before = set(Office.objects.offices().values_list("code", flat=True))
        new = [r for r in rows if r[0] not in before]
        ensure_template_schema()
        timings = []
        started = time.perf_counter()
        try:
            for code, name, level, parent, host in new:
                t = time.perf_counter()
                provision_office(OfficeSpec(code, name, level, parent or None, host))
                timings.append((time.perf_counter() - t) * 1000)
            tenth = max(len(timings) // 10, 1)
            medians = [
                statistics.median(timings[i : i + tenth]) for i in range(0, len(timings), tenth)
            ]
            print(
                f"\n[provisioning] {len(new)} offices in {time.perf_counter() - started:.0f} s; "
                "median ms per office by tenth: " + " ".join(f"{m:.0f}" for m in medians[:10])
            )
            yield [f"office_{r[0]}" for r in new]
        finally:
            connection.set_schema_to_public()
            drop_offices([r[0] for r in new])
            connection.set_schema_to_public()
