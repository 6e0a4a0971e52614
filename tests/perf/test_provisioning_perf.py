"""How long provisioning an office takes with each schema strategy: the first one, and 500 in a row.

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_provisioning_perf.py -s`). Offices are
committed (as in production) and dropped again at the end of each measurement.
"""

import os
import time

import pytest
from django.db import connection

from tests.perf.offices import drop_offices
from xinfang.tenants.provisioning import OfficeSpec, ensure_template_schema, provision_office

COUNT = int(os.environ.get("XINFANG_BENCH_OFFICES", "500"))


def city_specs(n: int) -> list[OfficeSpec]:
    """Enough synthetic cities under Zhejiang to hold n counties (99 per city)."""
    return [
        OfficeSpec(f"33{50 + i:02d}00", f"基准市{i}", "city", "330000", f"b33{50 + i}00.localhost")
        for i in range((n + 98) // 99)
    ]


def county_specs(cities: list[OfficeSpec], n: int) -> list[OfficeSpec]:
    specs = []
    for i in range(n):
        code = f"{cities[i // 99].code[:4]}{i % 99 + 1:02d}"
        specs.append(
            OfficeSpec(code, f"基准县{i}", "county", code[:4] + "00", f"b{code}.localhost")
        )
    return specs


@pytest.mark.parametrize("strategy", ["migrate", "clone", "template"])
def test_provisioning_time_per_office(committed, strategy):
    ensure_template_schema()
    cities = city_specs(COUNT)
    counties = county_specs(cities, COUNT)
    try:
        for spec in cities:
            provision_office(spec, strategy="template")
        started = time.perf_counter()
        provision_office(counties[0], strategy=strategy)
        first = time.perf_counter() - started
        started = time.perf_counter()
        for spec in counties[1:]:
            provision_office(spec, strategy=strategy)
        rest = (time.perf_counter() - started) / (COUNT - 1)
        print(
            f"\n[provisioning] {strategy:8s} 1 office: {first * 1000:.0f} ms | "
            f"{COUNT} offices: {rest * 1000:.0f} ms per office, {rest * COUNT:.0f} s in all"
        )
    finally:
        # A fresh backend: the one that built the schemas caches metadata for all of them, and
        # every DROP would make it rebuild those caches.
        connection.close()
        drop_offices([s.code for s in counties + cities])
