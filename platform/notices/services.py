"""Notices to petitioners: recorded with the document that requires them, sent after the commit.

- `notices_for_document` hears of every document issued to a petitioner (cases/events.py calls
  it in the event's transaction): one notice per recipient and channel, its text rendered from
  the office's template and encrypted, and for each notice that can go out an outbox effect
  (`SEND`), so the notices exist exactly when the document does.
- `notice_deliver` is that effect's handler (a worker, after the commit): sends a pending notice
  once, records the attempt, and says whether to try again (the outbox backs off).
- `notices_release_waiting` (beat, on the notices workers) sends, bounded, the notices recorded
  while their channel was not configured, once it is.
- `notice_receipt_send` is the online receipt's "send me the reference and query code".
- `notice_template_set` is an office's own wording of a kind of notice.
"""

import datetime
import re
from types import ModuleType

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases.contacts import validate_email_address
from xinfang.platform.cases.models import (
    Channel,
    DocumentKind,
    EventKind,
    Petition,
    Petitioner,
    PetitionEvent,
)
from xinfang.platform.cases.progress import verified_record
from xinfang.platform.errors import ErrorCode, NotFound, ServiceError, ValidationError
from xinfang.platform.notices import selectors, templates
from xinfang.platform.notices.channels import Message, Retry, Undeliverable
from xinfang.platform.notices.channels import email as email_channel
from xinfang.platform.notices.channels import sms as sms_channel
from xinfang.platform.notices.models import (
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeStatus,
    NoticeTemplate,
)
from xinfang.platform.outbox import services as outbox
from xinfang.platform.pii import mask_id_numbers, normalize_phone
from xinfang.tenants.context import current_office

SEND = "notices.send"  # the outbox effect that sends one notice (platform/notices/effects.py)

# The channels that send (a letter is printed by the office: platform/notices/letters.py).
SENDERS: dict[str, ModuleType] = {
    NoticeChannel.EMAIL: email_channel,
    NoticeChannel.SMS: sms_channel,
}

# Every kind of document issued to a petitioner (`DocumentKind`) → what the notice tells of.
DOCUMENT_KINDS: dict[str, str] = {
    DocumentKind.REGISTRATION_NOTICE: NoticeKind.REGISTERED,
    DocumentKind.ACCEPTANCE_NOTICE: NoticeKind.ACCEPTED,
    DocumentKind.DECLINE_NOTICE: NoticeKind.DECLINED,
    DocumentKind.NO_LONGER_ACCEPTED: NoticeKind.NO_LONGER_ACCEPTED,
    DocumentKind.TRANSFER_NOTICE: NoticeKind.TRANSFERRED,
    DocumentKind.ASSIGN_NOTICE: NoticeKind.ASSIGNED,
    DocumentKind.EXTENSION_NOTICE: NoticeKind.EXTENDED,
    DocumentKind.REPLY: NoticeKind.OPINION,
    DocumentKind.REVIEW_RECEIVED: NoticeKind.REVIEW_RECEIVED,
    DocumentKind.RECHECK_RECEIVED: NoticeKind.RECHECK_RECEIVED,
    DocumentKind.REVIEW_OPINION: NoticeKind.REVIEW_OPINION,
    DocumentKind.RECHECK_OPINION: NoticeKind.RECHECK_OPINION,
    DocumentKind.TERMINATION_NOTICE: NoticeKind.TERMINATED,
    DocumentKind.MEDIATION_AGREEMENT: NoticeKind.MEDIATED,
}
MOBILE = re.compile(r"1[3-9]\d{9}")
RECEIPTS_PER_CLIENT = 10  # "send me my code" requests per client address and hour
RECEIPTS_PER_PETITION = 3  # and per petition
RECEIPT_WINDOW_SECONDS = 60 * 60


class ReceiptThrottled(ServiceError):
    code = ErrorCode.THROTTLED


# --- recording (in the transaction that issues the document) -------------------------------------


def notices_for_document(event: PetitionEvent, *, sealed=None) -> list[Notice]:
    """The notices that deliver the document `event` issues: to the petition's representatives
    (every petitioner when there are none), by SMS to a mobile number, by e-mail to an address,
    and by a printed letter to whoever wrote by post or left neither."""
    petition, kind = event.petition, kind_of(event)
    wording = selectors.wording(kind)
    code = (sealed or {}).get("query_code", "")
    notices = [
        _notice(event, kind, wording, person, channel, address, query_code=code)
        for person in _recipients(petition)
        for channel, address in _addresses(person, petition)
    ]
    return _store(notices)


def kind_of(event: PetitionEvent) -> str:
    """The notice kind of the document `event` issues (a kind outside the catalogue, which the
    services never write, is told as another document)."""
    return DOCUMENT_KINDS.get(event.data["document"]["kind"], NoticeKind.OTHER)


def _recipients(petition: Petition) -> list[Petitioner]:
    people = list(petition.petitioners.all())
    return [p for p in people if p.is_representative] or people


def _addresses(person: Petitioner, petition: Petition) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    phone = normalize_phone(person.phone)
    if MOBILE.fullmatch(phone):
        found.append((NoticeChannel.SMS, phone))
    if person.email:
        found.append((NoticeChannel.EMAIL, person.email))
    if petition.channel == Channel.LETTER or not found:
        found.append((NoticeChannel.LETTER, person.address))
    return found


def _notice(event, kind, wording, person, channel: str, address: str, *, query_code: str):
    document = event.data["document"]
    office = current_office()
    subject, body = wording.render(
        {
            "name": person.name,
            "reference": event.petition.reference,
            "office": office.name,
            "title": document["title"],
            "text": mask_id_numbers(document["text"]),
            "date": f"{timezone.localdate(event.at):%Y年%m月%d日}",
            "query_code": query_code,
        }
    )
    return Notice(
        petition=event.petition,
        event=event,
        kind=kind,
        channel=channel,
        status=NoticeStatus.TO_PRINT if channel == NoticeChannel.LETTER else NoticeStatus.PENDING,
        recipient_name=person.name,
        address=address,
        address_masked=mask_address(channel, address),
        subject=subject[:200],
        body=body,
        query_code=query_code,
        created_at=event.at,
    )


def _store(notices: list[Notice]) -> list[Notice]:
    """Save them; what a configured channel can send gets its outbox effect, the rest say why
    they are not sent and wait, parked, for their channel (`notices_release_waiting`)."""
    for notice in notices:
        why = unconfigured(notice.channel)
        if notice.status == NoticeStatus.PENDING and why:
            notice.status, notice.last_error = NoticeStatus.NOT_SENT, why
    Notice.objects.bulk_create(notices)
    for notice in notices:
        if notice.status == NoticeStatus.PENDING:
            outbox.record(SEND, subject_id=notice.pk)
    for channel in SENDERS:
        waiting = [
            n.pk for n in notices if n.status == NoticeStatus.NOT_SENT and n.channel == channel
        ]
        if waiting:
            outbox.park(SEND, subject_ids=waiting, waiting_for=waiting_for(channel))
    return notices


def waiting_for(channel: str) -> str:
    """What a notice not sent waits for: its channel configured."""
    return f"channel:{channel}"


def unconfigured(channel: str) -> str:
    """Why `channel` cannot send here ("" when it can; a letter is printed, never sent)."""
    return "" if channel == NoticeChannel.LETTER else SENDERS[channel].unconfigured()


def mask_address(channel: str, address: str) -> str:
    """What officers see of the address: 138****5678, z***@example.com, the start of a street."""
    if not address:
        return ""
    if channel == NoticeChannel.SMS:
        return f"{address[:3]}****{address[-4:]}"
    if channel == NoticeChannel.EMAIL:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{address[:6]}…" if len(address) > 6 else address


# --- delivery (a worker, after the commit) --------------------------------------------------------


def notice_deliver(*, notice_id: str) -> str | None:
    """Send one pending notice, once. None when nothing is left to do (sent, refused for good,
    given up after XINFANG_NOTICE_MAX_ATTEMPTS, or not pending: a second run finds it sent);
    otherwise why it must be tried again. The row stays locked while it is sent, so two runs
    at once send it once."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("petition")
            .filter(pk=notice_id)
            .first()
        )
        # Not sent for want of its channel: released once the channel was configured.
        if notice is None or notice.status not in (NoticeStatus.PENDING, NoticeStatus.NOT_SENT):
            return None
        why = unconfigured(notice.channel)
        if why:  # the configuration went away since it was recorded (or released)
            _finish(notice, NoticeStatus.NOT_SENT, error=why)
            outbox.park(SEND, subject_ids=[notice.pk], waiting_for=waiting_for(notice.channel))
            return None
        notice.status = NoticeStatus.PENDING
        notice.attempts += 1
        try:
            notice.provider_id = SENDERS[notice.channel].send(_message(notice))[:100]
        except Undeliverable as exc:
            _finish(notice, NoticeStatus.FAILED, error=str(exc))
            return None
        except Retry as exc:
            if notice.attempts >= settings.XINFANG_NOTICE_MAX_ATTEMPTS:
                _finish(notice, NoticeStatus.FAILED, error=f"gave up: {exc}")
                return None
            notice.last_error = str(exc)[:500]
            notice.save(update_fields=["status", "attempts", "last_error"])
            return notice.last_error
        notice.sent_at = timezone.now()
        _finish(notice, NoticeStatus.SENT, error="")
        return None


def _finish(notice: Notice, status: str, *, error: str) -> None:
    notice.status, notice.last_error = status, error[:500]
    notice.save(update_fields=["status", "last_error", "attempts", "sent_at", "provider_id"])


def _message(notice: Notice) -> Message:
    return Message(
        notice_id=str(notice.pk),
        kind=notice.kind,
        address=notice.address,
        subject=notice.subject,
        body=notice.body,
        office=current_office().name,
        reference=notice.petition.reference,
        query_code=notice.query_code,
    )


# --- notices that waited for their channel ------------------------------------------------------


def notices_release_waiting(*, limit: int | None = None) -> dict[str, int]:
    """The channels configured here now release the notices parked while they were not: the
    oldest `limit` per channel and call (XINFANG_NOTICE_RELEASE_BATCH), recorded within
    XINFANG_NOTICE_RESEND_DAYS; older ones are given up (told that long ago, they would only
    confuse). {channel: notices released}."""
    limit = limit or settings.XINFANG_NOTICE_RELEASE_BATCH
    since = timezone.now() - datetime.timedelta(days=settings.XINFANG_NOTICE_RESEND_DAYS)
    released = {}
    for channel in SENDERS:
        key = waiting_for(channel)
        outbox.abandon(SEND, waiting_for=key, before=since,
                       reason=f"not sent: {channel} was not configured within "
                       f"{settings.XINFANG_NOTICE_RESEND_DAYS} days")  # fmt: skip
        if not unconfigured(channel):
            released[channel] = outbox.release(SEND, waiting_for=key, since=since, limit=limit)
    return released


# --- the online receipt: "send me the reference and query code" ----------------------------------


def notice_receipt_send(
    *, reference: str, query_code: str, client: str, email: str = "", phone: str = ""
) -> list[Notice]:
    """网上信访 receipt: send the registration notice, with the query code, to the e-mail address
    and/or mobile number the petitioner types on the receipt page.

    Only who holds the reference and its query code may ask: a wrong pair is NOT_FOUND and
    counts as a wrong guess of the progress lookup (growing delays, never a lockout); at most
    RECEIPTS_PER_CLIENT requests per client address and RECEIPTS_PER_PETITION per petition in an
    hour (THROTTLED). Returns the notices recorded; they go out after the commit like any other
    (or say why not)."""
    targets = _receipt_targets(email=email, phone=phone)
    if _over(f"notices:receipt:client:{client}", RECEIPTS_PER_CLIENT):
        raise ReceiptThrottled("too many requests; try again later")
    with transaction.atomic():
        petition = _petition_with_code(reference, query_code, client)
        if _over(f"notices:receipt:petition:{petition.pk}", RECEIPTS_PER_PETITION):
            raise ReceiptThrottled("this receipt was sent too often; try again later")
        event = petition.events.filter(kind=EventKind.REGISTERED).order_by("at", "id").get()
        event.petition = petition
        person = _recipients(petition)[0]
        wording = selectors.wording(NoticeKind.REGISTERED)
        code = query_code.strip().upper()
        notices = [
            _notice(
                event, NoticeKind.REGISTERED, wording, person, channel, address, query_code=code
            )
            for channel, address in targets
        ]
        return _store(notices)


def _receipt_targets(*, email: str, phone: str) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    if (phone or "").strip():
        targets.append((NoticeChannel.SMS, validate_mobile(phone)))
    if (email or "").strip():
        targets.append((NoticeChannel.EMAIL, validate_email_address(email, field="email")))
    if not targets:
        raise ValidationError(
            "give a mobile number or an e-mail address", code=ErrorCode.NO_ADDRESS, field="email"
        )
    return targets


def validate_mobile(phone: str, *, field: str = "phone") -> str:
    """The mainland mobile number SMS notices go to (11 digits from 1), or INVALID_PHONE."""
    number = normalize_phone(phone)
    if not MOBILE.fullmatch(number):
        raise ValidationError(
            "a mobile number has 11 digits", code=ErrorCode.INVALID_PHONE, field=field
        )
    return number


def _petition_with_code(reference: str, query_code: str, client: str) -> Petition:
    """This office's petition, if the code is its own: checked by the progress lookup's
    `verified_record`, so wrong codes here slow the guesser as they do there (growing delays
    per client and per reference, one count for both), never lock the petitioner out."""
    record = verified_record(reference=reference, query_code=query_code, client=client)
    petition = Petition.objects.filter(pk=record.petition_id).first()
    if petition is None:  # the right code, on another office's host
        raise NotFound("no petition with this reference number and query code")
    return petition


def _over(key: str, limit: int) -> bool:
    cache.add(key, 0, timeout=RECEIPT_WINDOW_SECONDS)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RECEIPT_WINDOW_SECONDS)
        return False


# --- an office's wording --------------------------------------------------------------------------


def notice_template_set(*, officer: Officer, kind: str, subject: str, body: str) -> NoticeTemplate:
    """An office's own wording of a kind of notice (e-mail and letter); `{text}` carries the
    document itself. Empty subject and body go back to the default."""
    ensure_role(officer, Role.LEADER, Role.ADMIN)
    if kind not in NoticeKind.values:
        raise ValidationError(f"unknown notice kind '{kind}'", code=ErrorCode.INVALID_CHOICE,
                              field="kind")  # fmt: skip
    with transaction.atomic():
        if not subject.strip() and not body.strip():
            NoticeTemplate.objects.filter(kind=kind).delete()
            return NoticeTemplate(kind=kind, **templates.default(kind).__dict__)
        template, _ = NoticeTemplate.objects.update_or_create(
            kind=kind,
            defaults={
                "subject": templates.validate(kind, subject.strip(), field="subject"),
                "body": templates.validate(kind, body.strip(), field="body"),
                "updated_at": timezone.now(),
                "updated_by": officer,
            },
        )
        return template


# --- letters (告知书): printed and posted by the office ------------------------------------------


def notice_letter_posted(*, officer: Officer, notice_id) -> Notice:
    """Record that the office printed and posted a letter (status sent, with the day); once."""
    ensure_role(officer, Role.REGISTRAR, Role.LEADER, Role.HANDLER)
    with transaction.atomic():
        pk = selectors.as_uuid(notice_id)
        notice = Notice.objects.select_for_update().filter(pk=pk).first() if pk else None
        if notice is None:
            raise NotFound("no such notice in this office", field="noticeId")
        if notice.channel != NoticeChannel.LETTER:
            raise ValidationError(
                "only a notice by post is printed", code=ErrorCode.NOT_A_LETTER, field="noticeId"
            )
        if notice.status != NoticeStatus.SENT:
            notice.status, notice.sent_at, notice.attempts = NoticeStatus.SENT, timezone.now(), 1
            notice.save(update_fields=["status", "sent_at", "attempts"])
        return notice
