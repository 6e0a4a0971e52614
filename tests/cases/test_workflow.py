"""The workflow: every transition checks role, state and version, writes an event, and is the only
way the state changes."""

import datetime

import pytest
from django.utils import timezone

from tests.cases.support import petition_at
from tests.support.ladder import rereviewed
from xinfang.platform.cases import services, workflow
from xinfang.platform.cases.models import Petition, PetitionEvent, Status
from xinfang.platform.errors import PermissionDenied, ServiceError, ValidationError

pytestmark = pytest.mark.django_db


def events(petition):
    return list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True))


def test_a_petition_goes_from_registration_to_closing_with_an_event_per_step(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("closed", officers=xihu_staff)
        assert petition.status == Status.CLOSED
        assert events(petition) == [
            "registered", "route", "accept", "assign", "reply", "evaluate", "close", "outcome",
        ]  # fmt: skip
        stored = Petition.objects.get(pk=petition.pk)
        assert stored.version == 7
        assert stored.handler == xihu_staff["handler"]
        assert stored.satisfaction == "satisfied"
        assert stored.reply.opinion.startswith("经调查")
        assert stored.evaluation.satisfaction == "satisfied"
        assert stored.accepted_at and stored.replied_at and stored.closed_at
        assert stored.next_due is None


def test_each_step_starts_its_deadline(xihu_staff, in_office):
    with in_office("xihu"):
        today = timezone.localdate()
        registered = petition_at("registered", officers=xihu_staff)
        assert registered.route_due >= today + datetime.timedelta(days=15)
        assert registered.next_due == registered.route_due
        routed = services.petition_route(petition=registered, officer=xihu_staff["registrar"])
        assert routed.accept_due >= today + datetime.timedelta(days=15)
        assert routed.next_due == routed.accept_due
        accepted = services.petition_accept(petition=routed, officer=xihu_staff["leader"])
        assert accepted.handling_due >= today + datetime.timedelta(days=60)
        assert accepted.next_due == accepted.handling_due


def test_an_invalid_transition_is_refused_and_changes_nothing(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("registered", officers=xihu_staff)
        with pytest.raises(workflow.WorkflowError) as error:
            services.petition_accept(petition=petition, officer=xihu_staff["leader"])
        assert error.value.code == "INVALID_TRANSITION"
        stored = Petition.objects.get(pk=petition.pk)
        assert (stored.status, stored.version) == (Status.REGISTERED, 1)
        assert events(petition) == ["registered"]


def test_a_wrong_role_is_refused_before_anything_changes(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("accepted", officers=xihu_staff)
        with pytest.raises(PermissionDenied) as error:
            services.petition_assign(
                petition=petition, officer=xihu_staff["registrar"], handler=xihu_staff["handler"]
            )
        assert error.value.code == "PERMISSION_DENIED"
        assert Petition.objects.get(pk=petition.pk).handler is None


def test_a_stale_version_is_refused_when_two_officers_act_at_once(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("routed", officers=xihu_staff)
        seen = petition.version
        services.petition_accept(petition=petition, officer=xihu_staff["leader"], version=seen)
        with pytest.raises(workflow.StaleVersion) as error:
            services.petition_decline(
                petition=petition, officer=xihu_staff["registrar"], version=seen,
                reason="属于诉讼范围", redirect_channel="litigation",
            )  # fmt: skip
        assert error.value.code == "STALE_VERSION"
        assert error.value.extra["current_version"] == seen + 1
        assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_declining_needs_a_reason_and_names_where_to_go_instead(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("registered", officers=xihu_staff)
        with pytest.raises(ValidationError) as error:
            services.petition_decline(
                petition=petition, officer=xihu_staff["registrar"], reason="不属于本机关职权",
                redirect_channel="other_authority",
            )  # fmt: skip
        assert error.value.field == "redirectAuthority"
        declined = services.petition_decline(
            petition=petition, officer=xihu_staff["registrar"], reason="不属于本机关职权",
            redirect_channel="other_authority", redirect_authority="杭州市市场监督管理局",
        )  # fmt: skip
        assert declined.status == Status.DECLINED
        event = PetitionEvent.objects.get(petition=petition, kind="decline")
        assert event.public
        assert "杭州市市场监督管理局" in event.data["document"]["text"]
        assert event.data["redirect_channel"] == "other_authority"


def test_an_extension_is_once_at_most_thirty_days_by_a_leader_with_a_reason(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=xihu_staff)
        before = petition.handling_due
        with pytest.raises(PermissionDenied):
            services.petition_extend(
                petition=petition, officer=xihu_staff["handler"], days=10, reason="情况复杂"
            )
        with pytest.raises(ValidationError) as too_long:
            services.petition_extend(
                petition=petition, officer=xihu_staff["leader"], days=31, reason="情况复杂"
            )
        assert too_long.value.code == "EXTENSION_TOO_LONG"
        extended = services.petition_extend(
            petition=petition, officer=xihu_staff["leader"], days=30, reason="需要多部门会商"
        )
        assert extended.extended
        assert extended.handling_due >= before + datetime.timedelta(days=30)
        notice = PetitionEvent.objects.get(petition=petition, kind="extend")
        assert notice.public and "需要多部门会商" in notice.data["document"]["text"]
        with pytest.raises(workflow.WorkflowError) as again:
            services.petition_extend(
                petition=extended, officer=xihu_staff["leader"], days=5, reason="再次延期"
            )
        assert again.value.code == "ALREADY_EXTENDED"


def test_only_the_assigned_handler_or_a_leader_may_reply(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=xihu_staff)
        with pytest.raises(PermissionDenied) as error:
            services.petition_reply(
                petition=petition, officer=xihu_staff["handler2"], opinion="答复"
            )
        assert error.value.code == "NOT_THE_HANDLER"
        replied = services.petition_reply(
            petition=petition, officer=xihu_staff["leader"], opinion="答复"
        )
        assert replied.status == Status.REPLIED


def test_the_assignee_must_hold_the_handler_role(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("accepted", officers=xihu_staff)
        with pytest.raises(ValidationError) as error:
            services.petition_assign(
                petition=petition, officer=xihu_staff["leader"], handler=xihu_staff["registrar"]
            )
        assert error.value.code == "INVALID_HANDLER"


def test_termination_needs_the_matters_concluded_re_review_by_its_reference(xihu_staff, in_office):
    leader = xihu_staff["leader"]
    with in_office("xihu"):
        petition = petition_at("evaluated", officers=xihu_staff)

        def terminate(reference):
            with pytest.raises(ServiceError) as error:
                services.petition_terminate(
                    petition=petition, officer=leader, recheck_reference=reference
                )
            return error.value.code

        assert terminate(" ") == "REQUIRED"
        # Any reference, before any re-review: refused (终结 comes from the 复核 opinion only).
        assert terminate("浙信复核〔2026〕12号") == "NOT_RE_REVIEWED"
        recheck = rereviewed(petition)  # 复查 at 杭州, 复核 at 浙江: the matter ended there
        assert terminate("浙信复核〔2026〕12号") == "NOT_RE_REVIEWED"  # not this matter's
        assert Petition.objects.get(pk=petition.pk).status == Status.EVALUATED
        terminated = services.petition_terminate(
            petition=petition, officer=leader, recheck_reference=recheck.receiver_reference
        )
        event = PetitionEvent.objects.get(petition=petition, kind="terminate")
    assert terminated.status == Status.TERMINATED
    assert event.data["recheck_reference"] == recheck.receiver_reference
    assert recheck.receiver_reference in event.data["document"]["text"]


def test_a_re_review_of_another_matter_terminates_nothing(xihu_staff, in_office):
    with in_office("xihu"):
        ended, other = (petition_at("replied", officers=xihu_staff) for _ in range(2))
        recheck = rereviewed(ended)
        with pytest.raises(ServiceError) as error:
            services.petition_terminate(
                petition=other,
                officer=xihu_staff["leader"],
                recheck_reference=recheck.receiver_reference,
            )
    assert error.value.code == "NOT_RE_REVIEWED"


def test_the_table_names_roles_and_states_for_every_transition():
    for transition in workflow.Transition:
        step = workflow.step(transition)
        assert step.sources and step.roles
        assert all(source in Status.values for source in step.sources)
        assert step.target is None or step.target in Status.values


def test_available_transitions_follow_the_officers_roles(xihu_staff, in_office):
    with in_office("xihu"):
        petition = petition_at("accepted", officers=xihu_staff)
        # The table's steps for the role; finality then narrows them by the matter's termination
        # (terminate only after its 复核: availableTransitions, tests/exchange/test_finality.py).
        assert workflow.available(petition, xihu_staff["leader"]) == [
            "assign", "extend", "terminate", "mediate",
        ]  # fmt: skip
        assert workflow.available(petition, xihu_staff["handler"]) == []
