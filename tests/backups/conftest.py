"""A second database on the same PostgreSQL for backups and office moves to land in (commands run
against it in subprocesses: `manage.py` with its DATABASE_URL and an index prefix of its own), and
a committed cross-office history to move."""

import datetime
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.conftest import REPO
from tests.support.ladder import rereviewed
from tests.support.recorded import settle_effects
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord, TerminatedMatter
from xinfang.platform.supervision.models import SupervisionOrder
from xinfang.platform.supervision.services import order_issue
from xinfang.search.client import es_client


@dataclass
class OtherDatabase:
    name: str
    env: dict

    def python(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=REPO, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def manage(self, *args: str) -> str:
        return self.python("manage.py", *args)


@pytest.fixture
def other_database(committed):
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_other"
    prefix = f"{settings.ELASTICSEARCH_INDEX_PREFIX}_other"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    # DJANGO_DEBUG: the tests' keys are the local defaults, which refuse to start without it.
    env = {**os.environ, "DATABASE_URL": url, "ELASTICSEARCH_INDEX_PREFIX": prefix,
           "DJANGO_DEBUG": "1"}  # fmt: skip
    env.pop("XINFANG_INSTANCE", None)
    yield OtherDatabase(name=name, env=env)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    es_client().indices.delete(index=f"{prefix}_*", ignore_unavailable=True)


ROLES = ("registrar", "handler", "leader", "supervisor")


@pytest.fixture
def xihu_history(offices, committed):
    """Committed: a matter of Xihu reviewed by Hangzhou and re-reviewed by Zhejiang (terminated), a
    petition transferred to Yuhang, and one under Hangzhou's supervision order."""
    staff = {}
    for name in ("xihu", "hangzhou", "zhejiang"):
        with tenant_context(offices[name]):
            staff[name] = factories.officer(roles=ROLES)
    id_number = factories.id_number()
    matters = []
    try:
        with tenant_context(offices["xihu"]):
            people = [PetitionerInput(name="李四", id_number=id_number)]
            terminated = factories.petition(officer=staff["xihu"], petitioners=people).petition
            moved = factories.petition(officer=staff["xihu"]).petition
            supervised = factories.petition(officer=staff["xihu"]).petition
            matters += [terminated.matter_id, moved.matter_id, supervised.matter_id]
            Petition.objects.filter(pk=terminated.pk).update(
                status=Status.REPLIED, replied_at=timezone.now() - datetime.timedelta(days=3)
            )
            replied = Petition.objects.get(pk=terminated.pk)
            registry.sync(replied)
            services.petition_transfer(
                petition_id=moved.pk, officer=staff["xihu"], receiver_code="330110"
            )
        rereviewed(  # 杭州 reviews, 浙江 re-reviews
            replied,
            officers={"330100": staff["hangzhou"], "330000": staff["zhejiang"]},
        )
        with tenant_context(offices["hangzhou"]):
            order_issue(
                petition_id=supervised.pk,
                officer=staff["hangzhou"],
                reason="other",
                instructions="限期办结",
                due_date=timezone.localdate() + datetime.timedelta(days=10),
            )
        connection.set_schema_to_public()
        yield {"terminated": terminated, "id_number": id_number, "matters": matters}
    finally:
        connection.set_schema_to_public()
        copies = PetitionRecord.objects.filter(matter_id__in=matters)
        settle_effects(copies.values_list("petition_id", flat=True))
        TerminatedMatter.objects.filter(matter_id__in=matters).delete()
        SupervisionOrder.objects.filter(matter_id__in=matters).delete()
        Handoff.objects.filter(matter_id__in=matters).delete()
        PetitionRecord.objects.filter(matter_id__in=matters).delete()
        for name, office in offices.items():
            with tenant_context(office):
                Petition.objects.filter(matter_id__in=matters).delete()
                if name in staff:
                    staff[name].delete()
