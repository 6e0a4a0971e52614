"""One change of a petition records exactly one indexing in the outbox: search follows the
registry row, and one change records its effect once however often it saves that row."""

import pytest
from django.db import connection

from tests import factories
from tests.support.recorded import recorded_effects
from xinfang.platform.cases import services
from xinfang.platform.exchange import services as exchange

INDEX = "search.index"
pytestmark = pytest.mark.django_db


def test_a_registration_records_one_indexing_and_one_repeat_check(offices, in_office):
    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        with recorded_effects() as recorded:
            petition = factories.petition(officer=officer).petition
    assert recorded[(INDEX, str(petition.pk))] == 1
    assert recorded[("search.check_repeats", str(petition.pk))] == 1


def test_a_workflow_step_records_one_indexing(offices, in_office):
    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        petition = factories.petition(officer=officer).petition
        connection.run_on_commit.clear()  # as if the registration had committed before
        with recorded_effects() as recorded:
            services.petition_route(petition=petition, officer=officer)
    assert recorded[(INDEX, str(petition.pk))] == 1
    assert sum(recorded.values()) == 1


def test_a_transfer_records_one_indexing_per_copy(offices, in_office):
    from xinfang.platform.cases.models import Petition

    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        petition = factories.petition(officer=officer).petition
        connection.run_on_commit.clear()  # as if the registration had committed before
        with recorded_effects() as recorded:
            handoff = exchange.petition_transfer(
                petition_id=petition.pk, officer=officer, receiver_code="330110"
            )
    with in_office("yuhang"):
        copy = Petition.objects.get(pk=handoff.receiver_petition_id)
    assert recorded[(INDEX, str(petition.pk))] == 1
    assert recorded[(INDEX, str(copy.pk))] == 1
