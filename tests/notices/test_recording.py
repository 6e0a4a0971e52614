"""Every document issued to a petitioner records its notices in the same transaction: one per
recipient and channel, the text encrypted (a registration notice holds the query code), an
outbox effect for each that can go out, and the reason for each that cannot."""

import pytest
from django.db import connection, transaction

from tests import factories
from tests.cases.support import petition_at
from tests.notices.conftest import person
from xinfang.platform.cases import services
from xinfang.platform.cases.models import DocumentKind
from xinfang.platform.notices.models import Notice, NoticeKind
from xinfang.platform.notices.services import DOCUMENT_KINDS, SEND
from xinfang.platform.outbox.models import Effect

pytestmark = pytest.mark.django_db


def _notices(petition):
    return list(Notice.objects.filter(petition=petition).order_by("created_at", "id"))


def test_registration_records_an_email_notice_whose_query_code_is_stored_encrypted(
    staff, smtp, in_office
):
    with in_office("xihu"):
        registration = factories.petition(officer=staff["registrar"], petitioners=[person()])
        (notice,) = _notices(registration.petition)
        assert (notice.kind, notice.channel, notice.status) == ("registered", "email", "pending")
        assert registration.query_code in notice.body
        assert registration.petition.reference in notice.subject
        assert notice.address_masked == "l***@example.com"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT body, address, query_code FROM notices_notice WHERE id = %s", [notice.pk]
            )
            stored = " ".join(cursor.fetchone())
    assert registration.query_code not in stored and "lisi@example.com" not in stored
    assert Effect.objects.filter(kind=SEND, subject_id=str(notice.pk), done_at=None).exists()


def test_each_document_of_the_workflow_records_its_kind_of_notice(staff, smtp, in_office):
    with in_office("xihu"):
        replied = petition_at("replied", officers=staff, petitioners=[person()])
        extended = petition_at("accepted", officers=staff, petitioners=[person()])
        services.petition_extend(
            petition=extended, officer=staff["leader"], days=10, reason="需进一步调查"
        )
        declined = factories.petition(officer=staff["registrar"], petitioners=[person()]).petition
        services.petition_decline(
            petition=declined, officer=staff["registrar"], reason="已进入诉讼程序",
            redirect_channel="litigation",
        )  # fmt: skip
        kinds = {p.pk: [n.kind for n in _notices(p)] for p in (replied, extended, declined)}
        reply = Notice.objects.get(petition=replied, kind="opinion")
    assert kinds[replied.pk] == ["registered", "accepted", "opinion"]
    assert kinds[extended.pk] == ["registered", "accepted", "extended"]
    assert kinds[declined.pk] == ["registered", "declined"]
    assert "向杭州市信访局请求复查" in reply.body  # the document itself, with the review right


def test_a_document_rolled_back_leaves_no_notice_and_no_effect(staff, smtp, in_office):
    class Abandoned(Exception):
        pass

    with in_office("xihu"):
        petition = factories.petition(officer=staff["registrar"], petitioners=[person()]).petition
        services.petition_route(petition=petition, officer=staff["registrar"])
        with pytest.raises(Abandoned), transaction.atomic():
            services.petition_accept(petition=petition, officer=staff["registrar"])
            assert [n.kind for n in _notices(petition)] == ["registered", "accepted"]
            raise Abandoned
        assert [n.kind for n in _notices(petition)] == ["registered"]
        (registered,) = _notices(petition)
    assert Effect.objects.filter(kind=SEND, subject_id=str(registered.pk)).count() == 1
    assert Effect.objects.filter(kind=SEND, created_at__gte=petition.registered_at).count() == 1


def test_an_unconfigured_channel_records_the_notice_as_not_sent_with_the_reason(
    staff, settings, in_office
):
    settings.XINFANG_SMTP_HOST = ""
    with in_office("xihu"):
        petition = factories.petition(
            officer=staff["registrar"], petitioners=[person(phone="13900001111")]
        ).petition
        notices = {n.channel: n for n in _notices(petition)}
    assert set(notices) == {"email", "sms"}
    assert notices["email"].status == "not_sent"
    assert "XINFANG_SMTP_HOST" in notices["email"].last_error
    # Each waits for its channel (docs/notices.md), never due until released.
    waiting = Effect.objects.filter(kind=SEND, subject_id__in=[str(n.pk) for n in notices.values()])
    assert sorted(e.waiting_for for e in waiting) == ["channel:email", "channel:sms"]
    assert all(e.due_at.year == 9999 for e in waiting)


def test_a_letter_petition_gets_a_printed_notice_and_id_numbers_in_the_text_are_masked(
    staff, smtp, in_office
):
    number = factories.id_number()
    with in_office("xihu"):
        petition = petition_at(
            "in_handling", officers=staff, channel="letter",
            petitioners=[person(email="", address="杭州市西湖区文三路1号")],
        )  # fmt: skip
        services.petition_reply(
            petition=petition, officer=staff["handler"], opinion=f"经核实，身份证号{number}的……"
        )
        letter = Notice.objects.get(petition=petition, kind="opinion")
    assert (letter.channel, letter.status) == ("letter", "to_print")
    assert number not in letter.body and f"{number[:6]}********{number[-4:]}" in letter.body
    assert letter.address_masked == "杭州市西湖区…"


def test_a_collective_petition_tells_its_representatives(staff, smtp, in_office):
    people = [
        person(name="代表甲", email="a@example.com", is_representative=True),
        person(name="成员乙", email="b@example.com"),
    ]
    with in_office("xihu"):
        petition = factories.petition(officer=staff["registrar"], petitioners=people).petition
        assert [n.recipient_name for n in _notices(petition)] == ["代表甲"]


def test_an_office_words_its_own_notices_with_the_document_inside(staff, smtp, in_office):
    from xinfang.platform.errors import ValidationError
    from xinfang.platform.notices.services import notice_template_set

    with in_office("xihu"):
        notice_template_set(
            officer=staff["leader"], kind="accepted", subject="【{office}】{title}",
            body="{name}您好：\n{text}\n——{office}",
        )  # fmt: skip
        petition = petition_at("accepted", officers=staff, petitioners=[person()])
        accepted = Notice.objects.get(petition=petition, kind="accepted")
        registered = Notice.objects.get(petition=petition, kind="registered")
        for wrong in ("{id_number}", "{text.__class__}", "{name:>99999}", "{query_code}", "{"):
            with pytest.raises(ValidationError) as refused:
                notice_template_set(officer=staff["leader"], kind="accepted", subject="x",
                                    body=wrong)  # fmt: skip
            assert refused.value.code == "INVALID_TEMPLATE"
    assert accepted.subject == "【杭州市西湖区信访局】受理告知书"
    assert accepted.body.startswith("李四您好：\n您的信访事项已受理")
    assert registered.body.startswith("李四：")  # the other kinds keep the default


def test_every_kind_of_document_is_told_by_its_own_kind_of_notice():
    """A document kind added to the catalogue without its notice kind fails here (the services
    write only catalogued kinds: tests/test_catalogues.py)."""
    unmapped = [kind for kind in DocumentKind if kind not in DOCUMENT_KINDS]
    assert not unmapped, f"no NoticeKind for {unmapped} in notices.services.DOCUMENT_KINDS"
    told = [DOCUMENT_KINDS[kind] for kind in DocumentKind]
    assert NoticeKind.OTHER not in told and set(told) <= set(NoticeKind.values)
