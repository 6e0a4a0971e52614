import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_on_an_office_host(client_for):
    response = client_for("xihu").get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["services"]) == (
        "ok",
        {"postgres": "ok", "redis": "ok", "elasticsearch": "ok"},
    )


def test_healthz_shows_the_outbox_backlog(client_for, in_office, offices):
    from tests import factories

    with in_office("xihu"):
        factories.petition(officer=factories.officer(roles=("registrar",)))
    backlog = client_for("xihu").get("/healthz").json()["outbox"]
    assert backlog["search.index"]["pending"] >= 1
    assert backlog["search.check_repeats"]["pending"] >= 1


def test_healthz_shows_the_messages_waiting_in_each_queue(client_for):
    queues = client_for("xihu").get("/healthz").json()["queues"]
    assert sorted(queues) == ["checks", "default", "index", "notices", "scans"]
    assert all(isinstance(n, int) and n >= 0 for n in queues.values())


def test_healthz_answers_on_the_public_host(offices):
    assert Client(HTTP_HOST="localhost").get("/healthz").json()["status"] == "ok"


def test_healthz_says_which_service_is_down(client_for, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client_for("xihu").get("/healthz")
    assert response.status_code == 503
    assert response.json()["services"]["redis"].startswith("down")
    assert response.json()["services"]["postgres"] == "ok"
