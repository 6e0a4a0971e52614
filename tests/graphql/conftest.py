"""Schema-wide GraphQL tests use the handoff fixtures."""

from tests.exchange.conftest import act, register, staff  # noqa: F401
