"""Moving one office to another database (another deployment, another shard): everything that
belongs to it, in one archive.

An office is its schema plus its rows in the public schema: the `Office` row and its host names,
its registry rows, the handoffs, supervision orders and terminations of its matters. The archive
(a tar file) holds the schema as a pg_dump custom-format dump and the public rows as JSON, in which
every office is named by its division code (primary keys differ between databases).

Import restores the schema in one transaction, then writes the public rows in another. Offices
the rows refer to (ancestors, the other side of a handoff or an order) that the target lacks are
created empty, without a host: the hierarchy, visibility and the ledger stay whole, and importing
that office later fills it. Monthly metrics are not moved: the rollup recomputes them.
"""

import io
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.db import connection, transaction
from django.db.models import Model, Q
from django_tenants.utils import schema_context

from xinfang.platform.backups import pgtools
from xinfang.platform.cases.models import Petition
from xinfang.platform.errors import ErrorCode, NotFound, ValidationError
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry.models import PetitionRecord, TerminatedMatter
from xinfang.platform.resolution.ledger.models import CarePlanEntry, HardCaseEntry
from xinfang.platform.supervision.models import SupervisionOrder
from xinfang.tenants.models import Domain, Office
from xinfang.tenants.provisioning import OfficeSpec, provision_office

FORMAT = "xinfang-office/1"
SCHEMA_MEMBER = "schema.dump"
PUBLIC_MEMBER = "public.json"
# Public rows moved with the office, in the order they are written (a termination refers to
# its re-review handoff).
MOVED_MODELS: tuple[type[Model], ...] = (
    PetitionRecord,
    Handoff,
    SupervisionOrder,
    TerminatedMatter,
    HardCaseEntry,
    CarePlanEntry,
)


@dataclass
class MoveReport:
    code: str
    petitions: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    counterparts_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rows = ", ".join(f"{n} {label}" for label, n in self.rows.items())
        made = f"; counterpart offices created: {', '.join(self.counterparts_created)}"
        return f"office {self.code}: {self.petitions} petitions; {rows}" + (
            made if self.counterparts_created else ""
        )


def _office_fields(model: type[Model]) -> list[str]:
    return [
        f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Office
    ]


def _public_rows(office: Office) -> dict[type[Model], list[Model]]:
    matters = PetitionRecord.objects.filter(office=office).values("matter_id")
    return {
        PetitionRecord: list(PetitionRecord.objects.filter(office=office)),
        Handoff: list(
            Handoff.objects.filter(
                Q(matter_id__in=matters) | Q(sender_office=office) | Q(receiver_office=office)
            )
        ),
        SupervisionOrder: list(
            SupervisionOrder.objects.filter(
                Q(matter_id__in=matters) | Q(issuer_office=office) | Q(target_office=office)
            )
        ),
        TerminatedMatter: list(TerminatedMatter.objects.filter(matter_id__in=matters)),
        # The hard-case and care-plan ledgers; resolution metrics are recomputed by the scan.
        HardCaseEntry: list(HardCaseEntry.objects.filter(office=office)),
        CarePlanEntry: list(CarePlanEntry.objects.filter(office=office)),
    }


def _describe(office: Office) -> dict:
    return {
        "code": office.code,
        "name": office.name,
        "level": office.level,
        "parent": office.parent.code if office.parent else None,
    }


def export_office(code: str, path: Path) -> MoveReport:
    """Write the archive of office `code` to `path`."""
    office = Office.objects.offices().select_related("parent").filter(code=code).first()
    if office is None:
        raise NotFound(f"no office {code} here", code=ErrorCode.NOT_FOUND, field="code")
    report = MoveReport(code=code)
    rows = _public_rows(office)
    referenced = {
        getattr(obj, f"{name}_id")
        for model, objects in rows.items()
        for name in _office_fields(model)
        for obj in objects
    } - {None}
    offices = list(Office.objects.select_related("parent").filter(pk__in=referenced | {office.pk}))
    above = {c for o in offices for c in o.ancestor_codes}  # the hierarchy is rebuilt with them
    offices += (
        Office.objects.select_related("parent")
        .filter(code__in=above)
        .exclude(pk__in=[o.pk for o in offices])
    )
    code_of = {o.pk: o.code for o in offices}
    serialized: dict[str, list[dict]] = {}
    for model, objects in rows.items():
        names = _office_fields(model)
        items = serializers.serialize("python", objects)
        for item in items:
            for name in names:
                if item["fields"][name] is not None:
                    item["fields"][name] = code_of[item["fields"][name]]
        serialized[model._meta.label] = items
        report.rows[str(model._meta.verbose_name_plural)] = len(items)
    offices.sort(key=lambda o: (len(o.ancestor_codes), o.code))
    public = {
        "format": FORMAT,
        "office": {**_describe(office), "schema_name": office.schema_name},
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary} for d in office.domains.order_by("pk")
        ],
        "offices": [_describe(o) for o in offices if o.pk != office.pk],
        "rows": serialized,
    }
    with schema_context(office.schema_name):
        report.petitions = Petition.objects.count()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / SCHEMA_MEMBER
        pgtools.dump(dump, schema=office.schema_name)
        with tarfile.open(path, "w") as archive:
            archive.add(dump, arcname=SCHEMA_MEMBER)
            data = json.dumps(public, ensure_ascii=False, cls=serializers.json.DjangoJSONEncoder)
            member = tarfile.TarInfo(PUBLIC_MEMBER)
            member.size = len(data.encode())
            archive.addfile(member, io.BytesIO(data.encode()))
    return report


def _read_archive(path: Path, tmp: Path) -> tuple[dict, Path]:
    try:
        with tarfile.open(path) as archive:
            archive.extract(SCHEMA_MEMBER, tmp, filter="data")
            public = json.load(archive.extractfile(PUBLIC_MEMBER))
    except (tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"{path} is not an office archive: {exc}", code=ErrorCode.INVALID_ARCHIVE
        ) from exc
    if public.get("format") != FORMAT:
        raise ValidationError(
            f"{path} has format {public.get('format')!r}, not {FORMAT}",
            code=ErrorCode.INVALID_ARCHIVE,
        )
    return public, tmp / SCHEMA_MEMBER


def _has_petitions(office: Office) -> bool:
    with schema_context(office.schema_name):
        return Petition.objects.exists()


def _ensure_counterparts(described: list[dict], report: MoveReport) -> None:
    """Offices the moved rows refer to, created empty (no host) where the target lacks them."""
    existing = set(
        Office.objects.filter(code__in=[d["code"] for d in described]).values_list(
            "code", flat=True
        )
    )
    for spec in described:  # parents first: sorted by depth on export
        if spec["code"] in existing:
            continue
        provision_office(
            OfficeSpec(code=spec["code"], name=spec["name"], level=spec["level"],
                       parent_code=spec["parent"], host="")
        )  # fmt: skip
        report.counterparts_created.append(spec["code"])


def import_office(path: Path) -> MoveReport:
    """Bring the office archived at `path` into this database; its host names must be free here.

    An office of that code may exist only as an empty counterpart (no petitions): it is replaced.
    """
    with tempfile.TemporaryDirectory() as tmp:
        public, dump = _read_archive(path, Path(tmp))
        described = public["office"]
        report = MoveReport(code=described["code"])
        taken = Domain.objects.filter(domain__in=[d["domain"] for d in public["domains"]])
        if taken.exists():
            raise ValidationError(
                f"host {taken.first().domain} already belongs to an office here",
                code=ErrorCode.DUPLICATE_DOMAIN,
            )
        current = Office.objects.filter(code=described["code"]).first()
        if current is not None and (current.kind != Office.Kind.OFFICE or _has_petitions(current)):
            raise ValidationError(
                f"office {described['code']} already exists here with petitions",
                code=ErrorCode.DUPLICATE_OFFICE,
            )
        _ensure_counterparts(public["offices"], report)
        office = current or provision_office(
            OfficeSpec(code=described["code"], name=described["name"], level=described["level"],
                       parent_code=described["parent"], host="")
        )  # fmt: skip
        if office.schema_name != described["schema_name"]:
            raise ValidationError(
                f"office {office.code} uses schema {office.schema_name} here, the archive "
                f"{described['schema_name']}",
                code=ErrorCode.INVALID_ARCHIVE,
            )
        _restore_over_empty_schema(office.schema_name, dump)
    codes = dict(Office.objects.filter(code__isnull=False).values_list("code", "pk"))
    with transaction.atomic():
        for d in public["domains"]:
            Domain.objects.create(tenant=office, domain=d["domain"], is_primary=d["is_primary"])
        for model in MOVED_MODELS:
            items = public["rows"].get(model._meta.label, [])
            names = _office_fields(model)
            for item in items:
                for name in names:
                    if item["fields"][name] is not None:
                        item["fields"][name] = codes[item["fields"][name]]
            for obj in serializers.deserialize("python", items):
                obj.save()  # raw: an update where a counterpart's import brought the row first
            report.rows[str(model._meta.verbose_name_plural)] = len(items)
    with schema_context(office.schema_name):
        report.petitions = Petition.objects.count()
    return report


def _restore_over_empty_schema(schema: str, dump: Path) -> None:
    """The archived schema replaces the empty one provisioning built; the empty one comes back if
    the restore fails (it runs in one transaction of its own)."""
    aside = f"{schema}_replaced"
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{aside}"')
    try:
        pgtools.restore(dump)
    except RuntimeError:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{aside}" RENAME TO "{schema}"')
        raise
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{aside}" CASCADE')
