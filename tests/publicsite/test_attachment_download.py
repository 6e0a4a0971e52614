"""Attachments are fetched by the office's officers only, through an authorised view, always as a
download with the type found in the content; never from a URL of the storage."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.publicsite.conftest import PDF, filing
from xinfang.platform.cases.models import Petition
from xinfang.platform.publicsite.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(client_for, in_office):
    client = client_for("xihu")
    upload = SimpleUploadedFile("../../材料<1>.pdf", PDF, "text/html")
    page = client.post("/public/file", filing(client, attachments=[upload])).content.decode()
    reference = re.search(r'data-testid="receipt-reference">([^<]+)<', page).group(1)
    with in_office("xihu"):
        return Attachment.objects.get(petition=Petition.objects.get(reference=reference))


def test_an_officer_of_the_office_downloads_it(officer_client, attachment):
    client, _ = officer_client("xihu", "handler")
    response = client.get(f"/attachments/{attachment.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    assert attachment.name == "材料<1>.pdf"  # no path from the uploaded name


def test_nobody_else_gets_it(client_for, officer_client, attachment):
    assert client_for("xihu").get(f"/attachments/{attachment.pk}").status_code == 403
    yuhang, _ = officer_client("yuhang", "leader")
    assert yuhang.get(f"/attachments/{attachment.pk}").status_code == 404
    assert client_for("xihu").get("/attachments/not-a-uuid").status_code == 404


def test_the_admin_lists_it_with_the_download_link(admin_site_client, attachment):
    client = admin_site_client("xihu", "handler")
    page = client.get("/admin/publicsite/attachment/").content.decode()
    assert f"/attachments/{attachment.pk}" in page
