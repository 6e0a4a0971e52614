"""Helpers of the benchmarks that build many offices."""

import os

from django.db import connection

from xinfang.tenants.models import Office


def machine_load() -> str:
    """The 1-minute load average, printed next to every figure (2 cores shared by many runs)."""
    return f"load {os.getloadavg()[0]:.1f}"


def drop_offices(codes: list[str], *, per_statement: int = 20) -> None:
    """Drop offices' schemas (several per statement: thousands of them otherwise take minutes)
    and rows, children before parents (an office's parent is protected)."""
    schemas = list(Office.objects.filter(code__in=codes).values_list("schema_name", flat=True))
    for i in range(0, len(schemas), per_statement):
        names = ", ".join(f'"{s}"' for s in schemas[i : i + per_statement])
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {names} CASCADE")
    for level in ("county", "city", "province"):
        Office.objects.filter(code__in=codes, level=level).delete()
