"""Chains of offices: a copy received by transfer is handled, transferred on or assigned down like
any petition of its office, and the matter keeps one matter_id along the whole chain."""

import datetime

import pytest
from django.utils import timezone

from tests.support.petitions import copies_of
from xinfang.platform.cases.models import Status
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff, HandoffStatus
from xinfang.platform.registry.models import PetitionRecord


def test_a_city_assigns_down_a_copy_it_received_from_the_province(offices, staff, register, act):
    petition = register("zhejiang")
    with act("zhejiang"):
        to_city = services.petition_transfer(
            petition_id=petition.pk, officer=staff("zhejiang"), receiver_code="330100"
        )
    due = timezone.localdate() + datetime.timedelta(days=30)
    with act("hangzhou"):
        down = services.petition_assign_to_office(
            petition_id=to_city.receiver_petition_id, officer=staff("hangzhou"),
            receiver_code="330106", due_date=due,
        )  # fmt: skip
    copies = copies_of(offices, petition.matter_id)
    assert set(copies) == {"zhejiang", "hangzhou", "xihu"}
    assert copies["hangzhou"].status == Status.ASSIGNED_OUT
    assert copies["xihu"].status == Status.ROUTED
    assert {r.matter_id for r in PetitionRecord.objects.filter(matter_id=petition.matter_id)} == {
        petition.matter_id
    }
    assert down.due_date == due
    to_city.refresh_from_db()
    assert to_city.status == HandoffStatus.ACCEPTED  # sending it on signed for it
    with act("hangzhou"), pytest.raises(ServiceError) as error:
        services.handoff_object(handoff_id=to_city.pk, officer=staff("hangzhou"), reason="不管辖")
    assert error.value.code == "INVALID_STATE"


def test_a_copy_is_transferred_on_twice_and_keeps_its_matter(offices, staff, register, act):
    petition = register("xihu")
    sent = []
    for sender, receiver in (("xihu", "330100"), ("hangzhou", "330110")):
        petition_id = sent[-1].receiver_petition_id if sent else petition.pk
        with act(sender):
            sent.append(
                services.petition_transfer(
                    petition_id=petition_id, officer=staff(sender), receiver_code=receiver
                )
            )
    copies = copies_of(offices, petition.matter_id)
    assert [copies[n].status for n in ("xihu", "hangzhou", "yuhang")] == [
        Status.TRANSFERRED, Status.TRANSFERRED, Status.ROUTED,
    ]  # fmt: skip
    assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 2


@pytest.mark.parametrize("days", [0, 200, 2_900_000])
def test_an_assignments_report_is_due_within_the_offices_bound(staff, register, act, days):
    petition = register("hangzhou")
    with act("hangzhou"), pytest.raises(ServiceError) as error:
        services.petition_assign_to_office(
            petition_id=petition.pk, officer=staff("hangzhou"), receiver_code="330106",
            due_date=timezone.localdate() + datetime.timedelta(days=days),
        )  # fmt: skip
    assert (error.value.code, error.value.field) == ("INVALID_DUE_DATE", "dueDate")
