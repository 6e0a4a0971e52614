"""Online filing resists abuse without outside services: Redis counters per client address and per
ID number, a honeypot, a form token that must have aged like a person's typing."""

from dataclasses import replace

import pytest
import redis
from django.core import signing

from tests import factories
from tests.publicsite.conftest import field_error, filing, value_of
from xinfang.platform.cases.models import Petition
from xinfang.platform.publicsite import limits

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode()


def test_one_id_number_files_at_most_three_petitions_a_day(client_for, in_office):
    client = client_for("xihu")
    number = factories.id_number()
    for _ in range(limits.FILINGS_PER_PERSON):
        assert client.post("/public/file", filing(client, id_number=number)).status_code == 201
    refused = client.post("/public/file", filing(client, id_number=number))
    assert refused.status_code == 400
    assert "过于频繁" in field_error(_page(refused), "id_id_number")
    assert value_of(_page(refused), "id_content")  # what was typed is kept
    other = client.post("/public/file", filing(client, id_number=factories.id_number()))
    assert other.status_code == 201  # another person from the same address is not held up
    with in_office("xihu"):
        assert Petition.objects.filter(petitioners__name="王小明").count() == 4


def test_a_co_petitioner_counts_as_a_person_too(client_for):
    client = client_for("xihu")
    number = factories.id_number()
    for _ in range(limits.FILINGS_PER_PERSON):
        client.post("/public/file", filing(client, id_number=number))
    data = filing(client, **{"co-0-name": "李四", "co-0-id_number": number})
    assert client.post("/public/file", data).status_code == 400


def test_one_client_address_files_at_most_ten_an_hour(client_for, monkeypatch):
    monkeypatch.setattr(limits, "CLIENT_FILINGS", replace(limits.CLIENT_FILINGS, limit=2))
    client = client_for("xihu")
    assert client.post("/public/file", filing(client)).status_code == 201
    assert client.post("/public/file", filing(client)).status_code == 201
    refused = client.post("/public/file", filing(client))
    assert "过于频繁" in _page(refused)
    other = client_for("xihu", REMOTE_ADDR="10.9.8.7")
    assert other.post("/public/file", filing(other)).status_code == 201


def test_every_submission_counts_against_the_client_budget(client_for, monkeypatch):
    monkeypatch.setattr(limits, "ATTEMPTS", replace(limits.ATTEMPTS, limit=3))
    client = client_for("xihu")
    for _ in range(3):
        assert client.post("/public/file", filing(client, name="")).status_code == 400
    refused = client.post("/public/file", filing(client))  # valid, but over the budget
    assert refused.status_code == 400 and "过于频繁" in _page(refused)


def test_the_budgets_are_shared_by_every_office_host(client_for, monkeypatch):
    monkeypatch.setattr(limits, "CLIENT_FILINGS", replace(limits.CLIENT_FILINGS, limit=1))
    xihu, yuhang = client_for("xihu"), client_for("yuhang")
    assert xihu.post("/public/file", filing(xihu)).status_code == 201
    assert yuhang.post("/public/file", filing(yuhang, place_code="330110")).status_code == 400


def test_the_counters_in_redis_hold_no_id_number(client_for, settings):
    client = client_for("xihu")
    number = factories.id_number()
    client.post("/public/file", filing(client, id_number=number))
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = redis.Redis.from_url(settings.REDIS_URL).keys(f"{prefix}:*")
    assert any(b"filings-person" in key for key in keys)
    assert not any(number.encode() in key for key in keys)


def test_a_filled_honeypot_registers_nothing(client_for, in_office):
    client = client_for("xihu")
    response = client.post("/public/file", filing(client, homepage="http://spam.example"))
    assert response.status_code == 400
    assert "提交未成功" in _page(response)
    with in_office("xihu"):
        assert not Petition.objects.exists()


def test_a_form_sent_back_faster_than_a_person_types_is_refused(client_for, settings, in_office):
    settings.XINFANG_PUBLIC_FORM_MIN_SECONDS = 60
    client = client_for("xihu")
    response = client.post("/public/file", filing(client))
    assert response.status_code == 400 and "提交未成功" in _page(response)
    with in_office("xihu"):
        assert not Petition.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", signing.dumps({"k": "x", "t": 0}, salt="other")])
def test_a_form_without_our_token_is_refused(client_for, token):
    client = client_for("xihu")
    assert client.post("/public/file", filing(client, form_token=token)).status_code == 400


def test_an_expired_form_keeps_what_was_typed_and_takes_a_new_token(client_for, monkeypatch):
    client = client_for("xihu")
    data = filing(client)
    monkeypatch.setattr(limits, "TOKEN_MAX_AGE_SECONDS", -1)
    response = client.post("/public/file", data)
    page = _page(response)
    assert "页面已过期" in page
    assert value_of(page, "id_content") == data["content"]
    assert f'value="{data["form_token"]}"' not in page
