"""The national-scale migration runner: skips current schemas unopened, migrates batches, isolates
a broken office. Each test runs inside the test's transaction (processes=1), so the DDL it applies
is rolled back with it; the parallel path runs in `tests/perf/test_migration_perf.py`."""

import pytest
from django.core.management import call_command
from django.db import connection, migrations, models
from django.db.models.signals import post_migrate

from xinfang.tenants.models import Office, SchemaState
from xinfang.tenants.schema_migrations import (
    applied_by_schema,
    disk_digest,
    disk_loader,
    migrate_offices,
)

PROBE = ("cases", "9999_probe_column")


def loader_with_probe(operation=None):
    """The migrations on disk plus one pending migration: a new nullable column on petitions."""
    loader = disk_loader()
    leaf = next(node for node in loader.graph.leaf_nodes() if node[0] == "cases")
    probe = migrations.Migration(PROBE[1], PROBE[0])
    probe.dependencies = [leaf]
    probe.operations = [
        operation or migrations.AddField("petition", "probe_note", models.TextField(null=True))
    ]
    loader.graph.add_node(PROBE, probe)
    loader.graph.add_dependency(probe, PROBE, leaf)
    return loader


def drop_probe(schema_names) -> None:
    """Undo the probe migration in committed schemas (tests and benchmarks that committed it)."""
    with connection.cursor() as cursor:
        for schema in schema_names:
            cursor.execute(
                f'ALTER TABLE "{schema}".cases_petition DROP COLUMN IF EXISTS probe_note;'
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                list(PROBE),
            )


def new_model_operation():
    """A pending migration that creates a model: a table with a key, a foreign key to petitions
    and its index, its content type and permissions in every office."""
    return migrations.CreateModel(
        "ProbeRecord",
        [
            ("id", models.BigAutoField(primary_key=True)),
            ("petition", models.ForeignKey("cases.petition", on_delete=models.CASCADE)),
            ("note", models.TextField(null=True)),
        ],
    )


def drop_probe_model(schema_names) -> None:
    """Undo the model-creating probe migration in committed schemas."""
    probe_type = "app_label = 'cases' AND model = 'proberecord'"
    with connection.cursor() as cursor:
        for schema in schema_names:
            cursor.execute(
                f'DROP TABLE IF EXISTS "{schema}".cases_proberecord;'
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s;'
                f'DELETE FROM "{schema}".auth_permission WHERE content_type_id IN '
                f'(SELECT id FROM "{schema}".django_content_type WHERE {probe_type});'
                f'DELETE FROM "{schema}".django_content_type WHERE {probe_type}',
                list(PROBE),
            )


def schemas() -> list[str]:
    return list(
        Office.objects.exclude(kind=Office.Kind.PLATFORM).values_list("schema_name", flat=True)
    )


def has_probe_column(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'cases_petition' AND column_name = 'probe_note'",
            [schema],
        )
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_provisioned_offices_are_recorded_current_and_skipped_unopened(
    offices, django_assert_max_num_queries
):
    assert set(SchemaState.objects.values_list("schema_name", flat=True)) >= set(schemas())
    SchemaState.objects.update(digest=disk_digest())  # the template may predate a test's edits
    with django_assert_max_num_queries(2):  # the offices and their records, whatever their number
        outcome = migrate_offices(processes=1)
    assert sorted(outcome.current) == sorted(schemas())
    assert outcome.migrated == [] and outcome.failed == {}


@pytest.mark.django_db
def test_a_pending_migration_reaches_every_schema_in_batches_and_is_recorded(offices):
    loader = loader_with_probe()
    outcome = migrate_offices(loader=loader, processes=1, batch_size=3)
    assert sorted(outcome.migrated) == sorted(schemas())
    assert all(has_probe_column(s) for s in schemas())
    assert all(PROBE in applied for applied in applied_by_schema(schemas()).values())
    again = migrate_offices(loader=loader, processes=1)
    assert again.migrated == [] and sorted(again.current) == sorted(schemas())


@pytest.mark.django_db
def test_an_unrecorded_schema_is_read_for_real_and_never_migrated_twice(offices):
    SchemaState.objects.filter(schema_name=offices["xihu"].schema_name).delete()
    SchemaState.objects.filter(schema_name=offices["ningbo"].schema_name).update(digest="stale")
    outcome = migrate_offices(processes=1)
    assert outcome.migrated == [] and outcome.failed == {}
    recorded = dict(SchemaState.objects.values_list("schema_name", "digest"))
    assert recorded[offices["xihu"].schema_name] == disk_digest()
    assert recorded[offices["ningbo"].schema_name] == disk_digest()


@pytest.mark.django_db
def test_a_broken_office_fails_alone_and_the_others_are_migrated(offices):
    broken = offices["yuhang"].schema_name
    with connection.cursor() as cursor:  # the column already exists there: ADD COLUMN fails
        cursor.execute(f'ALTER TABLE "{broken}".cases_petition ADD COLUMN probe_note text')
    outcome = migrate_offices(loader=loader_with_probe(), processes=1, batch_size=50)
    assert list(outcome.failed) == [broken]
    assert "probe_note" in outcome.failed[broken]
    assert sorted(outcome.migrated) == sorted(s for s in schemas() if s != broken)
    assert PROBE not in applied_by_schema([broken])[broken]
    assert (
        SchemaState.objects.get(schema_name=broken).digest
        != SchemaState.objects.get(schema_name=offices["xihu"].schema_name).digest
    )


@pytest.mark.django_db
def test_the_command_reports_current_migrated_and_failed(offices, capsys):
    call_command("migrate_offices", processes=1, verbosity=0)
    assert f"{len(schemas())} current, 0 migrated, 0 failed" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation, sends",
    [
        (migrations.AlterModelOptions("petition", {"ordering": ["-registered_at"]}), False),
        (migrations.AddField("petition", "probe_note", models.TextField(null=True)), False),
        (migrations.AlterModelOptions("petition", {"permissions": [("probe", "探针")]}), True),
        (new_model_operation(), True),
    ],
    ids=["new-ordering", "new-column", "new-permission", "new-model"],
)
def test_post_migrate_runs_in_each_office_only_for_new_content_types_or_permissions(
    offices, operation, sends
):
    """Its receivers (content types, then permissions) cost a third of a schema's migration."""
    received = []

    def note_schema(sender, **kwargs):
        received.append(connection.schema_name)

    post_migrate.connect(note_schema, weak=False)
    try:
        outcome = migrate_offices(loader=loader_with_probe(operation), processes=1)
    finally:
        post_migrate.disconnect(note_schema)
    assert sorted(outcome.migrated) == sorted(schemas())
    assert sorted(received) == (sorted(schemas()) if sends else [])


def test_parallel_processes_migrate_committed_schemas(committed, offices):
    """The production path: forked processes, each with its own connection, commit their batches."""
    loader = loader_with_probe()
    before = dict(SchemaState.objects.values_list("schema_name", "digest"))
    try:
        outcome = migrate_offices(loader=loader, processes=2, batch_size=2)
        assert sorted(outcome.migrated) == sorted(schemas()) and outcome.failed == {}
        assert all(has_probe_column(s) for s in schemas())
    finally:
        drop_probe(schemas())
        for schema, digest in before.items():
            SchemaState.objects.filter(schema_name=schema).update(digest=digest)
