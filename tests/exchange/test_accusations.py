"""Whistleblowers (Art 30): the reporter's identity never reaches an office whose jurisdiction
contains the accused body, at any hop, and the copy's text says nothing that names them."""

import pytest
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.petitions import petition_in, replied
from xinfang.platform.cases.services import PetitionerInput
from xinfang.platform.exchange import services
from xinfang.platform.registry.models import PetitionRecord

REPORTER = "王小明"
LETTER = (
    f"我叫{REPORTER}，电话13800001111，住三墩镇振华路8号，身份证{{id}}。"
    "举报被反映对象的干部收受贿赂，请依法查处。"
)


def accuse(register, office, code, kind):
    id_number = factories.id_number()
    people = [PetitionerInput(name=REPORTER, id_number=id_number, phone="13800001111",
                              address="三墩镇振华路8号")]  # fmt: skip
    return register(
        office, petitioners=people, content=LETTER.format(id=id_number), is_accusation=True,
        accused_body="被反映单位", accused_kind=kind, accused_division_code=code,
    )  # fmt: skip


def transfer(act, staff, sender, petition_id, receiver):
    with act(sender):
        return services.petition_transfer(
            petition_id=petition_id, officer=staff(sender), receiver_code=receiver
        )


def assert_no_reporter(office, petition_id):
    copy = petition_in(office, petition_id)
    with tenant_context(office):
        people = list(copy.petitioners.values_list("name", "id_number", "phone", "address"))
    assert people == [(services.WITHHELD_NAME, "", "", "")]
    for secret in (REPORTER, "13800001111", "振华路8号"):
        assert secret not in copy.content
    assert "身份证[号码]" in copy.content and "收受贿赂" in copy.content


@pytest.mark.parametrize(
    ("code", "kind", "registrar", "receiver", "withheld"),
    [
        ("330106109", "town", "yuhang", "330106", True),  # 三墩镇, inside 西湖区
        ("330106109", "town", "yuhang", "330100", True),  # 杭州 contains 西湖 contains the town
        ("330106109201", "village", "ningbo", "330106", True),  # a village committee in 西湖
        ("330106", "department", "yinzhou", "330100", True),  # a 西湖 county bureau
        ("330106", "department", "hangzhou", "330110", False),  # 余杭 does not contain 西湖
        ("330100", "department", "xihu", "330100", True),  # a 杭州 city department
        ("330100", "department", "xihu", "330200", False),
    ],
)
def test_identity_is_withheld_from_every_office_containing_the_accused(
    offices, staff, register, act, code, kind, registrar, receiver, withheld
):
    petition = accuse(register, registrar, code, kind)
    handoff = transfer(act, staff, registrar, petition.pk, receiver)
    assert handoff.identity_withheld is withheld
    name = next(n for n, o in offices.items() if o.code == receiver)
    if withheld:
        assert_no_reporter(offices[name], handoff.receiver_petition_id)
        assert receiver not in PetitionRecord.objects.get(petition_id=petition.pk).viewer_codes
    else:
        assert REPORTER in petition_in(offices[name], handoff.receiver_petition_id).content


def test_a_chain_of_two_transfers_withholds_at_the_hop_into_the_accused_area(
    offices, staff, register, act
):
    petition = accuse(register, "ningbo", "330106109", "town")
    first = transfer(act, staff, "ningbo", petition.pk, "330110")  # 余杭: outside 西湖
    assert not first.identity_withheld
    second = transfer(act, staff, "yuhang", first.receiver_petition_id, "330106")
    assert second.identity_withheld
    assert_no_reporter(offices["xihu"], second.receiver_petition_id)
    for copy_id in (petition.pk, first.receiver_petition_id):  # the copies naming the reporter
        assert "330106" not in PetitionRecord.objects.get(petition_id=copy_id).viewer_codes
    # Nor does 杭州, which contains 西湖, read them though it oversees 余杭.
    yuhang_copy = PetitionRecord.objects.get(petition_id=first.receiver_petition_id)
    assert "330100" not in yuhang_copy.viewer_codes


def test_a_review_above_the_handling_office_withholds_when_it_contains_the_accused(
    offices, staff, register, act
):
    # A 西湖 county bureau accused before 余杭; the review goes to 杭州, which contains 西湖.
    petition = replied(offices, accuse(register, "yuhang", "330106", "department"), days_ago=3)
    with tenant_context(offices["yuhang"]):
        id_number = petition.petitioners.get().id_number
    with act("hangzhou"):
        review = services.review_request(
            reference=petition.reference, officer=staff("hangzhou"), grounds="不服",
            evidence=services.ReviewEvidence(kind="visit", id_number=id_number),
        )  # fmt: skip
    assert review.identity_withheld
    assert_no_reporter(offices["hangzhou"], review.receiver_petition_id)
