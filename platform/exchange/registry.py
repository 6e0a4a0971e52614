"""Keeping the public registry row of a petition in step with the petition itself."""

from django.db import connection

from xinfang.platform.exchange.models import PetitionRecord
from xinfang.tenants import jurisdiction

# Petition fields copied as they are into the registry row.
MIRRORED = (
    "matter_id", "reference", "channel", "category", "status", "registered_at", "next_due",
    "accepted_at", "replied_at", "closed_at", "satisfaction", "extended", "is_repeat",
    "is_skip_level", "is_collective", "source_office_code",
)  # fmt: skip


def sync(petition) -> None:
    """Upsert the registry row; call inside the transaction that changed the petition."""
    office = connection.tenant
    values = {field: getattr(petition, field) for field in MIRRORED}
    record, _ = PetitionRecord.objects.update_or_create(
        petition_id=petition.pk,
        defaults={
            **values,
            "office": office,
            "office_level": office.level,
            "lineage_codes": office.lineage_codes,
            "is_cross_level": petition.is_skip_level or petition.is_repeat,
        },
    )
    if jurisdiction.viewer_codes(record) != set(record.viewer_codes):
        jurisdiction.refresh_viewers(record)
    return record
