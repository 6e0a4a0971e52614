"""Provisioning many offices at once (a province, the whole country): level by level, in parallel.

With the WAL a replica needs, most of an office's provisioning time is PostgreSQL waiting for the
disk: every btree index built (≈ 190 per office with the TOAST tables' — primary keys, unique
constraints, indexes) is written outside shared buffers, so PostgreSQL 15 fsyncs the new file
before the statement returns (`DataFileImmediateSync`: two thirds of the samples of an import at
3,216 offices). Several processes, each building its own offices in its own transactions, overlap
those waits with each other's work. During a first load (wal_level=minimal,
`XINFANG_PG_FIRST_LOAD=1`) a transaction's new files are synced once at its commit instead, and an
office costs CPU only: one process per core. An office's parent is built before it: each level
(provinces, cities, counties) is finished before the next starts.
"""

import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context

from django.conf import settings
from django.db import connection, connections
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import generated_password, officer_create
from xinfang.platform.errors import ServiceError
from xinfang.tenants import provisioning
from xinfang.tenants.divisions import Level
from xinfang.tenants.provisioning import OfficeSpec

CHUNK = 10  # offices per task handed to a process: small, so the processes finish together


@dataclass(frozen=True)
class Built:
    """One office's outcome: its provisioning time, or why it failed; its first admin's password."""

    spec: OfficeSpec
    ms: float = 0.0
    error: str = ""
    admin_password: str = ""


def provision_offices(
    specs: Sequence[OfficeSpec],
    *,
    strategy: str | None = None,
    with_admins: bool = False,
    processes: int | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> list[Built]:
    """Provision every spec (one transaction each), parents' levels first; a failure is reported
    in its `Built` and the others go on."""
    provisioning.ensure_template_schema()
    processes = processes or settings.XINFANG_PROVISIONING_PROCESSES or default_processes()
    results: list[Built] = []
    for _, level_specs in itertools.groupby(by_level(specs), key=_rank):
        level = list(level_specs)
        chunks = [level[i : i + CHUNK] for i in range(0, len(level), CHUNK)]
        # Inside a caller's transaction everything stays on its connection (a fork would share
        # its socket, and the offices must roll back with it): one process then.
        if processes <= 1 or len(chunks) == 1 or connection.in_atomic_block:
            for chunk in chunks:
                results.extend(_build(chunk, strategy, with_admins))
                progress(len(chunk))
            continue
        if (strategy or settings.XINFANG_SCHEMA_STRATEGY) == "template":
            provisioning.warm_template_dump()  # read once here, inherited by every child
        connections.close_all()  # children must not share the parent's socket
        with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
            futures = [pool.submit(_build, chunk, strategy, with_admins) for chunk in chunks]
            for future in as_completed(futures):
                built = future.result()
                results.extend(built)
                progress(len(built))
    return results


def default_processes() -> int:
    """One process per core when the database syncs a new office's files once, at its commit
    (wal_level=minimal); two per core when each index waits for its own fsync."""
    cores = os.cpu_count() or 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW wal_level")
        minimal = cursor.fetchone()[0] == "minimal"
    return cores if minimal else 2 * cores


def by_level(specs: Sequence[OfficeSpec]) -> list[OfficeSpec]:
    """Provinces, then cities, then counties (then anything else, which validation refuses)."""
    return sorted(specs, key=lambda s: (_rank(s), s.code))


def _rank(spec: OfficeSpec) -> int:
    return Level.ORDER.index(spec.level) if spec.level in Level.ORDER else len(Level.ORDER)


def _build(chunk: list[OfficeSpec], strategy: str | None, with_admins: bool) -> list[Built]:
    built = []
    for spec in chunk:
        started = time.perf_counter()
        try:
            office = provisioning.provision_office(spec, strategy=strategy)
        except ServiceError as exc:
            built.append(Built(spec, error=f"{exc.code}: {exc.message}"))
            continue
        ms = (time.perf_counter() - started) * 1000
        # a backend that built hundreds of schemas caches all their catalogue: start afresh
        connection.recycle_if_worn()
        built.append(Built(spec, ms=ms, admin_password=first_admin(office) if with_admins else ""))
    return built


def first_admin(office) -> str:
    """An officer `admin` (role admin) in the new office; returns the generated password."""
    password = generated_password()
    with tenant_context(office):
        officer_create(by=None, username="admin", password=password, roles=[Role.ADMIN])
    return password
