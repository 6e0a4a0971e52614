"""Transfer, assignment, escalation and objection between offices, through the services."""

import datetime

import pytest
from django.utils import timezone

from tests.support.petitions import copies_of, event_kinds, petition_in
from xinfang.platform.cases.models import Status
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff, HandoffStatus
from xinfang.platform.registry.models import PetitionRecord


def transfer(act, staff, sender, petition, receiver_code, **kwargs):
    with act(sender):
        return services.petition_transfer(
            petition_id=petition.pk, officer=staff(sender), receiver_code=receiver_code, **kwargs
        )


def assign(act, staff, sender, petition, receiver_code, days=20, **kwargs):
    with act(sender):
        return services.petition_assign_to_office(
            petition_id=petition.pk, officer=staff(sender), receiver_code=receiver_code,
            due_date=timezone.localdate() + datetime.timedelta(days=days), **kwargs,
        )  # fmt: skip


def test_a_transfer_writes_the_sender_the_ledger_and_the_receiver_copy(
    offices, staff, register, act
):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110", reason="属余杭区管辖")

    copies = copies_of(offices, petition.matter_id)
    assert set(copies) == {"xihu", "yuhang"}
    original, copy = copies["xihu"], copies["yuhang"]
    assert original.status == Status.TRANSFERRED
    assert copy.status == Status.ROUTED
    assert copy.reference.startswith("330110-") and copy.reference != original.reference
    assert copy.source_office_code == "330106"
    assert copy.content == original.content
    assert copy.accept_due >= timezone.localdate() + datetime.timedelta(days=15)
    assert copy.next_due == copy.accept_due
    assert handoff.status == HandoffStatus.PENDING
    assert handoff.receiver_petition_id == copy.pk
    assert handoff.objection_due > timezone.localdate()
    assert "transfer" in event_kinds(offices["xihu"], original.pk)
    assert event_kinds(offices["yuhang"], copy.pk) == ["registered", "received"]
    records = {r.office.code: r for r in PetitionRecord.objects.filter(matter_id=copy.matter_id)}
    assert records["330106"].status == "transferred"
    assert records["330110"].status == "routed"
    # Each office sees the other's copy: the sender handed it off, the receiver received it.
    assert {"330106", "330110"} <= set(records["330106"].viewer_codes)
    assert {"330106", "330110"} <= set(records["330110"].viewer_codes)


def test_the_receiver_copy_keeps_the_petitioners(offices, staff, register, act):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110")
    with act("yuhang"):
        copy = petition_in(offices["yuhang"], handoff.receiver_petition_id)
        people = list(copy.petitioners.values_list("name", "person_key"))
    with act("xihu"):
        original = list(petition.petitioners.values_list("name", "person_key"))
    assert people == original


@pytest.mark.parametrize(
    ("send", "receiver_code"),
    [
        pytest.param(transfer, "330106", id="a-transfer-to-itself"),
        pytest.param(assign, "330100", id="an-assignment-to-the-office-above"),
    ],
)
def test_a_handoff_to_an_office_it_may_not_reach_is_refused(
    staff, register, act, send, receiver_code
):
    """An office cannot hand a petition to itself, and assigns only to a lower office."""
    petition = register("xihu")
    with pytest.raises(ServiceError) as error:
        send(act, staff, "xihu", petition, receiver_code)
    assert error.value.code == "INVALID_RECEIVER"


def test_a_retried_transfer_with_the_same_key_returns_the_first_handoff(
    offices, staff, register, act
):
    petition = register("xihu")
    first = transfer(act, staff, "xihu", petition, "330110", idempotency_key="k-1")
    again = transfer(act, staff, "xihu", petition, "330110", idempotency_key="k-1")
    assert again.pk == first.pk
    assert Handoff.objects.filter(matter_id=petition.matter_id).count() == 1
    assert set(copies_of(offices, petition.matter_id)) == {"xihu", "yuhang"}


def test_an_idempotency_key_used_for_another_petition_is_refused(staff, register, act):
    one, two = register("xihu"), register("xihu")
    transfer(act, staff, "xihu", one, "330110", idempotency_key="k-2")
    with pytest.raises(ServiceError) as error:
        transfer(act, staff, "xihu", two, "330110", idempotency_key="k-2")
    assert error.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_a_key_reused_with_another_receiver_is_refused_not_replayed(offices, staff, register, act):
    petition = register("xihu")
    to_yuhang = transfer(act, staff, "xihu", petition, "330110", idempotency_key="k-3")
    with pytest.raises(ServiceError) as error:  # the same key, now to 鄞州
        transfer(act, staff, "xihu", petition, "330212", idempotency_key="k-3")
    assert (error.value.code, error.value.field) == ("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")
    with pytest.raises(ServiceError) as error:  # the same receiver, another reason
        transfer(act, staff, "xihu", petition, "330110", reason="另案", idempotency_key="k-3")
    assert error.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert list(Handoff.objects.filter(matter_id=petition.matter_id)) == [to_yuhang]


@pytest.mark.parametrize(
    ("first", "retry"),
    [
        ({"due_in": 20}, {"due_in": 25}),  # an assignment with another due date
        ({"urgency": "major"}, {"urgency": "urgent"}),  # an escalation, more urgent
    ],
)
def test_every_keyed_send_refuses_a_changed_payload(staff, register, act, first, retry):
    petition = register("hangzhou")

    def send(due_in=None, urgency=None):
        with act("hangzhou"):
            if due_in is not None:
                return services.petition_assign_to_office(
                    petition_id=petition.pk, officer=staff("hangzhou"), receiver_code="330106",
                    due_date=timezone.localdate() + datetime.timedelta(days=due_in),
                    idempotency_key="k-4",
                )  # fmt: skip
            return services.petition_escalate(
                petition_id=petition.pk, officer=staff("hangzhou"), reason="重大",
                urgency=urgency, idempotency_key="k-4",
            )  # fmt: skip

    handoff = send(**first)
    assert send(**first).pk == handoff.pk
    with pytest.raises(ServiceError) as error:
        send(**retry)
    assert error.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_a_transferred_petition_cannot_be_transferred_again(offices, staff, register, act):
    petition = register("xihu")
    transfer(act, staff, "xihu", petition, "330110")
    with pytest.raises(ServiceError) as error:
        transfer(act, staff, "xihu", petition, "330212")
    assert error.value.code == "INVALID_TRANSITION"
    assert set(copies_of(offices, petition.matter_id)) == {"xihu", "yuhang"}


def test_an_officer_without_a_routing_role_cannot_transfer(staff, register, act):
    petition = register("xihu")
    with pytest.raises(ServiceError) as error, act("xihu"):
        services.petition_transfer(
            petition_id=petition.pk,
            officer=staff("xihu", roles=("handler",)),
            receiver_code="330110",
        )
    assert error.value.code == "PERMISSION_DENIED"


def test_the_assignment_result_report_flows_back_to_the_assigning_office(
    offices, staff, register, act
):
    petition = register("hangzhou")
    handoff = assign(act, staff, "hangzhou", petition, "330106", reason="请核查并报结果")
    assert petition_in(offices["hangzhou"], petition.pk).status == Status.ASSIGNED_OUT
    assert petition_in(offices["hangzhou"], petition.pk).next_due == handoff.due_date

    with act("xihu"):
        reported = services.assignment_report(
            handoff_id=handoff.pk, officer=staff("xihu"), result="已核实，补偿款已发放"
        )
    assert reported.status == HandoffStatus.REPORTED
    assert "assignment_result_received" in event_kinds(offices["hangzhou"], petition.pk)
    assert petition_in(offices["hangzhou"], petition.pk).next_due is None
    with act("yuhang"), pytest.raises(ServiceError) as error:
        services.assignment_report(handoff_id=handoff.pk, officer=staff("yuhang"), result="x")
    assert error.value.code == "NOT_VISIBLE"


def test_escalation_gives_the_level_above_a_copy_and_sight_of_the_original(
    offices, staff, register, act
):
    petition = register("xihu")
    with act("xihu"):
        handoff = services.petition_escalate(
            petition_id=petition.pk,
            officer=staff("xihu"),
            reason="群体性事件苗头",
            urgency="urgent",
        )
    assert handoff.receiver_office.code == "330100"
    assert petition_in(offices["xihu"], petition.pk).status == Status.REGISTERED
    assert petition_in(offices["hangzhou"], handoff.receiver_petition_id).status == Status.ROUTED
    record = PetitionRecord.objects.get(petition_id=petition.pk)
    assert "330100" in record.viewer_codes
    assert "330000" not in record.viewer_codes


@pytest.fixture
def accusation(register):
    """An accusation registered at the city against a department of Xihu."""
    return register(
        "hangzhou",
        is_accusation=True,
        accused_body="西湖区城管执法局",
        accused_kind="department",
        accused_division_code="330106",
    )


def test_an_accusation_reaches_the_accused_area_without_the_reporter(
    offices, staff, accusation, act
):
    to_accused = transfer(act, staff, "hangzhou", accusation, "330106")
    assert to_accused.identity_withheld
    with act("xihu"):
        copy = petition_in(offices["xihu"], to_accused.receiver_petition_id)
        people = list(copy.petitioners.values_list("name", "id_number", "phone", "person_key"))
    assert people == [(services.WITHHELD_NAME, "", "", "")]
    # Nor may the accused area read the original, which names the reporter.
    original = PetitionRecord.objects.get(petition_id=accusation.pk)
    assert "330106" not in original.viewer_codes


def test_an_accusation_sent_elsewhere_keeps_the_reporter(offices, staff, accusation, act):
    handoff = transfer(act, staff, "hangzhou", accusation, "330110")
    assert not handoff.identity_withheld
    with act("yuhang"):
        names = list(
            petition_in(offices["yuhang"], handoff.receiver_petition_id).petitioners.values_list(
                "name", flat=True
            )
        )
    assert names == ["张三"]


def test_the_receiver_accepts_from_its_inbox(offices, staff, register, act):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110")
    with act("yuhang"):
        accepted = services.handoff_accept(handoff_id=handoff.pk, officer=staff("yuhang"))
    assert accepted.status == HandoffStatus.ACCEPTED
    assert "handoff_accepted_by_receiver" in event_kinds(offices["xihu"], petition.pk)
    with act("xihu"), pytest.raises(ServiceError) as error:
        services.handoff_accept(handoff_id=handoff.pk, officer=staff("xihu"))
    assert error.value.code == "NOT_VISIBLE"


def object_to(act, staff, receiver, handoff, reason="不属本机关职权范围"):
    with act(receiver):
        return services.handoff_object(
            handoff_id=handoff.pk, officer=staff(receiver), reason=reason
        )


def test_an_objection_after_five_working_days_is_refused_with_the_date(
    offices, staff, register, act
):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110")
    passed = timezone.localdate() - datetime.timedelta(days=1)
    Handoff.objects.filter(pk=handoff.pk).update(objection_due=passed)
    with pytest.raises(ServiceError) as error:
        object_to(act, staff, "yuhang", handoff)
    assert error.value.code == "NOT_COMPETENT_DEADLINE_PASSED"
    assert error.value.extra["deadline"] == passed.isoformat()


def test_an_objection_needs_reasons(staff, register, act):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110")
    with pytest.raises(ServiceError) as error:
        object_to(act, staff, "yuhang", handoff, reason="  ")
    assert error.value.code == "REASON_REQUIRED"


def test_the_petition_goes_back_when_the_sender_agrees_with_the_objection(
    offices, staff, register, act
):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330110")
    objected = object_to(act, staff, "yuhang", handoff)
    assert objected.status == HandoffStatus.OBJECTED
    assert objected.decider_office.code == "330106"
    with act("xihu"):
        decided = services.objection_decide(
            handoff_id=handoff.pk, officer=staff("xihu"), uphold=True
        )
    assert decided.status == HandoffStatus.RETURNED
    original = petition_in(offices["xihu"], petition.pk)
    assert original.status == Status.REGISTERED
    assert original.next_due == original.route_due
    assert petition_in(offices["yuhang"], handoff.receiver_petition_id).status == Status.TRANSFERRED
    # Back where it was, the petition can be transferred again.
    again = transfer(act, staff, "xihu", petition, "330212")
    assert again.receiver_office.code == "330212"


def test_the_common_superior_decides_when_the_sender_disagrees(offices, staff, register, act):
    petition = register("xihu")
    handoff = transfer(act, staff, "xihu", petition, "330212")
    object_to(act, staff, "yinzhou", handoff)
    with act("yinzhou"), pytest.raises(ServiceError) as error:
        services.objection_decide(handoff_id=handoff.pk, officer=staff("yinzhou"), uphold=True)
    assert error.value.code == "NOT_DECIDER"
    with act("xihu"):
        disputed = services.objection_decide(
            handoff_id=handoff.pk, officer=staff("xihu"), uphold=False
        )
    assert disputed.status == HandoffStatus.DISPUTED
    assert disputed.decider_office.code == "330000"
    # The province may now read both copies to decide.
    for petition_id in (petition.pk, handoff.receiver_petition_id):
        assert "330000" in PetitionRecord.objects.get(petition_id=petition_id).viewer_codes
    with act("zhejiang"):
        final = services.objection_decide(
            handoff_id=handoff.pk, officer=staff("zhejiang"), uphold=False, note="由鄞州办理"
        )
    assert final.status == HandoffStatus.ACCEPTED and final.decision == "rejected"
    assert petition_in(offices["yinzhou"], handoff.receiver_petition_id).status == Status.ROUTED
    assert "objection_rejected" in event_kinds(offices["yinzhou"], handoff.receiver_petition_id)


def test_a_parent_and_child_dispute_goes_to_the_office_above_both(offices, staff, register, act):
    petition = register("hangzhou")
    handoff = transfer(act, staff, "hangzhou", petition, "330106")
    object_to(act, staff, "xihu", handoff)
    with act("hangzhou"):
        disputed = services.objection_decide(
            handoff_id=handoff.pk, officer=staff("hangzhou"), uphold=False
        )
    assert disputed.decider_office.code == "330000"
