"""One office moves to a fresh database with everything that belongs to it, and works there:
its petitions, its host, its handoffs with other offices, the orders it received, the terminations
of its matters (a terminated matter is still refused there)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry.models import PetitionRecord


def test_an_office_moves_to_a_fresh_database_with_its_cross_office_history(
    offices, xihu_history, other_database, tmp_path
):
    archive = tmp_path / "xihu.tar"
    call_command("export_office", "330106", out=archive)
    with tenant_context(offices["xihu"]):
        petitions_here = Petition.objects.count()
    connection.set_schema_to_public()
    matters = PetitionRecord.objects.filter(office=offices["xihu"]).values("matter_id")
    handoffs_here = sorted(
        [h.kind, h.sender_office.code, h.receiver_office.code]
        for h in Handoff.objects.filter(matter_id__in=matters)
    )

    other_database.manage("migrate_schemas", "--shared", "-v", "0")
    print(other_database.manage("import_office", str(archive)))
    matter = str(xihu_history["terminated"].matter_id)
    found = json.loads(
        other_database.python(
            "-m", "tests.backups.probe", "office", "330106", matter, xihu_history["id_number"]
        )
    )

    assert found["offices"]["330106"] == {"hosts": ["xihu.localhost"], "petitions": petitions_here}
    # The offices its history names are there, empty and without a host; no other office is.
    assert {code: found["offices"][code] for code in ("330000", "330100", "330110")} == {
        code: {"hosts": [], "petitions": 0} for code in ("330000", "330100", "330110")
    }
    assert set(found["offices"]) == {"330000", "330100", "330106", "330110"}
    assert found["handoffs"] == handoffs_here
    assert ["recheck", "330100", "330000"] in found["handoffs"]
    assert ["transfer", "330106", "330110"] in found["handoffs"]
    assert found["terminated"] and found["same_person_again"] == "MATTER_TERMINATED"
    assert found["graphql_petitions"] == min(petitions_here, 100)
    # Its journey, read there: its own events and the ledger's handoffs of other offices.
    assert {
        ("REVIEW_OPINION_RECEIVED", "330106"),
        ("HANDOFF:REVIEW", "330106"),
        ("HANDOFF:RECHECK", "330100"),
    } <= {tuple(entry) for entry in found["timeline"]}
    assert found["new_petition"].startswith("330106-")

    with pytest.raises(AssertionError, match="DUPLICATE_DOMAIN"):  # the host is taken now
        other_database.manage("import_office", str(archive))


def test_exporting_an_office_that_does_not_exist_fails_with_its_code(offices, tmp_path, db):
    with pytest.raises(CommandError, match="NOT_FOUND"):
        call_command("export_office", "339999", out=tmp_path / "none.tar")


def test_importing_a_file_that_is_not_an_archive_fails_with_its_code(offices, tmp_path, db):
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="INVALID_ARCHIVE"):
        call_command("import_office", str(bogus))
