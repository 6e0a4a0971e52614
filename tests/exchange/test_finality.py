"""终结 sticks (Art 36): a petition linked to a terminated matter — by the ID number or the same
name and phone in any category, by a confirmed repeat, or by an officer's decision — is only
declined as 不再受理 citing the termination, unless a leader records new facts and reasons (an
audited override)."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.graphql import error_code, gql
from tests.support.ladder import rereviewed
from tests.support.petitions import replied
from xinfang.platform.cases import finality, workflow
from xinfang.platform.cases import services as cases
from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent, Status
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.pii import contact_key, person_key
from xinfang.platform.registry.models import TerminatedMatter
from xinfang.platform.resolution import services as resolution
from xinfang.platform.resolution.models import Reopening
from xinfang.platform.resolution.services import OutcomeInput
from xinfang.search import services as search_services
from xinfang.search.models import RepeatCandidate


@pytest.fixture
def terminated(offices, staff, register, act):
    """A matter of 李四 at 西湖, taken up the ladder to 浙江 and terminated: (petition, person,
    the re-review handoff)."""
    person = PetitionerInput(name="李四", id_number=factories.id_number(), phone="13700001234")
    petition = replied(offices, register("xihu", petitioners=[person]), days_ago=5)
    return petition, person, rereviewed(petition)


def attempts(staff, petition_id, office):
    """Every way forward but a decline, each as a callable."""
    officer = staff(office)
    return {
        "route": lambda: cases.petition_route(petition=petition_id, officer=officer),
        "transfer": lambda: services.petition_transfer(
            petition_id=petition_id,
            officer=officer,
            receiver_code="330212" if office == "yuhang" else "330110",
        ),
        "escalate": lambda: services.petition_escalate(
            petition_id=petition_id, officer=officer, reason="重大"
        ),
        "decline elsewhere": lambda: cases.petition_decline(
            petition=petition_id, officer=officer, reason="属诉讼", redirect_channel="litigation"
        ),
    }


def assert_only_no_longer_accepted(staff, act, office, petition):
    with act(office):
        for name, attempt in attempts(staff, petition.pk, office).items():
            with pytest.raises(ServiceError) as error:
                attempt()
            assert error.value.code == "MATTER_TERMINATED", name
        declined = cases.petition_decline(
            petition=petition.pk, officer=staff(office), reason="同一事实和理由",
            redirect_channel="no_longer_accepted",
        )  # fmt: skip
        notice = PetitionEvent.objects.get(petition=declined, kind=EventKind.DECLINE)
    assert declined.status == Status.DECLINED
    return notice.data["document"]


def test_the_same_person_under_another_category_anywhere_in_the_province_is_not_accepted(
    terminated, staff, register, act
):
    _, person, recheck = terminated
    again = register("yinzhou", petitioners=[person], category="02.01")  # registered, not refused
    document = assert_only_no_longer_accepted(staff, act, "yinzhou", again)
    assert document["kind"] == "no_longer_accepted"
    assert recheck.receiver_reference in document["text"] and "不再受理" in document["text"]


def test_the_same_name_and_phone_without_the_id_number_is_not_accepted(
    terminated, staff, register, act
):
    _, person, _ = terminated
    no_id = PetitionerInput(name=person.name, phone=f"+86 {person.phone}")
    again = register("yuhang", petitioners=[no_id], category="01.06")
    assert_only_no_longer_accepted(staff, act, "yuhang", again)
    # The same phone under another name is someone else (a phone may be a family's).
    relative = register("yuhang", petitioners=[PetitionerInput(name="李小四", phone=person.phone)])
    with act("yuhang"):
        assert cases.petition_route(petition=relative.pk, officer=staff("yuhang")).status == (
            Status.ROUTED
        )


def test_a_confirmed_repeat_links_the_petition(terminated, staff, register, act):
    original, person, _ = terminated
    new_phone = PetitionerInput(name=person.name, phone="13911112222")
    no_id = register("xihu", petitioners=[new_phone])
    with act("xihu"):
        candidate = RepeatCandidate.objects.create(
            petition=no_id, candidate_petition_id=original.pk,
            candidate_matter_id=original.matter_id, office_code="330106", office_level="county",
            reference=original.reference, status="replied", registered_at=original.registered_at,
            score=9.0, reasons=["similar_content"], on_terminated_matter=True,
            found_at=timezone.now(),
        )  # fmt: skip
        search_services.repeat_candidate_confirm(candidate_id=candidate.pk, officer=staff("xihu"))
    assert_only_no_longer_accepted(staff, act, "xihu", no_id)


def test_an_officer_links_a_petition_to_the_terminated_matter_by_its_reference(
    terminated, staff, register, act
):
    original, _, _ = terminated
    stranger = register("yuhang")
    with act("yuhang"):
        with pytest.raises(ServiceError) as error:  # a matter that is not terminated
            cases.petition_link_terminated(
                petition=stranger.pk, officer=staff("yuhang"), reference=stranger.reference
            )
        assert error.value.code == "NO_TERMINATED_MATTER"
        cases.petition_link_terminated(
            petition=stranger.pk, officer=staff("yuhang"), reference=original.reference,
            note="同一征地补偿事项",
        )  # fmt: skip
    assert_only_no_longer_accepted(staff, act, "yuhang", stranger)


def test_a_leader_admits_new_facts_and_the_petition_goes_on_audited(
    terminated, offices, staff, register, act
):
    _, person, _ = terminated
    again = register("xihu", petitioners=[person])
    registrar = staff("xihu", roles=("registrar",))
    with act("xihu"):
        with pytest.raises(ServiceError) as error:
            cases.petition_admit_new_facts(petition=again.pk, officer=registrar, reasons="新证据")
        assert error.value.code == "PERMISSION_DENIED"
        with pytest.raises(ServiceError) as error:  # a normal petition is declined normally
            cases.petition_decline(
                petition=register("xihu").pk, officer=registrar, reason="无",
                redirect_channel="no_longer_accepted",
            )  # fmt: skip
        assert error.value.code == "NO_TERMINATED_MATTER"
        cases.petition_admit_new_facts(
            petition=again.pk, officer=staff("xihu"), reasons="提交了新的鉴定结论"
        )
        routed = cases.petition_route(petition=again.pk, officer=registrar)
        audit = PetitionEvent.objects.get(petition=again, kind=EventKind.NEW_FACTS_ADMITTED)
    assert routed.status == Status.ROUTED
    assert (audit.actor_id, audit.note) == (staff("xihu").pk, "提交了新的鉴定结论")


DETAIL = """
query($id: ID!) { petition(id: $id) {
  availableTransitions newFactsAdmittedAt terminatedMatter { terminatedOn recheckReference }
} }"""


def test_graphql_obeys_the_termination(terminated, offices, staff, register, officer_client):
    from tests.support.graphql import gid as support_gid

    _, person, recheck = terminated
    again = register("xihu", petitioners=[person])
    client, _ = officer_client("xihu", "registrar", "leader")
    node = support_gid("Petition", "330106", again.pk)
    linked = gql(client, DETAIL, id=node)["data"]["petition"]
    assert linked["availableTransitions"] == ["DECLINE"]
    assert linked["terminatedMatter"] == {
        "terminatedOn": timezone.localdate().isoformat(),
        "recheckReference": recheck.receiver_reference,
    }
    route = gql(
        client,
        "mutation($id: ID!) { routePetition(id: $id, version: 1) { petition { status } } }",
        id=node,
    )
    assert error_code(route) == "MATTER_TERMINATED"
    body = gql(
        client,
        "mutation($id: ID!, $reasons: String!) { admitNewFacts(id: $id, version: 1, "
        "reasons: $reasons) { petition { status } } }",
        id=node, reasons="新的事实",
    )  # fmt: skip
    assert "errors" not in body, body
    admitted = gql(client, DETAIL, id=node)["data"]["petition"]
    assert admitted["terminatedMatter"] is None and admitted["newFactsAdmittedAt"]
    assert "ROUTE" in admitted["availableTransitions"]
    with tenant_context(offices["xihu"]):
        assert Petition.objects.get(pk=again.pk).new_facts_admitted_at is not None


def test_a_withheld_accuser_is_recognised_again_but_never_where_it_would_name_them(
    offices, staff, act
):
    """Arts 30 and 36 together. An accusation against 三墩镇 (inside 西湖), filed at 余杭, reaches
    西湖 without the reporter's identity; 杭州 reviews and 浙江 re-reviews it (both contain the
    town: their copies name nobody). The terminated matter keeps the reporter's keys — hashes,
    never the identity — so 余杭, which knew them, and 鄞州 recognise the same person again;
    西湖, 杭州 and 浙江 do not, since that would tell them who accused."""
    person = PetitionerInput(name="王小明", id_number=factories.id_number(), phone="13800001111")
    with act("yuhang"):
        filed = factories.petition(
            officer=staff("yuhang"), petitioners=[person], is_accusation=True,
            accused_body="三墩镇人民政府", accused_kind="town", accused_division_code="330106109",
        )  # fmt: skip
        handoff = services.petition_transfer(
            petition_id=filed.petition.pk, officer=staff("yuhang"), receiver_code="330106"
        )
    assert handoff.identity_withheld
    with act("xihu"):
        copy = Petition.objects.get(pk=handoff.receiver_petition_id)
    proof = services.ReviewEvidence(kind="query_code", query_code=filed.query_code)
    rereviewed(replied(offices, copy, days_ago=2), evidence=proof)

    ended = TerminatedMatter.objects.get(matter_id=filed.petition.matter_id)
    assert ended.person_keys == [person_key(person.id_number)]
    assert ended.contact_keys == [contact_key(person.name, person.phone)]
    assert ended.reporter_office_codes == ["330110"]
    stored = str([getattr(ended, f.attname) for f in TerminatedMatter._meta.fields])
    assert person.id_number not in stored and person.name not in stored
    assert person.phone not in stored
    for office in ("yuhang", "yinzhou"):
        again = register_again(staff, act, office, person)
        with act(office), pytest.raises(ServiceError) as error:
            cases.petition_route(petition=again.pk, officer=staff(office))
        assert error.value.code == "MATTER_TERMINATED", office
    for office in ("xihu", "hangzhou", "zhejiang"):
        again = register_again(staff, act, office, person)
        with act(office):
            assert cases.petition_route(petition=again.pk, officer=staff(office)).status == (
                Status.ROUTED
            ), office


def register_again(staff, act, office, person):
    """The same person again, on another matter and category."""
    with act(office):
        return factories.petition(
            officer=staff(office), petitioners=[person], category="02.01"
        ).petition


def test_a_matter_ended_by_its_re_review_is_never_handled_again_only_terminated(
    terminated, staff, act
):
    """Art 36 on the office's side: after the 复核 opinion, 西湖's own copy (still replied) is not
    re-handled — a dissatisfied rating is recorded without reopening it, a leader cannot reopen
    it nor close it by mediation — and 终结 is what it may still do."""
    original, _, recheck = terminated
    leader = staff("xihu")
    with act("xihu"):
        rated = cases.petition_evaluate(
            petition=original.pk, officer=leader, satisfaction="dissatisfied"
        )
        assert rated.status == Status.EVALUATED and not Reopening.objects.exists()
        mediation = OutcomeInput(
            kind="mediated", summary="调解", agreement_title="调解协议书",
            agreement_text="双方同意", agreement_parties=["信访人", "责任单位"],
        )  # fmt: skip
        for attempt in (
            lambda: resolution.petition_reopen(petition=original.pk, officer=leader, reason="再办"),
            lambda: resolution.petition_mediate(
                petition=original.pk, officer=leader, outcome=mediation
            ),
        ):
            with pytest.raises(ServiceError) as error:
                attempt()
            assert error.value.code == "MATTER_TERMINATED"
        available = workflow.available(Petition.objects.get(pk=original.pk), leader)
        narrowed = finality.available(rated, available, finality.termination_of(rated))
        assert "reopen" in available and "reopen" not in narrowed and "terminate" in narrowed
        ended = cases.petition_terminate(
            petition=original.pk, officer=leader, recheck_reference=recheck.receiver_reference
        )
    assert ended.status == Status.TERMINATED


def test_a_copy_still_re_handled_when_the_re_review_ends_the_matter_is_terminated_not_answered(
    offices, staff, register, act
):
    """西湖 reopened its copy while the petitioner went up the ladder: once 浙江's 复核 ends the
    matter, 西湖 issues no new opinion (it would offer a 复查 that can no longer be asked); it
    terminates the copy, which leaves no deadline running."""
    petition = replied(offices, register("xihu"), days_ago=3)
    leader = staff("xihu")
    with act("xihu"):
        resolution.petition_reopen(petition=petition.pk, officer=leader, reason="重新核查")
    recheck = rereviewed(petition)
    with act("xihu"):
        with pytest.raises(ServiceError) as error:
            cases.petition_reply(petition=petition.pk, officer=leader, opinion="新的处理意见")
        assert error.value.code == "MATTER_TERMINATED"
        ended = cases.petition_terminate(
            petition=petition.pk, officer=leader, recheck_reference=recheck.receiver_reference
        )
    assert (ended.status, ended.next_due) == (Status.TERMINATED, None)
