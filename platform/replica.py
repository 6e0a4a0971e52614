"""Cross-office reads on the streaming replica, within a bounded lag.

The supervision overview, the subtree metrics and search read public-schema rows of whole
subtrees (the registry, handoffs, orders, monthly rollups): the heaviest reads, and none needs the
last millisecond. With `XINFANG_REPLICA_URL` set (the `replica` database alias, a hot standby),
`cross_office_reads()` sends the reads of public-schema models to the replica while its lag is
under `XINFANG_REPLICA_MAX_LAG` seconds; otherwise, inside a transaction, and for office-schema
models (whose search path is the primary connection's), reads stay on the primary. Writes always
go to the primary.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
_PROBE_EVERY = 1.0  # seconds a lag reading is trusted, per process

_in_scope: ContextVar[bool] = ContextVar("cross_office_reads", default=False)
_last_probe: dict[str, float] = {"at": float("-inf"), "lag": float("inf")}


@contextmanager
def cross_office_reads() -> Iterator[None]:
    """Within: reads of public-schema models may be served by the replica."""
    token = _in_scope.set(True)
    try:
        yield
    finally:
        _in_scope.reset(token)


def replica_lag() -> float:
    """Seconds the replica's replay is behind (0 when it has replayed all it received; infinity
    when it does not answer). Read at most once a second per process."""
    now = time.monotonic()
    if now - _last_probe["at"] >= _PROBE_EVERY:
        _last_probe.update(at=now, lag=_measure_lag())
    return _last_probe["lag"]


def _measure_lag() -> float:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN NOT pg_is_in_recovery() "
                "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"
            )
            lag = cursor.fetchone()[0]
    except DatabaseError as exc:
        logger.warning("replica unavailable, reading from the primary: %s", exc)
        connections[REPLICA].close()
        return float("inf")
    return float(lag or 0)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Routes cross-office reads (in `cross_office_reads()`) to the replica; nothing else."""

    def db_for_read(self, model, **hints):
        if not (_in_scope.get() and replica_configured()):
            return None
        if connections["default"].in_atomic_block:  # a transaction reads its own writes
            return None
        if model._meta.app_config.name in settings.TENANT_APPS:
            return None
        return REPLICA if replica_lag() <= settings.XINFANG_REPLICA_MAX_LAG else None

    def allow_relation(self, obj1, obj2, **hints):
        """The replica holds the primary's rows: objects read from either may be related."""
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None
