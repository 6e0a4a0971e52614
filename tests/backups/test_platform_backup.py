"""`make backup` / `make restore`: the whole platform into a fresh database, the index rebuilt."""

import json

from django.core.management import call_command
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry.models import PetitionRecord, TerminatedMatter
from xinfang.platform.supervision.models import SupervisionOrder
from xinfang.tenants.models import Domain


def test_a_backup_restores_every_office_and_the_ledger_into_a_fresh_database(
    offices, xihu_history, other_database, tmp_path
):
    dump = tmp_path / "platform.dump"
    call_command("backup_platform", out=dump)
    here = {"petitions": {}, "public": {}}
    for office in offices.values():
        with tenant_context(office):
            here["petitions"][office.code] = Petition.objects.count()
    for model in (Handoff, PetitionRecord, TerminatedMatter, SupervisionOrder, Domain):
        here["public"][model._meta.label] = model.objects.count()

    print(other_database.manage("restore_platform", str(dump)))
    there = json.loads(other_database.python("-m", "tests.backups.probe", "counts"))

    assert there["petitions"] == here["petitions"]
    assert there["public"] == here["public"]
    assert here["public"]["registry.TerminatedMatter"] >= 1
    assert there["indexed"] == sum(here["petitions"].values())
