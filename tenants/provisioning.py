"""Creating offices: validate, then write Office and Domain rows and the schema in one transaction.

PostgreSQL DDL is transactional, so a failure anywhere leaves neither rows nor a half-built schema.

Three ways to build a schema (measured in the README, `XINFANG_SCHEMA_STRATEGY` picks one):
- ``migrate``: run every tenant migration in the new schema (cost grows with each migration);
- ``clone``: django-tenants' ``clone_schema`` PL/pgSQL function copies the template schema;
- ``template``: replay the DDL of the migrated template schema (``pg_dump --schema-only``,
  consolidated by `template_ddl`, taken once per migration state and stored as a
  `TemplateSnapshot`) and copy the template's few seed rows. One round trip.
"""

import hashlib
import re
import subprocess
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists

from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.tenants.divisions import ParentRef, schema_name_for, validate_hierarchy
from xinfang.tenants.models import Domain, Office, SchemaState, TemplateSnapshot
from xinfang.tenants.schema_migrations import disk_digest, record_current
from xinfang.tenants.template_ddl import FORMAT, consolidated

TEMPLATE_SCHEMA = settings.XINFANG_TEMPLATE_SCHEMA
# Host names: letters, digits and hyphens per label (Django's host check rejects underscores).
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    host: str


def provision_office(spec: OfficeSpec, *, strategy: str | None = None) -> Office:
    """Create an office with its domain and its schema, wholly or not at all."""
    parent = _validated_parent(spec)
    # No host: an office known here only as the counterpart of a moved one (backups/office_move).
    host = _validated_host(spec.host) if spec.host else ""
    ensure_template_schema()
    try:
        with transaction.atomic():
            office = Office.objects.create(
                schema_name=schema_name_for(spec.code),
                code=spec.code,
                name=spec.name.strip(),
                level=spec.level,
                parent=parent,
                ancestor_codes=parent.lineage_codes if parent else [],
            )
            if host:
                Domain.objects.create(domain=host, tenant=office, is_primary=True)
            build_schema(office.schema_name, strategy or settings.XINFANG_SCHEMA_STRATEGY)
            record_current([office.schema_name])  # built from the migrated template
    except IntegrityError as exc:  # lost a race with a concurrent provisioning of the same office
        raise ValidationError(
            f"office {spec.code} or host {host} already exists", code=ErrorCode.DUPLICATE_OFFICE
        ) from exc
    finally:
        connection.set_schema_to_public()
    return office


def _validated_parent(spec: OfficeSpec) -> Office | None:
    if spec.code and Office.objects.filter(code=spec.code).exists():
        raise ValidationError(
            f"office {spec.code} already exists", code=ErrorCode.DUPLICATE_OFFICE, field="code"
        )
    parent = None
    if spec.parent_code:
        parent = Office.objects.offices().filter(code=spec.parent_code).first()
        if parent is None:
            raise ValidationError(
                f"parent office {spec.parent_code} does not exist",
                code=ErrorCode.UNKNOWN_PARENT,
                field="parent",
            )
    validate_hierarchy(
        code=spec.code,
        level=spec.level,
        parent=ParentRef(parent.code, parent.level) if parent else None,
    )
    if not spec.name.strip():
        raise ValidationError("an office needs a name", code=ErrorCode.INVALID_NAME, field="name")
    return parent


def _validated_host(host: str) -> str:
    host = host.strip().lower()
    if not _HOST.match(host):
        raise ValidationError(
            f"'{host}' is not a valid host name (letters, digits and hyphens; no underscores)",
            code=ErrorCode.INVALID_HOST,
            field="host",
        )
    if Domain.objects.filter(domain=host).exists():
        raise ValidationError(
            f"host {host} already belongs to an office",
            code=ErrorCode.DUPLICATE_DOMAIN,
            field="host",
        )
    return host


# --- the public row and the template schema -------------------------------------------------------


def ensure_platform(public_host: str = "localhost") -> Office:
    """The row that owns the public schema, so the public host serves the platform URLconf."""
    platform, _ = Office.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"kind": Office.Kind.PLATFORM, "name": "xinfang platform"},
    )
    if not Domain.objects.filter(domain=public_host).exists():
        Domain.objects.create(domain=public_host, tenant=platform, is_primary=True)
    return platform


_template_current = False


def ensure_template_schema() -> None:
    """Create or migrate the template schema (once per process) that new offices are built from."""
    global _template_current
    if _template_current:
        return
    Office.objects.get_or_create(
        schema_name=TEMPLATE_SCHEMA,
        defaults={"kind": Office.Kind.TEMPLATE, "name": "template for new offices"},
    )
    if not schema_exists(TEMPLATE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
    # Recorded as current: no migrate_schemas, whose introspection scans every office's catalogue
    if not SchemaState.objects.filter(schema_name=TEMPLATE_SCHEMA, digest=disk_digest()).exists():
        call_command("migrate_schemas", schema_name=TEMPLATE_SCHEMA, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        record_current([TEMPLATE_SCHEMA])
    _template_current = True


def build_schema(schema_name: str, strategy: str) -> None:
    if strategy == "template":
        _replay_template(schema_name)
    elif strategy == "clone":
        CloneSchema().clone_schema(TEMPLATE_SCHEMA, schema_name, "DATA")
    elif strategy == "migrate":
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        call_command("migrate_schemas", schema_name=schema_name, interactive=False, verbosity=0)
    else:
        raise ValueError(f"unknown schema strategy {strategy!r}")
    connection.set_schema_to_public()


# --- the template strategy ------------------------------------------------------------------------


@dataclass(frozen=True)
class _TemplateDump:
    ddl: str
    seeded_tables: tuple[str, ...]
    identity_tables: tuple[str, ...]


_dumps: dict[str, _TemplateDump] = {}


def _replay_template(schema_name: str) -> None:
    dump = _template_dump()
    statements = [f'CREATE SCHEMA "{schema_name}";', dump.ddl.replace(TEMPLATE_SCHEMA, schema_name)]
    for table in dump.seeded_tables:
        statements.append(
            f'INSERT INTO "{schema_name}"."{table}" SELECT * FROM "{TEMPLATE_SCHEMA}"."{table}";'
        )
    for table in dump.identity_tables:
        statements.append(
            f"SELECT setval(pg_get_serial_sequence('\"{schema_name}\".\"{table}\"', 'id'), "
            f'max(id)) FROM "{schema_name}"."{table}";'
        )
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("\n".join(statements))
    connection.note_schema_built(schema_name)


def warm_template_dump() -> None:
    """Read the template's snapshot into this process's cache (before forking builders)."""
    _template_dump()


def _template_dump() -> _TemplateDump:
    """The template's DDL and seed tables for its migration state: from this process's cache, else
    from the stored snapshot (`TemplateSnapshot`), else taken with pg_dump and stored."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{TEMPLATE_SCHEMA}".django_migrations ORDER BY id')
        state = hashlib.sha256(repr((FORMAT, cursor.fetchall())).encode()).hexdigest()
    if state not in _dumps:
        stored = TemplateSnapshot.objects.filter(state=state).first()
        if stored is None:
            dump = _dump_template()
            stored, _ = TemplateSnapshot.objects.get_or_create(
                state=state,
                defaults={
                    "ddl": dump.ddl,
                    "seeded_tables": list(dump.seeded_tables),
                    "identity_tables": list(dump.identity_tables),
                },
            )
        _dumps[state] = _TemplateDump(
            ddl=stored.ddl,
            seeded_tables=tuple(stored.seeded_tables),
            identity_tables=tuple(stored.identity_tables),
        )
    return _dumps[state]


def _dump_template() -> _TemplateDump:
    ddl = consolidated(schema_ddl(TEMPLATE_SCHEMA))
    with schema_context(TEMPLATE_SCHEMA), connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        seeded = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{TEMPLATE_SCHEMA}"."{table}")')
            if cursor.fetchone()[0]:
                seeded.append(table)
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = %s AND column_name = 'id' AND is_identity = 'YES'",
            [TEMPLATE_SCHEMA],
        )
        identity = {row[0] for row in cursor.fetchall()}
    return _TemplateDump(
        ddl=ddl,
        seeded_tables=tuple(seeded),
        identity_tables=tuple(t for t in seeded if t in identity),
    )


def schema_ddl(schema_name: str) -> str:
    """`pg_dump --schema-only` of one schema: its objects' DDL, without session settings,
    comments or the CREATE SCHEMA itself."""
    db = connection.settings_dict
    result = subprocess.run(
        [
            "pg_dump",
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            f"--schema={schema_name}",
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"],
            db["NAME"],
        ],
        env={"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return "\n".join(
        line
        for line in result.stdout.splitlines()
        if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "--", "\\"))
        and line.strip() != f"CREATE SCHEMA {schema_name};"
    )
