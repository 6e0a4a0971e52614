"""Visits: who may go, what each kind needs, and the typed errors for bad input."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.support import petition_at
from tests.resolution.support import code_of, replied
from xinfang.platform.cases.models import PetitionEvent
from xinfang.platform.resolution import selectors, services
from xinfang.platform.resolution.models import ActionItem, VisitKind, VisitStatus
from xinfang.platform.resolution.services import ItemInput, OfficerRef, VisitInput

pytestmark = pytest.mark.django_db


def record(officer, planned=None, **fields):
    """A visit `officer` records (holding the `planned` one, if given), going alone unless
    `fields` name the `officers`."""
    fields.setdefault("officers", [officer])
    return lambda: services.visit_record(
        officer=officer, planned=planned, data=VisitInput(**fields)
    )


def return_visit(staff, petition, **fields):
    """The handler's 回访 of `petition`, finding its opinion implemented."""
    return record(
        staff["handler"],
        kind=VisitKind.RETURN,
        petition_ids=[petition.pk],
        summary="回访",
        return_finding="implemented",
        **fields,
    )


def test_a_return_visit_before_the_opinion_is_refused(staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=staff)
        assert code_of(return_visit(staff, petition)) == "OPINION_NOT_ISSUED"
        assert not PetitionEvent.objects.filter(petition=petition, kind="visit_held").exists()


def test_a_visit_by_an_officer_of_another_office_is_refused(staff, in_office):
    with in_office("yuhang"):
        other = factories.officer(roles=("handler",))
    with in_office("xihu"):
        petition = replied(staff)
        call = return_visit(
            staff, petition, officers=[staff["handler"], OfficerRef("330110", other.pk)]
        )
        assert code_of(call) == "OFFICER_OF_ANOTHER_OFFICE"
        missing = record(
            staff["handler"],
            kind=VisitKind.FIELD,
            officers=[OfficerRef("330106", 10**9)],
            summary="下访",
        )
        assert code_of(missing) == "NOT_FOUND"


def test_a_follow_up_without_an_owner_is_refused_and_nothing_is_kept(staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=staff)
        call = record(
            staff["handler"],
            kind=VisitKind.FIELD,
            petition_ids=[petition.pk],
            summary="下访",
            follow_ups=[ItemInput("补充材料", None, timezone.localdate())],
        )
        assert code_of(call) == "OWNER_REQUIRED"
        assert not ActionItem.objects.exists()
        assert selectors.visits().count() == 0


def test_appointment_visits_and_receptions_need_a_leader(staff, in_office):
    with in_office("xihu"):
        petition = petition_at("registered", officers=staff)
        refusals = (
            ("handler", VisitKind.APPOINTMENT, [petition.pk], "约访", "LEADER_REQUIRED"),
            ("leader", VisitKind.RECEPTION, [], "接访", "SESSION_REQUIRED"),
            ("leader", VisitKind.JOINT, [petition.pk], "联合接访", "BODIES_REQUIRED"),
            ("registrar", VisitKind.FIELD, [], "下访", "PERMISSION_DENIED"),
        )
        for role, kind, petition_ids, summary, code in refusals:
            call = record(staff[role], kind=kind, petition_ids=petition_ids, summary=summary)
            assert code_of(call) == code, kind


def test_a_reception_session_is_published_and_its_visits_registered(staff, in_office):
    start = timezone.now() + datetime.timedelta(days=2)
    with in_office("xihu"):
        assert (
            code_of(
                lambda: services.reception_schedule(
                    officer=staff["leader"],
                    leader=staff["handler"],
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    place="接待大厅",
                )
            )
            == "LEADER_REQUIRED"
        )
        session = services.reception_schedule(
            officer=staff["leader"],
            leader=staff["leader2"],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="接待大厅",
            topic="征地拆迁",
        )
        day = timezone.localdate(start)
        assert list(selectors.reception_schedule(start=day, end=day)) == [session]
        # Petitions received there come in through the normal intake, then the visit links them.
        received = factories.petition(officer=staff["registrar"]).petition
        visit = services.visit_record(
            officer=staff["leader2"],
            data=VisitInput(
                kind=VisitKind.RECEPTION,
                officers=[staff["handler"]],
                session_id=session.pk,
                petition_ids=[received.pk],
                summary="接待来访群众",
                met="张三",
            ),
        )
        assert set(visit.officers.all()) == {staff["handler"], staff["leader2"]}
        assert (
            code_of(lambda: services.reception_cancel(officer=staff["leader"], session=session))
            == "INVALID_STATE"
        )


def test_a_planned_visit_is_held_later_with_its_follow_ups(staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        petition = replied(staff)
        planned = services.visit_plan(
            officer=staff["handler"],
            data=VisitInput(
                kind=VisitKind.RETURN,
                officers=[staff["handler"]],
                petition_ids=[petition.pk],
                planned_on=today + datetime.timedelta(days=3),
            ),
        )
        assert planned.status == VisitStatus.PLANNED
        hold = record(
            staff["handler"],
            planned.pk,
            kind=VisitKind.RETURN,
            petition_ids=[petition.pk],
            summary="已落实",
            return_finding="partly",
            follow_ups=[ItemInput("补发剩余款项", staff["handler"], today)],
        )
        held = hold()
        assert (held.pk, held.status) == (planned.pk, VisitStatus.HELD)
        [item] = held.follow_ups.all()
        assert item.petition_id == petition.pk and item.kind == "follow_up"
        assert code_of(hold) == "INVALID_STATE", "a planned visit is held once"


def test_implementation_items_need_the_opinion_an_owner_and_evidence(staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        handling = petition_at("in_handling", officers=staff)
        assert (
            code_of(
                lambda: services.item_add(
                    officer=staff["leader"],
                    petition=handling,
                    item=ItemInput("发放补偿款", staff["handler"], today),
                )
            )
            == "OPINION_NOT_ISSUED"
        )
        petition = replied(staff)
        assert (
            code_of(
                lambda: services.item_add(
                    officer=staff["leader"],
                    petition=petition,
                    item=ItemInput("发放补偿款", None, today),
                )
            )
            == "OWNER_REQUIRED"
        )
        item = services.item_add(
            officer=staff["leader"],
            petition=petition,
            item=ItemInput("发放补偿款", staff["handler"], today),
        )
        assert (
            code_of(
                lambda: services.item_complete(
                    officer=staff["registrar"], item=item, evidence="凭证"
                )
            )
            == "NOT_THE_OWNER"
        )
        assert (
            code_of(lambda: services.item_complete(officer=staff["handler"], item=item))
            == "EVIDENCE_REQUIRED"
        )
        done = services.item_complete(officer=staff["handler"], item=item, evidence="转账凭证")
        assert done.status == "done"
        kinds = set(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True))
        assert {"action_item_added", "action_item_done"} <= kinds
