"""What Citus schema-based sharding needs of the models (docs/adr/0005-citus-schema-sharding.md).

Each office schema becomes one distributed schema living whole on one node; the public schema is
on the coordinator. That holds only while keys are 64-bit or UUIDs (no 32-bit sequence runs out
at national scale), public tables never point into office schemas (an office can move to another
node without breaking a foreign key), and office tables point only at public tables or their own.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.fields import AutoFieldMixin


def own_models(app_names):
    configs = [c for c in apps.get_app_configs() if c.name in app_names]
    return [m for c in configs if c.name.startswith("xinfang.") for m in c.get_models()]


def office_only(app_names):
    return set(app_names) - set(settings.SHARED_APPS)


def test_no_key_of_ours_is_a_32_bit_sequence():
    """UUIDs, 64-bit sequences or natural keys (a year, a day); never a 32-bit counter."""
    narrow = [
        f"{m._meta.label}.{f.name}: {type(f).__name__}"
        for m in own_models(settings.INSTALLED_APPS)
        for f in m._meta.concrete_fields
        if isinstance(f, AutoFieldMixin) and not isinstance(f, models.BigIntegerField)
    ]
    assert narrow == [], narrow


def test_no_public_table_points_into_an_office_schema():
    office_labels = {
        c.label for c in apps.get_app_configs() if c.name in office_only(settings.TENANT_APPS)
    }
    crossing = [
        f"{m._meta.label}.{f.name} → {f.related_model._meta.label}"
        for m in own_models(settings.SHARED_APPS)
        for f in m._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model._meta.app_label in office_labels
    ]
    assert crossing == [], crossing


def test_office_tables_point_only_at_their_own_schema_or_public():
    allowed = {c.label for c in apps.get_app_configs() if c.name in settings.INSTALLED_APPS}
    for model in own_models(office_only(settings.TENANT_APPS)):
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model._meta.app_label in allowed, (model, field)


def test_connections_are_bounded_in_lifetime_and_schemas():
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "xinfang.tenants.postgresql_backend"
    assert database["CONN_MAX_AGE"] is not None and database["CONN_MAX_AGE"] <= 600
    assert settings.XINFANG_CONN_MAX_SCHEMAS <= 1000
