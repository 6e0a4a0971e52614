"""One change of a petition queues exactly one indexing, published to the real broker after the
commit: search follows the registry row, and every change writes that row once."""

import pytest

from tests import factories
from tests.support.published import published_tasks
from xinfang.platform.cases import services
from xinfang.platform.exchange import services as exchange

INDEX = "search.index_petition"
pytestmark = pytest.mark.django_db


def test_a_registration_queues_one_indexing_and_one_repeat_check(
    offices, in_office, django_capture_on_commit_callbacks
):
    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
            petition = factories.petition(officer=officer).petition
    assert published[(INDEX, str(petition.pk))] == 1
    assert published[("search.check_repeats", str(petition.pk))] == 1


def test_a_workflow_step_queues_one_indexing(
    offices, in_office, django_capture_on_commit_callbacks
):
    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        petition = factories.petition(officer=officer).petition
        with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
            services.petition_route(petition=petition, officer=officer)
    assert published[(INDEX, str(petition.pk))] == 1
    assert sum(published.values()) == 1


def test_a_transfer_queues_one_indexing_per_copy(
    offices, in_office, django_capture_on_commit_callbacks
):
    from xinfang.platform.cases.models import Petition

    with in_office("xihu"):
        officer = factories.officer(roles=("registrar",))
        petition = factories.petition(officer=officer).petition
        with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
            handoff = exchange.petition_transfer(
                petition_id=petition.pk, officer=officer, receiver_code="330110"
            )
    with in_office("yuhang"):
        copy = Petition.objects.get(pk=handoff.receiver_petition_id)
    assert published[(INDEX, str(petition.pk))] == 1
    assert published[(INDEX, str(copy.pk))] == 1
