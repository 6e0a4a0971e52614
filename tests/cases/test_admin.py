"""Officers work petitions in their office's Django admin, through the same services."""

import pytest

from tests import factories
from tests.cases.support import petition_at
from xinfang.platform.cases.models import Petition, PetitionEvent, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(in_office, client_for):
    def make(*roles):
        with in_office("xihu"):
            officer = factories.officer(roles=roles)
            officer.is_staff = True
            officer.save(update_fields=["is_staff"])
            client = client_for("xihu")
            client.force_login(officer)
        return client, officer

    return make


def test_registering_in_the_admin_goes_through_the_service(admin_client_for, in_office):
    client, _ = admin_client_for("registrar")
    response = client.post("/admin/cases/petition/add/", {
        "channel": "letter", "category": "02.01", "place": "西湖区留下街道",
        "content": "工地拖欠农民工工资", "name": "褚三", "id_number": factories.id_number(),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    with in_office("xihu"):
        petition = Petition.objects.get(content="工地拖欠农民工工资")
        assert petition.reference.startswith("330106-")
        assert PetitionEvent.objects.filter(petition=petition, kind="registered").exists()


def test_a_workflow_step_in_the_admin_checks_role_state_and_version(
    admin_client_for, xihu_staff, in_office
):
    with in_office("xihu"):
        petition = petition_at("routed", officers=xihu_staff)
    url = f"/admin/cases/petition/{petition.pk}/act/"
    handler_client, _ = admin_client_for("handler")
    refused = handler_client.post(url, {"transition": "accept", "version": petition.version})
    assert refused.status_code == 200 and "PERMISSION_DENIED" in refused.content.decode()
    leader_client, _ = admin_client_for("leader")
    stale = leader_client.post(url, {"transition": "accept", "version": petition.version - 1})
    assert "STALE_VERSION" in stale.content.decode()
    done = leader_client.post(url, {"transition": "accept", "version": petition.version})
    assert done.status_code == 302
    with in_office("xihu"):
        assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_petitions_are_read_only_in_the_admin_and_listed_for_officers(
    admin_client_for, xihu_staff, in_office
):
    with in_office("xihu"):
        petition = petition_at("registered", officers=xihu_staff)
    client, _ = admin_client_for("handler")
    assert petition.reference in client.get("/admin/cases/petition/").content.decode()
    page = client.get(f"/admin/cases/petition/{petition.pk}/change/")
    assert page.status_code == 200 and '<input type="submit"' not in page.content.decode()
    assert client.post(f"/admin/cases/petition/{petition.pk}/delete/").status_code == 403


def test_a_bulk_action_runs_each_petition_through_its_service(
    admin_client_for, xihu_staff, in_office
):
    with in_office("xihu"):
        ready = petition_at("registered", officers=xihu_staff)
        accepted = petition_at("accepted", officers=xihu_staff)
    client, _ = admin_client_for("registrar")
    client.post("/admin/cases/petition/", {
        "action": "route_selected", "_selected_action": [str(ready.pk), str(accepted.pk)],
    })  # fmt: skip
    with in_office("xihu"):
        assert Petition.objects.get(pk=ready.pk).status == Status.ROUTED
        assert Petition.objects.get(pk=accepted.pk).status == Status.ACCEPTED  # refused, unchanged
