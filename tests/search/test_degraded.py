"""Elasticsearch really stopped: registration still succeeds, the repeat check and search say
"unavailable" (typed, never a 500), and reconcile indexes what was missed once it is back."""

import subprocess
import time

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tests.conftest import REPO
from tests.search.builders import person, register_by
from tests.search.test_graphql import gql, petition_gid
from tests.search.test_repeats import ORIGINAL, PLACE
from xinfang.search.client import es_client
from xinfang.search.models import RepeatCheck
from xinfang.search.repeats import check_repeats

pytestmark = pytest.mark.django_db

SEARCH = 'query { searchPetitions(text: "补偿款") { totalCount } }'
CHECK = """
mutation($id: ID!) { checkRepeats(petitionId: $id) {
  check { available unavailableCode candidates { reference } } } }
"""


def services(action: str) -> None:
    subprocess.run([str(REPO / "deploy" / "services.sh"), action, "elasticsearch"], check=True)


def test_with_elasticsearch_down_registration_works_and_reconcile_catches_up(
    offices, officer_client, es_index, django_capture_on_commit_callbacks
):
    client, _ = officer_client("xihu", "handler")
    services("stop")
    try:
        started = time.monotonic()
        with tenant_context(offices["xihu"]):
            with django_capture_on_commit_callbacks(execute=True):  # queues indexing: no error
                petition = register_by(person("陈某"), content=ORIGINAL, place=PLACE)
            result = check_repeats(petition)
            assert not result.available and result.unavailable_reason == "SEARCH_UNAVAILABLE"
            assert RepeatCheck.objects.get(petition=petition).state == "unavailable"
        check = gql(client, CHECK, id=petition_gid(offices["xihu"], petition))
        assert check["data"]["checkRepeats"]["check"] == {
            "available": False,
            "unavailableCode": "SEARCH_UNAVAILABLE",
            "candidates": [],
        }
        errors = gql(client, SEARCH)["errors"]
        assert errors[0]["extensions"]["code"] == "SEARCH_UNAVAILABLE"
        assert time.monotonic() - started < 20, "short timeouts while Elasticsearch is down"
    finally:
        services("start")
    call_command("search_index", "reconcile", "--no-progress")
    indexed = es_client().get(index=es_index, id=str(petition.pk))
    assert indexed["_source"]["reference"] == petition.reference
    with tenant_context(offices["xihu"]):
        assert RepeatCheck.objects.get(petition=petition).state == "done", "checked again"
