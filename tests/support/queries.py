"""Bounded SQL: how many statements a block runs, counted the one way every test counts them."""

import contextlib
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Statements:
    """The SQL a block ran, without django-tenants' `SET search_path` (its count depends on
    TENANT_LIMIT_SET_CALLS, not on the code under test)."""

    sql: list[str] = field(default_factory=list)


@contextlib.contextmanager
def assert_queries(expected: int):
    """`with assert_queries(4) as ran:` the block runs exactly 4 statements (`ran.sql` lists
    them); otherwise the test fails and prints every statement it ran."""
    ran = Statements()
    with CaptureQueriesContext(connection) as captured:
        yield ran
    ran.sql = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")
    ]
    listing = "\n".join(f"{i}. {sql}" for i, sql in enumerate(ran.sql, 1))
    assert len(ran.sql) == expected, f"{len(ran.sql)} statements, expected {expected}:\n{listing}"
