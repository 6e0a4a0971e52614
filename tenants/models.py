from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from xinfang.tenants.divisions import Level


class OfficeQuerySet(models.QuerySet):
    def offices(self) -> "OfficeQuerySet":
        """Real petition offices: not the platform (public) row nor the template."""
        return self.filter(kind=Office.Kind.OFFICE)


class Office(TenantMixin):
    """A petition office (信访部门): one tenant, one PostgreSQL schema.

    `ancestor_codes` lists the division codes above the office, province first, so that a subtree
    is one indexed lookup instead of a walk. Two rows are not offices: the platform row owns the
    `public` schema (django-tenants serves the public host through it), and the template row owns
    the migrated schema new offices are built from, so `migrate_schemas` keeps it current.
    """

    class Kind(models.TextChoices):
        OFFICE = "office", "信访部门 office"
        PLATFORM = "platform", "platform (public schema)"
        TEMPLATE = "template", "template schema"

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OFFICE)
    code = models.CharField(max_length=6, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=8, choices=Level.CHOICES, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    ancestor_codes = ArrayField(models.CharField(max_length=6), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Provisioning builds and drops schemas itself (tenants/provisioning.py).
    auto_create_schema = False
    auto_drop_schema = False

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [GinIndex(fields=["ancestor_codes"], name="office_ancestors_gin")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.ancestor_codes[0] if self.ancestor_codes else (self.code or "")

    @property
    def lineage_codes(self) -> list[str]:
        """The office's own code after its ancestors': everything a subtree query matches on."""
        return [*self.ancestor_codes, self.code]

    def parent_chain(self) -> list["Office"]:
        """Ancestors nearest first, in one query (two with their host names)."""
        ancestors = Office.objects.filter(code__in=self.ancestor_codes).prefetch_related("domains")
        by_code = {o.code: o for o in ancestors}
        return [by_code[c] for c in reversed(self.ancestor_codes) if c in by_code]

    def subtree(self) -> models.QuerySet["Office"]:
        """This office and every office below it."""
        return Office.objects.filter(
            models.Q(pk=self.pk) | models.Q(ancestor_codes__contains=[self.code])
        ).offices()

    def primary_host(self) -> str | None:
        """Reads prefetched domains when the caller prefetched them (lists of offices)."""
        return next((d.domain for d in self.domains.all() if d.is_primary), None)


class Domain(DomainMixin):
    """A host name an office answers on (e.g. xihu.localhost)."""


class SchemaState(models.Model):
    """The migration state last recorded for one office schema (`tenants/schema_migrations.py`).

    A digest of the schema's applied tenant migrations: comparing it with the state on disk tells
    which schemas a release must visit without opening any of them.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    digest = models.CharField(max_length=64)
    migrated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.digest[:12]}"


class TemplateSnapshot(models.Model):
    """The template schema's DDL and seed tables, for one migration state of the template.

    `pg_dump` reads the catalogue of every schema in the database before it writes one (about
    30 s at 1,500 offices here): taken once per release and kept here, every process that
    provisions an office reads one row instead (`tenants/provisioning.py`).
    """

    state = models.CharField(max_length=64, unique=True)
    ddl = models.TextField()
    seeded_tables = ArrayField(models.CharField(max_length=63), default=list)
    identity_tables = ArrayField(models.CharField(max_length=63), default=list)
    taken_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"template at {self.state[:12]}"
