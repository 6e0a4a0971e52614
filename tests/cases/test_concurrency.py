"""Concurrency with real transactions (committed, cleaned up): references and stale edits."""

import threading

from django.db import connections
from django_tenants.utils import tenant_context

from tests import factories
from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange.models import PetitionRecord


def test_concurrent_registrations_never_share_a_reference(offices, committed):
    office = offices["ningbo"]
    with tenant_context(office):
        registrar = factories.officer(roles=("registrar",))
    references, errors = [], []

    def register():
        try:
            with tenant_context(office):
                references.append(factories.petition(officer=registrar).petition.reference)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 8
    with tenant_context(office):
        Petition.objects.filter(reference__in=references).delete()
        PetitionRecord.objects.filter(reference__in=references).delete()
