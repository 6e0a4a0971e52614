"""Migrating every office schema at national scale: a release in minutes, not half an hour.

django-tenants' `migrate_schemas` opens the schemas one by one and runs Django's `migrate` in
each. Django first checks for the migrations table through introspection, which scans all of
`pg_class` (every relation of every office) several times per schema: the total grows with the
square of the number of offices (744 ms per schema at 3,227 offices). This runner:

1. compares one recorded migration state per schema (`SchemaState`, in the public schema) with
   the state on disk, so schemas already current cost one shared query, not one visit each;
2. reads the applied migrations of the others with one query per batch;
3. groups schemas by the migrations they lack and applies them in batches — several schemas per
   transaction, in parallel processes — recording each schema's new state in that transaction;
4. resumes where it stopped (a committed batch is recorded), and isolates a failing office by
   retrying its batch one schema at a time, so one broken office never stops the others.

The record is a cache of each schema's `django_migrations` table: a schema whose record differs
from the disk state is read for real before anything is applied, so `migrate_schemas` run by
hand, a restored backup or an unrecorded schema is handled correctly (`verify=True` rereads all).
"""

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from weakref import WeakKeyDictionary

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connection, connections, migrations, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.models.signals import post_migrate
from django.utils import timezone

from xinfang.tenants.models import Office, SchemaState

Node = tuple[str, str]  # (app label, migration name)


def tenant_app_labels() -> set[str]:
    """Labels of the apps whose tables live in every office schema."""
    configs = global_apps.get_app_configs()
    return {c.label for c in configs if c.name in settings.TENANT_APPS}


def disk_loader() -> MigrationLoader:
    """The migration graph on disk; no database read (`applied_by_schema` reads the schemas)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def full_plan(loader: MigrationLoader) -> list[Node]:
    """Every migration of every app, in an order that respects dependencies."""
    plan: list[Node] = []
    seen: set[Node] = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for node in loader.graph.forwards_plan(leaf):
            if node not in seen:
                seen.add(node)
                plan.append(node)
    return plan


def tenant_plan(loader: MigrationLoader) -> list[Node]:
    labels = tenant_app_labels()
    return [node for node in full_plan(loader) if node[0] in labels]


def state_digest(nodes: Iterable[Node]) -> str:
    """One value naming a migration state: equal digests, equal applied sets."""
    return hashlib.sha256(repr(sorted(nodes)).encode()).hexdigest()


@functools.cache
def disk_digest() -> str:
    """The migration state on disk (fixed for the life of a process)."""
    return state_digest(tenant_plan(disk_loader()))


def record_current(schema_names: Sequence[str]) -> None:
    """Record schemas as current (provisioning builds them from the migrated template)."""
    _record(dict.fromkeys(schema_names, disk_digest()))


def _record(digests: dict[str, str]) -> None:
    now = timezone.now()
    SchemaState.objects.bulk_create(
        [SchemaState(schema_name=s, digest=d, migrated_at=now) for s, d in digests.items()],
        update_conflicts=True,
        unique_fields=["schema_name"],
        update_fields=["digest", "migrated_at"],
    )


def applied_by_schema(schema_names: Sequence[str]) -> dict[str, set[Node]]:
    """Applied migrations of many schemas: one catalogue lookup and one UNION query."""
    if not schema_names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND n.nspname = ANY(%s)",
            [list(schema_names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        applied: dict[str, set[Node]] = {name: set() for name in schema_names}
        if with_table:
            union = " UNION ALL ".join(
                f"SELECT %s, app, name FROM {connection.ops.quote_name(s)}.django_migrations"
                for s in with_table
            )
            cursor.execute(union, with_table)
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    return applied


@dataclass
class Outcome:
    """What a run did, by office schema."""

    current: list[str] = field(default_factory=list)  # nothing to do
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # schema → error


def pending_schemas(
    loader: MigrationLoader, *, verify: bool = False
) -> tuple[dict[tuple[Node, ...], list[str]], list[str], str]:
    """Schemas grouped by the migrations they lack; the schemas already current; the target."""
    target_nodes = tenant_plan(loader)
    target = state_digest(target_nodes)
    schemas = list(
        Office.objects.exclude(kind=Office.Kind.PLATFORM).values_list("schema_name", flat=True)
    )
    recorded = dict(
        SchemaState.objects.filter(schema_name__in=schemas).values_list("schema_name", "digest")
    )
    unsure = [s for s in schemas if verify or recorded.get(s) != target]
    current = [s for s in schemas if not verify and recorded.get(s) == target]
    groups: dict[tuple[Node, ...], list[str]] = defaultdict(list)
    newly_current: dict[str, str] = {}
    for chunk in _chunks(unsure, 500):
        for schema, applied in applied_by_schema(chunk).items():
            missing = tuple(node for node in target_nodes if node not in applied)
            if missing:
                groups[missing].append(schema)
            else:
                newly_current[schema] = target
    if newly_current:
        _record(newly_current)
        current.extend(newly_current)
    return dict(groups), current, target


def migrate_offices(
    *,
    loader: MigrationLoader | None = None,
    batch_size: int = 20,
    processes: int | None = None,
    verify: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> Outcome:
    """Bring every office schema (and the template) to the state on disk."""
    loader = loader or disk_loader()
    groups, current, target = pending_schemas(loader, verify=verify)
    outcome = Outcome(current=current)
    progress(len(current))
    jobs = [
        (plan, batch) for plan, schemas in groups.items() for batch in _chunks(schemas, batch_size)
    ]
    if not jobs:
        return outcome
    processes = processes or settings.TENANT_MULTIPROCESSING_MAX_PROCESSES
    # Inside a caller's transaction everything must stay on its connection (and a fork would
    # share its socket): one process then.
    if processes <= 1 or len(jobs) == 1 or connection.in_atomic_block:
        for plan, batch in jobs:
            _merge(outcome, _migrate_batch(loader, plan, batch, target), progress)
        return outcome
    connections.close_all()  # children must not share the parent's socket
    _worker_loader[:] = [loader]
    with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(_migrate_batch_in_child, plan, batch, target) for plan, batch in jobs
        ]
        for future in as_completed(futures):
            _merge(outcome, future.result(), progress)
    return outcome


def _merge(outcome: Outcome, result: Outcome, progress: Callable[[int], None]) -> None:
    outcome.migrated.extend(result.migrated)
    outcome.failed.update(result.failed)
    progress(len(result.migrated) + len(result.failed))


_worker_loader: list[MigrationLoader] = []  # set before the fork, read in the children


def _migrate_batch_in_child(plan: tuple[Node, ...], batch: list[str], target: str) -> Outcome:
    return _migrate_batch(_worker_loader[0], plan, batch, target)


def _migrate_batch(
    loader: MigrationLoader, plan: tuple[Node, ...], batch: list[str], target: str
) -> Outcome:
    """One transaction for the batch; if it fails, each schema alone, to find the broken one."""
    base = _state_before(loader, plan)
    if len(batch) > 1:
        try:
            _apply_in_one_transaction(loader, plan, batch, base, target)
            return Outcome(migrated=list(batch))
        except Exception:  # isolated below, one schema at a time
            pass
    outcome = Outcome()
    for schema in batch:
        try:
            _apply_in_one_transaction(loader, plan, [schema], base, target)
            outcome.migrated.append(schema)
        except Exception as exc:  # reported per office, the others go on
            outcome.failed[schema] = f"{type(exc).__name__}: {exc}"
    return outcome


def _apply_in_one_transaction(
    loader: MigrationLoader,
    plan: tuple[Node, ...],
    schemas: list[str],
    base: ProjectState,
    target: str,
) -> None:
    try:
        with transaction.atomic():
            for schema in schemas:
                _apply(loader, plan, schema, base)
            connection.set_schema_to_public()
            _record(dict.fromkeys(schemas, target))
    finally:
        connection.set_schema_to_public()


_states: WeakKeyDictionary[MigrationLoader, dict[tuple[Node, ...], ProjectState]] = (
    WeakKeyDictionary()
)


def _state_before(loader: MigrationLoader, plan: tuple[Node, ...]) -> ProjectState:
    """The project state every schema of the group is in: all migrations but the plan's.

    Built once per process and plan (tens of milliseconds), cloned for each schema.
    """
    states = _states.setdefault(loader, {})
    if plan not in states:
        pending = set(plan)
        state = ProjectState(real_apps=loader.unmigrated_apps)
        for node in full_plan(loader):
            if node not in pending:
                state = loader.graph.nodes[node].mutate_state(state, preserve=False)
        states[plan] = state
    return states[plan]


def _apply(
    loader: MigrationLoader, plan: tuple[Node, ...], schema: str, base: ProjectState
) -> None:
    """Apply the plan in one schema (inside the caller's transaction) and record it there."""
    connection.set_schema(schema)
    statements = _plan_sql(loader, plan, base)
    with connection.cursor() as cursor:
        if statements is None:  # an operation that is not SQL (RunPython): the full machinery
            state = base.clone()
            for node in plan:
                with connection.schema_editor(atomic=False) as editor:
                    state = loader.graph.nodes[node].apply(state, editor)
        elif statements:
            cursor.execute("\n".join(statements))
        cursor.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            [(app, name, timezone.now()) for app, name in plan],
        )
    if _changes_models(loader, plan):  # content types and permissions of new models, as migrate
        for config in global_apps.get_app_configs():
            if config.label in {app for app, _ in plan}:
                post_migrate.send(
                    sender=config, app_config=config, verbosity=0, interactive=False,
                    using=connection.alias, apps=global_apps, plan=[],
                )  # fmt: skip


_sql: WeakKeyDictionary[MigrationLoader, dict[tuple[Node, ...], list[str] | None]] = (
    WeakKeyDictionary()
)


def _plan_sql(
    loader: MigrationLoader, plan: tuple[Node, ...], base: ProjectState
) -> list[str] | None:
    """The plan's SQL, written once and replayed in every schema of the group.

    Django's statements name tables unqualified, so with each schema's `search_path` the same text
    migrates every schema — rendering the models and planning the operations (most of the cost of
    a migration) happens once per process instead of once per office. Written from the current
    schema, which is in the group's state. None when an operation cannot be written as SQL.
    """
    written = _sql.setdefault(loader, {})
    if plan not in written:
        operations = [op for node in plan for op in loader.graph.nodes[node].operations]
        if not all(op.reduces_to_sql for op in operations):
            written[plan] = None
        else:
            state, statements = base.clone(), []
            for node in plan:
                with connection.schema_editor(collect_sql=True, atomic=False) as editor:
                    state = loader.graph.nodes[node].apply(state, editor, collect_sql=True)
                statements.extend(s for s in editor.collected_sql if not s.startswith("--"))
            written[plan] = statements
    return written[plan]


def _changes_models(loader: MigrationLoader, plan: tuple[Node, ...]) -> bool:
    """Whether the plan changes what post_migrate writes in each office: the content types and
    permissions of new or renamed models, or of changed permission options. Anything else (a new
    column, a new ordering) skips its queries in every schema of the country."""
    for node in plan:
        for op in loader.graph.nodes[node].operations:
            if isinstance(op, migrations.CreateModel | migrations.RenameModel):
                return True
            if isinstance(op, migrations.AlterModelOptions) and (
                {"permissions", "default_permissions"} & set(op.options)
            ):
                return True
    return False


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
