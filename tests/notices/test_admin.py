"""An office's admin words its notices in the admin (placeholders checked, through the
service) and sees their delivery, never their text."""

import pytest

from tests import factories
from tests.notices.conftest import person
from xinfang.platform.notices.models import NoticeTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(in_office, client_for):
    with in_office("xihu"):
        officer = factories.officer(roles=("admin", "leader"))
        officer.is_staff = True
        officer.save(update_fields=["is_staff"])
        client = client_for("xihu")
        client.force_login(officer)
    return client


def test_a_template_is_saved_through_the_service_and_a_wrong_placeholder_refused(
    admin_client, in_office
):
    url = "/admin/notices/noticetemplate/add/"
    wrong = admin_client.post(url, {"kind": "accepted", "subject": "{title}", "body": "{idNo}"})
    assert wrong.status_code == 200 and "INVALID_TEMPLATE" in wrong.content.decode()
    right = admin_client.post(
        url, {"kind": "accepted", "subject": "{title}", "body": "{name}：{text}"}
    )
    assert right.status_code == 302, right.content.decode()[:2000]
    with in_office("xihu"):
        template = NoticeTemplate.objects.get(kind="accepted")
    assert template.body == "{name}：{text}" and template.updated_by is not None


def test_the_notices_list_shows_delivery_but_not_the_text(admin_client, staff, smtp, in_office):
    with in_office("xihu"):
        registration = factories.petition(officer=staff["registrar"], petitioners=[person()])
    page = admin_client.get("/admin/notices/notice/").content.decode()
    assert registration.petition.reference in page and "l***@example.com" in page
    assert registration.query_code not in page and "lisi@example.com" not in page
