"""网上信访: a petitioner files online; the workbench's registration service registers it (channel
online), attachments are kept by content type, and every bad field answers next to itself."""

import os
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.publicsite.conftest import PDF, PNG, field_error, filing, value_of
from xinfang.platform.cases.models import Channel, Petition, PetitionEvent
from xinfang.platform.publicsite import attachments
from xinfang.platform.publicsite.models import Attachment

pytestmark = pytest.mark.django_db


def receipt_codes(page: str) -> tuple[str, str]:
    reference = re.search(r'data-testid="receipt-reference">([^<]+)<', page).group(1)
    code = re.search(r'data-testid="receipt-query-code">([^<]+)<', page).group(1)
    return reference, code


def test_every_control_of_the_form_has_a_label(client_for):
    page = client_for("xihu").get("/public/file").content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', page)
    assert len(ids) > 20
    missing = [i for i in ids if f'for="{i}"' not in page]
    assert missing == []


def test_a_petition_filed_online_is_registered_by_the_registration_service(client_for, in_office):
    client = client_for("xihu")
    files = [SimpleUploadedFile("现场照片.png", PNG, "image/png"),
             SimpleUploadedFile("材料.PDF", PDF, "application/octet-stream")]  # fmt: skip
    response = client.post("/public/file", filing(client, attachments=files))
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    reference, code = receipt_codes(response.content.decode())
    assert re.fullmatch(r"330106-\d{4}-\d{6}", reference) and len(code) == 12
    with in_office("xihu"):
        petition = Petition.objects.get(reference=reference)
        assert (petition.channel, petition.registered_by, petition.status) == (
            Channel.ONLINE, None, "registered",
        )  # fmt: skip
        assert petition.route_due is not None  # the statutory clock runs as for any petition
        assert petition.petitioners.get().name == "王小明"
        assert PetitionEvent.objects.filter(petition=petition, kind="registered").exists()
        kept = list(Attachment.objects.filter(petition=petition).order_by("name"))
    assert [(a.name, a.content_type, a.size) for a in kept] == [
        ("材料.PDF", "application/pdf", len(PDF)),
        ("现场照片.png", "image/png", len(PNG)),
    ]
    for attachment in kept:  # stored under random names, by the storage API
        assert default_storage.open(attachment.storage_name).read() in (PNG, PDF)
        assert "现场" not in attachment.storage_name and "材料" not in attachment.storage_name


def test_the_receipt_code_opens_the_progress_lookup(client_for):
    client = client_for("xihu")
    reference, code = receipt_codes(client.post("/public/file", filing(client)).content.decode())
    page = client.post("/public/progress", {"reference": reference, "query_code": code})
    assert page.status_code == 200
    assert "已登记" in page.content.decode()


def test_co_petitioners_join_the_petition(client_for, in_office):
    client = client_for("xihu")
    data = filing(client, **{"co-0-name": "李四", "co-0-id_number": "", "co-1-name": "赵五"})
    reference, _ = receipt_codes(client.post("/public/file", data).content.decode())
    with in_office("xihu"):
        petition = Petition.objects.get(reference=reference)
        assert sorted(petition.petitioners.values_list("name", flat=True)) == [
            "李四", "王小明", "赵五",
        ]  # fmt: skip
        assert petition.is_collective


def test_the_same_form_sent_twice_is_one_petition_with_one_receipt(client_for, in_office):
    client = client_for("xihu")
    data = filing(client)
    first = receipt_codes(client.post("/public/file", data).content.decode())
    again = receipt_codes(client.post("/public/file", data).content.decode())
    assert first == again
    with in_office("xihu"):
        assert Petition.objects.filter(reference=first[0]).count() == 1


BAD_FIELDS = [
    # (field, bad value, the control's id, what the petitioner reads next to it)
    ("name", "", "id_name", "请填写姓名"),
    ("id_number", "33010619800101001", "id_id_number", "身份证号码有误"),
    ("id_number", "330106198002300011", "id_id_number", "身份证号码有误"),
    ("id_number", "", "id_id_number", "请填写身份证号码"),
    ("phone", "", "id_phone", "请填写手机号码"),
    ("phone", "12", "id_phone", "电话号码有误"),
    ("email", "lisi@", "id_email", "电子邮箱格式不正确"),
    ("email", "a" * 250 + "@x.cn", "id_email", "电子邮箱过长"),
    ("category", "", "id_category", "请选择问题类别"),
    ("category", "99.99", "id_category", "请从列表中选择问题类别"),
    ("place_code", "", "id_place_code", "请选择问题发生地"),
    ("place_code", "110101", "id_place_code", "请从列表中选择问题发生地"),
    ("place", "", "id_place", "请填写详细地点"),
    ("place", "地" * 201, "id_place", "详细地点过长"),
    ("content", "   ", "id_content", "请填写信访事项"),
    ("request", "", "id_request", "请填写诉求"),
    ("consent", None, "id_consent", "请阅读并勾选同意"),
    ("co-0-id_number", "330106198001010011", "id_co-0-name", "请填写联名信访人的姓名"),
    ("co-1-id_number", "123", "id_co-1-id_number", "身份证号码有误"),
]


@pytest.mark.parametrize(("field", "value", "control", "message"), BAD_FIELDS)
def test_bad_input_is_told_next_to_its_field_and_the_form_keeps_what_was_typed(
    client_for, field, value, control, message
):
    client = client_for("xihu")
    data = filing(client, **{field: value})
    response = client.post("/public/file", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in field_error(page, control)
    assert 'aria-invalid="true"' in re.search(rf'<[^>]*id="{control}"[^>]*>', page).group(0)
    for kept in ("name", "phone", "place", "content"):  # what was typed is still there
        if kept != field:
            assert value_of(page, f"id_{kept}") == data[kept]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("照片.png", b"MZ\x90\x00 not an image", "image/png"), "仅限图片"),
        (SimpleUploadedFile("a.pdf", b"<html><script>", "application/pdf"), "仅限图片"),
        (SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * attachments.MAX_FILE_BYTES), "附件过大"),
    ],
    ids=["exe-named-png", "html-named-pdf", "over-5mb"],
)
def test_attachments_are_judged_by_their_content_and_size(client_for, in_office, upload, message):
    client = client_for("xihu")
    response = client.post("/public/file", filing(client, attachments=[upload]))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in field_error(page, "id_attachments")
    assert "请重新选择" in page  # a browser never keeps chosen files: the page says so
    with in_office("xihu"):
        assert not Attachment.objects.exists()
    assert not default_storage.exists("attachments")


def test_at_most_five_attachments(client_for):
    client = client_for("xihu")
    files = [SimpleUploadedFile(f"{i}.png", PNG) for i in range(attachments.MAX_FILES + 1)]
    page = client.post("/public/file", filing(client, attachments=files)).content.decode()
    assert "附件最多5个" in field_error(page, "id_attachments")


def test_an_oversized_request_is_refused_before_its_body_is_read(client_for):
    response = client_for("xihu").post(
        "/public/file", data=b"x", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(attachments.MAX_REQUEST_BYTES + 1),
    )  # fmt: skip
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_failed_registration_leaves_no_file_behind(client_for, settings):
    client = client_for("xihu")
    data = filing(client, attachments=[SimpleUploadedFile("p.png", PNG)], phone="1")
    assert client.post("/public/file", data).status_code == 400  # the service refuses the phone
    assert [files for _, _, files in os.walk(settings.MEDIA_ROOT) if files] == []


def test_the_form_is_protected_against_cross_site_posts(offices, client_for):
    from django.test import Client

    client = Client(HTTP_HOST=offices["xihu"].primary_host(), enforce_csrf_checks=True)
    data = filing(client)
    assert client.post("/public/file", data).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post("/public/file", {**data, "csrfmiddlewaretoken": token}).status_code == 201
