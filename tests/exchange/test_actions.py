"""What each office may do with a handoff now (the workbench's buttons) follows the handoff
through its states, and every action offered goes through its service."""

import datetime

import pytest
from django.utils import timezone

from xinfang.platform.exchange import services
from xinfang.platform.exchange.actions import HandoffAction as A
from xinfang.platform.exchange.actions import available_actions
from xinfang.platform.exchange.models import Handoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(offices, staff):
    """`actions(handoff, "xihu")`: what a leader of every role in that office may do now."""

    def of(handoff, name, roles=None):
        handoff = Handoff.objects.get(pk=handoff.pk)
        officer = staff(name) if roles is None else staff(name, roles)
        return available_actions(handoff, office=offices[name], officer=officer)

    return of


def test_a_transfer_is_signed_for_or_objected_to_by_the_receiver_only(
    staff, register, act, actions
):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330212"
        )
    assert actions(handoff, "yinzhou") == [A.ACCEPT, A.OBJECT]
    assert actions(handoff, "yinzhou", roles=("registrar",)) == [A.ACCEPT]
    assert actions(handoff, "xihu") == []
    with act("yinzhou"):
        services.handoff_object(handoff_id=handoff.pk, officer=staff("yinzhou"), reason="不属本地")
    assert actions(handoff, "yinzhou") == []
    assert actions(handoff, "xihu") == [A.DECIDE]
    with act("xihu"):
        services.objection_decide(handoff_id=handoff.pk, officer=staff("xihu"), uphold=False)
    assert actions(handoff, "xihu") == []
    assert actions(handoff, "zhejiang") == [A.DECIDE]


def test_an_assignment_is_reported_and_objections_end_with_the_five_days(
    staff, register, act, actions
):
    petition = register("hangzhou")
    with act("hangzhou"):
        handoff = services.petition_assign_to_office(
            petition_id=petition.pk,
            officer=staff("hangzhou"),
            receiver_code="330106",
            due_date=timezone.localdate() + datetime.timedelta(days=20),
        )
    assert actions(handoff, "xihu") == [A.ACCEPT, A.OBJECT, A.REPORT]
    with act("xihu"):
        services.handoff_accept(handoff_id=handoff.pk, officer=staff("xihu"))
    assert actions(handoff, "xihu") == [A.OBJECT, A.REPORT]
    Handoff.objects.filter(pk=handoff.pk).update(
        objection_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert actions(handoff, "xihu") == [A.REPORT]
    with act("xihu"):
        services.assignment_report(handoff_id=handoff.pk, officer=staff("xihu"), result="已办结")
    assert actions(handoff, "xihu") == []


def test_nobody_logged_in_may_do_nothing(offices, staff, register, act):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330212"
        )
    assert available_actions(handoff, office=offices["yinzhou"], officer=None) == []
