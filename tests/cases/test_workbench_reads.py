"""The reads behind the workbench (工作台) and the petitions list's filters: due states, flags,
what waits for an officer's decision, counts by status."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from xinfang.platform.cases import selectors, workflow
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import PetitionerInput

pytestmark = pytest.mark.django_db


def references(filters: selectors.PetitionFilters) -> set[str]:
    return set(filters.apply(Petition.objects.all()).values_list("reference", flat=True))


@pytest.fixture
def by_due(in_office, xihu_staff):
    """Petitions of Xihu due yesterday, in two days, in ten days, and with nothing due."""
    today = timezone.localdate()
    with in_office("xihu"):
        made = {}
        for name, days in [("overdue", -1), ("due_soon", 2), ("on_time", 10), ("none", None)]:
            petition = factories.petition(officer=xihu_staff["registrar"]).petition
            due = today + datetime.timedelta(days=days) if days is not None else None
            Petition.objects.filter(pk=petition.pk).update(next_due=due)
            made[name] = petition.reference
        yield made


@pytest.mark.parametrize("states", [["due_soon"], ["overdue"], ["on_time"], ["none"]])
def test_due_states_select_by_the_next_deadline(by_due, states):
    assert references(selectors.PetitionFilters(due_states=states)) == {by_due[s] for s in states}


def test_due_states_combine(by_due):
    wanted = selectors.PetitionFilters(due_states=["due_soon", "overdue"])
    assert references(wanted) == {by_due["due_soon"], by_due["overdue"]}


def test_flags_filter_both_ways(in_office, xihu_staff):
    with in_office("xihu"):
        accusation = factories.petition(
            officer=xihu_staff["registrar"],
            is_accusation=True,
            accused_body="某街道办事处",
            accused_kind="town",
            accused_division_code="330106",
        ).petition
        people = [PetitionerInput(name=n, id_number=factories.id_number()) for n in ("甲", "乙")]
        collective = factories.petition(
            officer=xihu_staff["registrar"], petitioners=people
        ).petition
        plain = factories.petition(officer=xihu_staff["registrar"]).petition
        assert references(selectors.PetitionFilters(is_accusation=True)) == {accusation.reference}
        assert references(selectors.PetitionFilters(is_collective=True)) == {collective.reference}
        assert plain.reference in references(selectors.PetitionFilters(is_collective=False))
        assert collective.reference not in references(
            selectors.PetitionFilters(is_collective=False)
        )


def test_awaiting_a_decision_follows_the_roles_in_the_workflow(in_office, xihu_staff):
    assert workflow.awaiting_statuses(xihu_staff["registrar"]) == ["registered", "routed"]
    assert workflow.awaiting_statuses(xihu_staff["leader"]) == ["accepted", "registered", "routed"]
    assert workflow.awaiting_statuses(xihu_staff["handler"]) == []
    with in_office("xihu"):
        registered = factories.petition(officer=xihu_staff["registrar"]).petition
        assert references(selectors.PetitionFilters(awaiting=xihu_staff["registrar"])) == {
            registered.reference
        }
        assert references(selectors.PetitionFilters(awaiting=xihu_staff["handler"])) == set()


def test_counts_by_status_list_every_status_in_one_query(
    in_office, xihu_staff, django_assert_num_queries
):
    with in_office("xihu"):
        factories.petition(officer=xihu_staff["registrar"])
        factories.petition(officer=xihu_staff["registrar"])
        with django_assert_num_queries(1):
            counts = selectors.petition_status_counts()
    assert counts["registered"] == 2
    assert counts["closed"] == 0
    assert set(counts) == set(Status.values)
