"""Intake (登记): validation, reference numbers, personal data protection, the change hook."""

import datetime
import logging
from dataclasses import replace
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from xinfang.platform import pii
from xinfang.platform.cases import deadlines, services, taxonomy
from xinfang.platform.cases.models import Petition, Petitioner, PetitionEvent
from xinfang.platform.cases.services import PetitionerInput, query_code_hash
from xinfang.platform.errors import PermissionDenied, ValidationError
from xinfang.platform.registry.models import PetitionRecord

pytestmark = pytest.mark.django_db


def test_registration_issues_the_next_reference_of_the_office_and_year(xihu_staff, in_office):
    with in_office("xihu"):
        first = factories.petition(officer=xihu_staff["registrar"]).petition
        second = factories.petition(officer=xihu_staff["registrar"]).petition
    office, year, number = first.reference.split("-")
    assert (office, len(number)) == ("330106", 6)
    assert second.reference == f"330106-{year}-{int(number) + 1:06d}"


def test_an_id_number_with_a_wrong_check_digit_is_refused(xihu_staff, in_office):
    good = factories.id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with in_office("xihu"), pytest.raises(ValidationError) as error:
        factories.petition(officer=xihu_staff["registrar"], petitioners=[
            PetitionerInput(name="李四", id_number=bad)])  # fmt: skip
    assert (error.value.code, error.value.field) == ("INVALID_ID_NUMBER", "petitioners.0.idNumber")


def test_a_collective_petition_has_at_most_five_representatives(xihu_staff, in_office):
    people = [
        PetitionerInput(name=f"代表{i}", id_number=factories.id_number(), is_representative=True)
        for i in range(6)
    ]
    with in_office("xihu"):
        with pytest.raises(ValidationError) as error:
            factories.petition(officer=xihu_staff["registrar"], petitioners=people)
        assert error.value.code == "TOO_MANY_REPRESENTATIVES"
        collective = factories.petition(
            officer=xihu_staff["registrar"], petitioners=people[1:]
        ).petition
        assert collective.is_collective
        assert collective.petitioners.filter(is_representative=True).count() == 5


def test_more_than_five_people_must_name_representatives(xihu_staff, in_office):
    crowd = [PetitionerInput(name=f"村民{i}", id_number=factories.id_number()) for i in range(40)]
    with in_office("xihu"):
        with pytest.raises(ValidationError) as error:
            factories.petition(officer=xihu_staff["registrar"], petitioners=crowd)
        assert (error.value.code, error.value.field) == ("REPRESENTATIVES_REQUIRED", "petitioners")
        named = [replace(p, is_representative=i < 3) for i, p in enumerate(crowd)]
        collective = factories.petition(officer=xihu_staff["registrar"], petitioners=named).petition
        assert collective.petitioners.filter(is_representative=True).count() == 3
        five = factories.petition(officer=xihu_staff["registrar"], petitioners=crowd[:5]).petition
        assert five.is_collective  # five people may all come: no representatives needed


def test_a_place_code_must_be_a_real_division(xihu_staff, in_office):
    with in_office("xihu"), pytest.raises(ValidationError) as error:
        factories.petition(officer=xihu_staff["registrar"], place_code="339999")
    assert (error.value.code, error.value.field) == ("UNKNOWN_DIVISION", "placeCode")


def test_the_taxonomy_covers_the_national_classification(xihu_staff, in_office):
    names = taxonomy.names()
    assert names["02.05"] == "劳动社保/养老保险" and names["01.06"] == "城乡建设/商品房"
    assert len({code[:2] for code in names}) >= 20
    with in_office("xihu"):
        assert factories.petition(officer=xihu_staff["registrar"], category="02.05").petition


def test_the_category_must_come_from_the_taxonomy(xihu_staff, in_office):
    with in_office("xihu"), pytest.raises(ValidationError) as error:
        factories.petition(officer=xihu_staff["registrar"], category="99.99")
    assert error.value.code == "INVALID_CATEGORY"


def test_only_registrars_and_leaders_register(xihu_staff, in_office):
    with in_office("xihu"), pytest.raises(PermissionDenied):
        factories.petition(officer=xihu_staff["handler"])


def test_id_and_phone_numbers_are_encrypted_at_rest_and_matched_by_hmac(xihu_staff, in_office):
    number = factories.id_number()
    with in_office("xihu"):
        person = PetitionerInput(name="王五", id_number=number, phone="+86 138-1234-5678")
        petition = factories.petition(
            officer=xihu_staff["registrar"], petitioners=[person]
        ).petition
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_number, phone FROM cases_petitioner WHERE petition_id = %s",
                [petition.pk],
            )
            raw_id, raw_phone = cursor.fetchone()
        stored = Petitioner.objects.get(petition=petition)
    assert number not in raw_id and "13812345678" not in raw_phone
    assert pii.decrypt(raw_id) == number
    assert (stored.id_number, stored.phone) == (number, "13812345678")
    assert stored.person_key == pii.person_key(number.lower())
    assert stored.phone_key == pii.phone_key("13812345678")
    assert number not in repr(stored) and number not in repr(
        PetitionerInput(name="王五", id_number=number)
    )


def test_keys_rotate_and_old_values_still_decrypt(xihu_staff, in_office, settings):
    from cryptography.fernet import Fernet

    number = factories.id_number()
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"], petitioners=[
            PetitionerInput(name="赵六", id_number=number)]).petition  # fmt: skip
        new_key = Fernet.generate_key().decode()
        settings.XINFANG_FIELD_KEYS = [new_key, *settings.XINFANG_FIELD_KEYS]
        from xinfang.platform.cases.management.commands.rotate_field_keys import rotate_office

        assert rotate_office() >= 1
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_number FROM cases_petitioner WHERE petition_id = %s", [petition.pk]
            )
            (raw,) = cursor.fetchone()
        assert Fernet(new_key.encode()).decrypt(raw.encode()).decode() == number
        settings.XINFANG_FIELD_KEYS = [new_key]  # the old key retired
        assert Petitioner.objects.get(petition=petition).id_number == number


def test_personal_numbers_never_reach_the_logs(xihu_staff, in_office, caplog):
    number = factories.id_number()
    caplog.set_level(logging.DEBUG)
    with in_office("xihu"):
        factories.petition(officer=xihu_staff["registrar"], petitioners=[
            PetitionerInput(name="钱七", id_number=number, phone="13900001111")])  # fmt: skip
    assert number not in caplog.text and "13900001111" not in caplog.text


def test_the_query_code_is_stored_only_as_an_hmac(xihu_staff, in_office):
    with in_office("xihu"):
        registration = factories.petition(officer=xihu_staff["registrar"])
    petition = registration.petition
    assert len(registration.query_code) == 12
    assert registration.query_code not in petition.query_code_hash
    assert petition.query_code_hash == query_code_hash(petition.matter_id, registration.query_code)


def test_a_second_petition_by_the_same_person_is_marked_repeat(xihu_staff, in_office):
    number = factories.id_number()
    person = [PetitionerInput(name="孙八", id_number=number)]
    with in_office("xihu"):
        first = factories.petition(officer=xihu_staff["registrar"], petitioners=person).petition
        again = factories.petition(officer=xihu_staff["registrar"], petitioners=person).petition
    assert not first.is_repeat
    assert again.is_repeat and again.repeat_of_matter == first.matter_id


def test_registration_writes_the_public_registry_row_and_a_public_event(xihu_staff, in_office):
    with in_office("xihu"):
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
        event = PetitionEvent.objects.get(petition=petition)
    record = PetitionRecord.objects.get(petition_id=petition.pk)
    assert (record.reference, record.status, record.next_due) == (
        petition.reference, "registered", petition.route_due,
    )  # fmt: skip
    assert event.kind == "registered" and event.public


def test_indexing_and_the_repeat_check_are_recorded_in_the_registration_and_relayed_after_commit(
    xihu_staff, in_office, django_capture_on_commit_callbacks, monkeypatch
):
    from xinfang.platform.outbox import relay
    from xinfang.platform.outbox.models import Effect

    with in_office("xihu"), django_capture_on_commit_callbacks(execute=False) as callbacks:
        petition = factories.petition(officer=xihu_staff["registrar"]).petition
    effects = Effect.objects.filter(subject_id=str(petition.pk))
    assert sorted(effects.values_list("kind", "office__code", "done_at")) == [
        ("search.check_repeats", "330106", None),
        ("search.index", "330106", None),
    ]
    assert sorted(c.kind for c in callbacks) == ["search.check_repeats", "search.index"]
    relay_calls = []
    with monkeypatch.context() as patched:
        patched.setattr(relay, "nudge", relay_calls.append)
        for callback in callbacks:
            callback()
    assert sorted(relay_calls) == ["search.check_repeats", "search.index"]


def test_the_received_date_starts_the_15_day_clocks_and_cannot_be_bent(xihu_staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        calendar = deadlines.OfficeCalendar.load()
        letter = factories.petition(
            officer=xihu_staff["registrar"], received_on=today - datetime.timedelta(days=10)
        ).petition
        assert letter.received_on == today - datetime.timedelta(days=10)
        assert letter.route_due == calendar.due(letter.received_on, 15)
        routed = services.petition_route(petition=letter, officer=xihu_staff["registrar"])
        assert routed.accept_due == calendar.due(letter.received_on, 15)
        for received_on, code in [
            (today + datetime.timedelta(days=1), "DATE_IN_FUTURE"),
            (today - datetime.timedelta(days=31), "DATE_OUT_OF_RANGE"),
        ]:
            with pytest.raises(ValidationError) as error:
                factories.petition(officer=xihu_staff["registrar"], received_on=received_on)
            assert (error.value.code, error.value.field) == (code, "receivedOn")


def test_a_retried_registration_with_its_key_registers_once(xihu_staff, in_office):
    people = [PetitionerInput(name="王五", id_number=factories.id_number(), phone="13900000000")]
    with in_office("xihu"):
        before = Petition.objects.count()
        register = partial(factories.petition, officer=xihu_staff["registrar"], petitioners=people)
        first = register(idempotency_key="12345-call-77")
        again = register(idempotency_key="12345-call-77")
        assert (again.petition.pk, again.query_code) == (first.petition.pk, first.query_code)
        assert Petition.objects.count() == before + 1
        with pytest.raises(ValidationError) as error:
            register(idempotency_key="12345-call-77", content="另一件事：小区噪声扰民。")
        assert error.value.code == "IDEMPOTENCY_KEY_REUSED"
        assert Petition.objects.count() == before + 1
