"""Concurrency with real transactions (committed, cleaned up): references and stale edits."""

import threading

from django.db import connections
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.recorded import settle_effects
from xinfang.platform.cases import services
from xinfang.platform.cases.models import Petition
from xinfang.platform.errors import ServiceError
from xinfang.platform.registry.models import PetitionRecord


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
        made = Petition.objects.filter(reference__in=references)
        settle_effects(made.values_list("pk", flat=True))  # their repeat checks write candidates
        made.delete()
        PetitionRecord.objects.filter(reference__in=references).delete()


def test_two_officers_acting_at_once_one_wins_the_other_gets_stale_version(offices, committed):
    office = offices["ningbo"]
    with tenant_context(office):
        registrar = factories.officer(roles=("registrar",))
        leader = factories.officer(roles=("leader",))
        petition = services.petition_route(
            petition=factories.petition(officer=registrar).petition, officer=registrar
        )
    barrier, outcomes = threading.Barrier(2), []

    def act(step):
        try:
            with tenant_context(office):
                barrier.wait()
                step()
                outcomes.append("ok")
        except ServiceError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    seen = petition.version
    threads = [
        threading.Thread(target=act, args=(lambda: services.petition_accept(
            petition=petition.pk, officer=leader, version=seen),)),
        threading.Thread(target=act, args=(lambda: services.petition_decline(
            petition=petition.pk, officer=registrar, version=seen, reason="应通过诉讼解决",
            redirect_channel="litigation"),)),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(outcomes) == ["STALE_VERSION", "ok"]
        with tenant_context(office):
            stored = Petition.objects.get(pk=petition.pk)
            assert stored.version == seen + 1
            assert stored.events.exclude(kind="registered").exclude(kind="route").count() == 1
    finally:
        with tenant_context(office):
            settle_effects([petition.pk])
            Petition.objects.filter(pk=petition.pk).delete()
        PetitionRecord.objects.filter(petition_id=petition.pk).delete()
