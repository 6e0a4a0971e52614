"""Attachments filed with a petition travel with it: the receiving office's copy has them (the
same files, its own rows), its officers download them at its host, the sender keeps its own;
an accusation's copy that withholds the reporter's identity gets none (a file could name them);
a second copy of the matter in the same office gets them too."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.exchange.test_accusations import accuse
from tests.publicsite.conftest import PDF, PNG
from xinfang.platform.exchange import services
from xinfang.platform.publicsite import attachments
from xinfang.platform.publicsite.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _attach(office, petition, files) -> list[Attachment]:
    """What online filing stores with a petition (publicsite.attachments, the filing's steps)."""
    with tenant_context(office):
        checked = attachments.check([SimpleUploadedFile(n, b, t) for n, b, t in files])
        return attachments.attach(petition, attachments.save(checked, office_code=office.code))


def _rows(office, petition_id) -> list[tuple]:
    with tenant_context(office):
        rows = Attachment.objects.filter(petition_id=petition_id).order_by("name")
        return [(a.name, a.content_type, a.size, a.sha256) for a in rows]


FILES = [("现场照片.png", PNG, "image/png"), ("材料.pdf", PDF, "application/pdf")]


def test_a_transfer_carries_the_attachments_to_the_receiving_office(
    offices, staff, register, act, officer_client
):
    petition = register("xihu")
    _attach(offices["xihu"], petition, FILES)
    with act("xihu"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330100"
        )
    sent = _rows(offices["xihu"], petition.pk)
    assert len(sent) == 2 and _rows(offices["hangzhou"], handoff.receiver_petition_id) == sent
    with tenant_context(offices["hangzhou"]):
        copy_pdf = Attachment.objects.get(petition_id=handoff.receiver_petition_id, name="材料.pdf")
    hangzhou, _ = officer_client("hangzhou", "handler")
    response = hangzhou.get(f"/attachments/{copy_pdf.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    xihu, _ = officer_client("xihu", "handler")
    assert xihu.get(f"/attachments/{copy_pdf.pk}").status_code == 404  # 杭州's row, not 西湖's


def test_an_assignment_carries_them_down(offices, staff, register, act):
    petition = register("hangzhou")
    _attach(offices["hangzhou"], petition, FILES[:1])
    with act("hangzhou"):
        handoff = services.petition_assign_to_office(
            petition_id=petition.pk, officer=staff("hangzhou"), receiver_code="330106",
            due_date=timezone.localdate() + datetime.timedelta(days=30), reason="属地办理",
        )  # fmt: skip
    assert _rows(offices["xihu"], handoff.receiver_petition_id) == _rows(
        offices["hangzhou"], petition.pk
    )


def test_a_second_copy_of_the_matter_in_the_same_office_gets_them_too(
    offices, staff, register, act
):
    petition = register("xihu")
    _attach(offices["xihu"], petition, FILES)
    with act("xihu"):  # 上报 to 杭州 (西湖 keeps it), then 转送 to 杭州: two copies there
        escalated = services.petition_escalate(
            petition_id=petition.pk, officer=staff("xihu"), reason="重大", urgency="major"
        )
    with act("hangzhou"):
        services.handoff_accept(handoff_id=escalated.pk, officer=staff("hangzhou"))
    with act("xihu"):
        transferred = services.petition_transfer(
            petition_id=petition.pk, officer=staff("xihu"), receiver_code="330100"
        )
    expected = _rows(offices["xihu"], petition.pk)
    for copy_id in (escalated.receiver_petition_id, transferred.receiver_petition_id):
        assert _rows(offices["hangzhou"], copy_id) == expected


def test_a_copy_withholding_the_reporters_identity_gets_no_attachments(
    offices, staff, register, act
):
    petition = accuse(register, "yuhang", "330106109", "town")  # 三墩镇, inside 西湖区
    _attach(offices["yuhang"], petition, FILES)
    with act("yuhang"):
        handoff = services.petition_transfer(
            petition_id=petition.pk, officer=staff("yuhang"), receiver_code="330106"
        )
    assert handoff.identity_withheld
    assert _rows(offices["xihu"], handoff.receiver_petition_id) == []
    assert len(_rows(offices["yuhang"], petition.pk)) == 2
