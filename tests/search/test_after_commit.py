"""Indexing and the repeat check follow a committed registration through Celery (a real worker),
in the office's schema."""

import time

import pytest
from django.db import connection
from django_tenants.utils import tenant_context
from elasticsearch import NotFoundError

from tests.search.builders import person, register_by
from tests.search.test_repeats import ORIGINAL, PLACE, REWORDED
from tests.support.recorded import settle_effects
from xinfang.platform.cases.models import Petition
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search.client import es_client
from xinfang.search.models import RepeatCheck

pytestmark = pytest.mark.worker


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _indexed(index, petition):
    def check():
        try:
            return es_client().get(index=index, id=str(petition.pk))
        except NotFoundError:
            return None

    return check


def test_a_registered_petition_is_indexed_and_checked_for_repeats_after_commit(
    offices, committed, celery_worker_process, es_index
):
    chen = person("陈某")
    made = []
    try:
        with tenant_context(offices["xihu"]):
            first = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
            made.append(("xihu", first))
        _wait_for(_indexed(es_index, first))
        es_client().indices.refresh(index=es_index)
        with tenant_context(offices["hangzhou"]):
            again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
            made.append(("hangzhou", again))

            def checked():  # pending from registration until the worker has run the check
                return (
                    RepeatCheck.objects.filter(petition=again)
                    .exclude(state=RepeatCheck.State.PENDING)
                    .first()
                )

            check = _wait_for(checked)
            assert check.state == "done"
            [candidate] = again.repeat_candidates.all()
            assert str(candidate.candidate_petition_id) == str(first.pk)
            assert candidate.reasons == ["same_person", "similar_content"]
        assert _wait_for(_indexed(es_index, again))["_source"]["office_code"] == "330100"
    finally:
        settle_effects(petition.pk for _, petition in made)
        for name, petition in made:
            with tenant_context(offices[name]):
                Petition.objects.filter(pk=petition.pk).delete()
            connection.set_schema_to_public()
            PetitionRecord.objects.filter(petition_id=petition.pk).delete()
