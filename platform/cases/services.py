"""State changes of petitions inside one office. Every write goes through here.

Each service: keyword-only arguments; the role check first; the petition row locked; one
transaction; the transition checked and its event written by `workflow.apply`; `update_fields`;
the public registry row synced (`registry.services.sync`) in the same transaction; side effects
(search indexing, which follows the registry row: `search/signals.py`) only after the commit.
Mutations, the admin, commands and tasks all call these functions.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import dates, deadlines, events, finality, taxonomy, workflow
from xinfang.platform.cases.contacts import validate_email_address
from xinfang.platform.cases.idnumbers import validate_id_number
from xinfang.platform.cases.models import (
    AccusedKind,
    Channel,
    DocumentKind,
    Evaluation,
    EventKind,
    Hearing,
    Petition,
    Petitioner,
    PetitionEvent,
    RedirectChannel,
    RegistrationRequest,
    Reply,
    Satisfaction,
    Status,
)
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode, NotFound, PermissionDenied, ValidationError
from xinfang.platform.pii import normalize_phone, person_key, phone_key
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord, TerminatedMatter
from xinfang.platform.validation import checked, clean_text, max_length
from xinfang.tenants.context import current_office
from xinfang.tenants.divisions import validate_body_division, validate_place_code

MAX_REPRESENTATIVES = 5
# 查询码: 12 characters from an alphabet without look-alikes (0/O, 1/I/L): about 59 bits,
# hopeless to guess within the lookup throttle's budget.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 12


@dataclass(frozen=True)
class PetitionerInput:
    name: str
    id_number: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    email: str = field(default="", repr=False)
    address: str = ""
    is_representative: bool = False


@dataclass(frozen=True)
class PetitionInput:
    channel: str
    category: str
    place: str
    content: str
    petitioners: list[PetitionerInput] = field(default_factory=list)
    request: str = ""
    place_code: str = ""
    accused_body: str = ""
    accused_kind: str = ""
    accused_division_code: str = ""
    is_accusation: bool = False
    is_skip_level: bool = False
    is_repeat: bool = False
    repeat_of_matter: uuid.UUID | None = None
    matter_id: uuid.UUID | None = None
    source_office_code: str = ""
    received_on: datetime.date | None = None  # 收信/来访日期; today when not given
    # A copy in another office keeps the matter's query code (the petitioner's one code).
    query_code_hash: str = ""


@dataclass(frozen=True)
class Registration:
    petition: Petition
    query_code: str  # shown once to the petitioner (查询码); only its HMAC is stored; "" for a
    # copy in another office, which keeps the matter's code


# --- registration (登记) --------------------------------------------------------------------------


def next_reference(office_code: str, year: int) -> str:
    """The next reference number of this office and year; never repeats, even concurrently.

    One statement: the upsert takes the counter row's lock until the transaction ends, so two
    registrations can never read the same value.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_referencecounter (year, last) VALUES (%s, 1) "
            "ON CONFLICT (year) DO UPDATE SET last = cases_referencecounter.last + 1 "
            "RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"{office_code}-{year}-{last:06d}"


def make_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def query_code_hash(matter_id, query_code: str) -> str:
    """HMAC of the code under its own key (not SECRET_KEY, so rotating that breaks no lookup),
    bound to the matter: one code for the petitioner, valid at every office the matter reaches;
    fast, since lookups are throttled (cases/progress.py)."""
    message = f"{matter_id}:{query_code.strip().upper()}".encode()
    key = settings.XINFANG_QUERY_CODE_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _validate(data: PetitionInput) -> None:
    if data.channel not in Channel.values:
        raise ValidationError(
            f"unknown channel '{data.channel}'", code=ErrorCode.INVALID_CHANNEL, field="channel"
        )
    taxonomy.validate_category(data.category)
    if not data.content.strip():
        raise ValidationError(
            "the petition has no content", code=ErrorCode.REQUIRED, field="content"
        )
    if not data.place.strip():
        raise ValidationError("where is the problem?", code=ErrorCode.REQUIRED, field="place")
    if data.place_code:
        validate_place_code(data.place_code)
    if data.is_accusation:
        _validate_accused(data)
    if not data.petitioners:
        raise ValidationError(
            "a petition needs a petitioner", code=ErrorCode.REQUIRED, field="petitioners"
        )
    representatives = sum(p.is_representative for p in data.petitioners)
    if representatives > MAX_REPRESENTATIVES:
        raise ValidationError(
            f"a collective petition has at most {MAX_REPRESENTATIVES} representatives",
            code=ErrorCode.TOO_MANY_REPRESENTATIVES,
            field="petitioners",
        )
    if len(data.petitioners) > MAX_REPRESENTATIVES and not representatives:
        # Art 18: more than five people with a common matter choose representatives (at most
        # five). Refused, not held as 待推选: the group is at the window and can name them now,
        # and no clock should run on a petition nobody may speak for.
        raise ValidationError(
            f"{len(data.petitioners)} people: choose 1 to {MAX_REPRESENTATIVES} representatives "
            "(推选代表) before the petition is registered",
            code=ErrorCode.REPRESENTATIVES_REQUIRED,
            field="petitioners",
        )
    for i, p in enumerate(data.petitioners):
        if not p.name.strip():
            raise ValidationError(
                "a petitioner needs a name", code=ErrorCode.REQUIRED, field=f"petitioners.{i}.name"
            )
        if p.id_number:
            validate_id_number(p.id_number, field=f"petitioners.{i}.idNumber")
        if p.phone and not 5 <= len(normalize_phone(p.phone)) <= 15:
            raise ValidationError(
                "a phone number has 5 to 15 digits",
                code=ErrorCode.INVALID_PHONE,
                field=f"petitioners.{i}.phone",
            )
        if p.email:
            validate_email_address(p.email, field=f"petitioners.{i}.email")


def _validate_accused(data: PetitionInput) -> None:
    """An accusation names whom it accuses, what kind of body that is and where it sits: the
    division decides which offices may not learn the reporter's identity (Art 30)."""
    _required(data.accused_body, "accusedBody")
    if data.accused_kind not in AccusedKind.values:
        raise ValidationError(
            f"what kind of body is accused? ({', '.join(AccusedKind.values)})",
            code=ErrorCode.INVALID_ACCUSED_KIND,
            field="accusedKind",
        )
    _required(data.accused_division_code, "accusedDivisionCode")
    validate_body_division(data.accused_division_code)


def _received_on(data: PetitionInput, calendar: deadlines.OfficeCalendar, today) -> datetime.date:
    """The day the letter or visit reached the office: not ahead of today, and at most the
    office's configured number of days back (the 15-day clocks run from it)."""
    days_back = calendar.settings.received_max_days_back
    return dates.ensure_between(
        data.received_on or today,
        earliest=today - datetime.timedelta(days=days_back),
        field="receivedOn",
        what=f"the day the letter or visit was received (at most {days_back} days back)",
    )


def _fingerprint(data: PetitionInput) -> str:
    """A keyed hash of the whole request (ID and phone numbers included, never stored raw)."""
    payload = json.dumps(asdict(data), sort_keys=True, default=str, ensure_ascii=False)
    return hmac.new(settings.SECRET_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _replayed_registration(key: str, fingerprint: str) -> Registration | None:
    earlier = RegistrationRequest.objects.select_related("petition").filter(key=key).first()
    if earlier is None:
        return None
    if not hmac.compare_digest(earlier.fingerprint, fingerprint):
        raise ValidationError(
            "this idempotency key was already used for another registration",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            field="idempotencyKey",
        )
    return Registration(petition=earlier.petition, query_code=earlier.query_code)


def petition_register(
    *, data: PetitionInput, officer: Officer | None, idempotency_key: str = ""
) -> Registration:
    """Register (登记) a petition from any channel, with its petitioners and a query code.

    `officer` is the registering officer (registrar or leader). `None` is reserved for copies the
    system itself creates in a receiving office during a handoff (exchange services). With an
    `idempotency_key` (integrations that retry), the same key and payload return the first
    registration; the same key with another payload is refused.
    """
    if officer is not None:
        ensure_role(officer, Role.REGISTRAR, Role.LEADER)
    _validate(data)
    idempotency_key = _bounded_key(idempotency_key)
    fingerprint = _fingerprint(data) if idempotency_key else ""
    if idempotency_key and (earlier := _replayed_registration(idempotency_key, fingerprint)):
        return earlier
    try:
        return _register(data, officer, idempotency_key, fingerprint)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        if idempotency_key and (earlier := _replayed_registration(idempotency_key, fingerprint)):
            return earlier
        raise


def _bounded_key(key: str) -> str:
    return clean_text(
        (key or "").strip(),
        field="idempotencyKey",
        max_length=max_length(RegistrationRequest, "key"),
    )


def _matter_query_code(data: PetitionInput, matter_id) -> tuple[str, str]:
    """A new matter's query code and its HMAC; a copy keeps the matter's (and shows none)."""
    if data.query_code_hash:
        return "", data.query_code_hash
    query_code = make_query_code()
    return query_code, query_code_hash(matter_id, query_code)


def _register(data: PetitionInput, officer, idempotency_key: str, fingerprint: str):
    office = current_office()
    now = timezone.now()
    today = timezone.localdate(now)
    matter_id = data.matter_id or uuid.uuid4()
    query_code, code_hash = _matter_query_code(data, matter_id)
    calendar = deadlines.OfficeCalendar.load()
    received_on = _received_on(data, calendar, today)
    keys = [person_key(p.id_number) for p in data.petitioners if p.id_number]
    with transaction.atomic():
        reference = next_reference(office.code or "", today.year)
        is_repeat, repeat_of = _repeat_of(data, keys)
        route_due = deadlines.route_due(calendar, start=received_on)
        petition = Petition.objects.create(
            matter_id=matter_id,
            reference=reference,
            channel=data.channel,
            category=data.category,
            place=data.place.strip(),
            place_code=data.place_code,
            accused_body=data.accused_body.strip(),
            accused_kind=data.accused_kind if data.is_accusation else "",
            accused_division_code=data.accused_division_code if data.is_accusation else "",
            content=data.content.strip(),
            request=data.request.strip(),
            is_accusation=data.is_accusation,
            is_collective=len(data.petitioners) > 1,
            is_skip_level=data.is_skip_level,
            is_repeat=is_repeat,
            repeat_of_matter=repeat_of,
            source_office_code=data.source_office_code,
            received_on=received_on,
            registered_at=now,
            registered_by=officer,
            query_code_hash=code_hash,
            status=Status.REGISTERED,
            route_due=route_due,
            next_due=route_due,
        )
        _add_petitioners(petition, data.petitioners)
        events.record(
            petition, EventKind.REGISTERED, at=now, actor=officer, to_status=Status.REGISTERED,
            public=True, sealed={"query_code": query_code},  # for its notices, never the log
            data={"channel": data.channel, **_dates(received_on=received_on, route_due=route_due),
                  **(_registration_receipt(petition) if query_code else {})},
        )  # fmt: skip
        if idempotency_key:  # a concurrent twin fails here on the key and is answered by replay
            RegistrationRequest.objects.create(
                key=idempotency_key,
                fingerprint=fingerprint,
                petition=petition,
                query_code=query_code,
            )
        registry.sync(petition)
    return Registration(petition=petition, query_code=query_code)


def _registration_receipt(petition: Petition) -> dict:
    """登记告知: the new matter's reference and how to follow it. The query code itself is never
    written into the log; the notice that delivers this receipt adds it, encrypted."""
    return _document(
        DocumentKind.REGISTRATION_NOTICE,
        "信访事项登记告知书",
        f"您的信访事项已于{timezone.localdate(petition.registered_at):%Y年%m月%d日}登记，"
        f"编号{petition.reference}。请妥善保管查询码，凭编号和查询码可查询办理进度。",
    )


def _dates(**days: datetime.date) -> dict[str, str]:
    return {name: day.isoformat() for name, day in days.items()}


def _repeat_of(data: PetitionInput, keys: list[str]) -> tuple[bool, uuid.UUID | None]:
    """初信初访 or not: as the input says, else whether this office saw one of these people."""
    if data.is_repeat or not keys:
        return data.is_repeat, data.repeat_of_matter
    earlier = _earlier_matter(keys)
    return earlier is not None, earlier


def _earlier_matter(keys: list[str]) -> uuid.UUID | None:
    """初信初访 or not: the matter under which this office first saw one of these people."""
    return (
        Petition.objects.filter(petitioners__person_key__in=keys)
        .order_by("registered_at")
        .values_list("matter_id", flat=True)
        .first()
    )


def _add_petitioners(petition: Petition, people: list[PetitionerInput]) -> None:
    """The petition's people, ID and phone numbers encrypted, their HMAC keys for matching."""
    Petitioner.objects.bulk_create(
        checked(
            Petitioner(
                petition=petition,
                name=p.name.strip(),
                id_number=validate_id_number(p.id_number) if p.id_number else "",
                phone=normalize_phone(p.phone),
                email=p.email.strip(),
                address=p.address.strip(),
                person_key=person_key(p.id_number) if p.id_number else "",
                phone_key=phone_key(p.phone) if p.phone else "",
                is_representative=p.is_representative,
            )
            for p in people
        )
    )


# --- the workflow ---------------------------------------------------------------------------------


def lock_petition(
    petition: Petition | uuid.UUID | str | None, *, version: int | None = None, field: str = "id"
) -> Petition:
    """The petition row of the current office, locked until the transaction ends, at the version
    the client saw (NotFound, naming `field`, when there is no such petition here)."""
    pk = petition.pk if isinstance(petition, Petition) else petition
    try:
        if pk is None:
            raise Petition.DoesNotExist
        locked = Petition.objects.select_for_update().get(pk=pk)
    except (Petition.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound("no such petition in this office", field=field) from None
    workflow.ensure_version(locked, version)
    return locked


def _save(petition: Petition, *fields: str) -> Petition:
    """Store a transition's changes and mirror them to the registry (which search follows)."""
    petition.next_due = deadlines.next_due(petition)
    petition.save(update_fields=workflow.changed_fields(*fields))
    registry.sync(petition)
    return petition


def _document(kind: DocumentKind, title: str, text: str) -> dict:
    """A document sent to the petitioner; the progress lookup shows it."""
    return {"document": {"kind": kind, "title": title, "text": text}}


def _required(value: str, name: str) -> str:
    if not (value or "").strip():
        raise ValidationError(f"{name} is required", code=ErrorCode.REQUIRED, field=name)
    return value.strip()


def petition_route(*, petition, officer: Officer, version: int | None = None, note: str = ""):
    """Decide to handle the petition in this office (交由本机关办理); starts the 15-day clock to
    decide on acceptance."""
    ensure_role(officer, *workflow.step(Transition.ROUTE).roles)
    calendar = deadlines.OfficeCalendar.load()
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        workflow.apply(
            petition, Transition.ROUTE, officer=officer, expected_version=version, note=note
        )
        # 15 days from receipt (收到之日起), not from the day it was routed.
        petition.accept_due = deadlines.accept_due(calendar, start=petition.received_on)
        return _save(petition, "accept_due")


def petition_decline(
    *,
    petition,
    officer: Officer,
    reason: str,
    redirect_channel: str,
    redirect_authority: str = "",
    version: int | None = None,
    note: str = "",
) -> Petition:
    """Decline (不予受理) with the reason and the channel the petitioner should use instead:
    litigation, arbitration, administrative reconsideration, or another authority, named."""
    ensure_role(officer, *workflow.step(Transition.DECLINE).roles)
    reason = _required(reason, "reason")
    if redirect_channel not in RedirectChannel.values:
        raise ValidationError(
            f"unknown channel '{redirect_channel}' (one of {', '.join(RedirectChannel.values)})",
            code=ErrorCode.INVALID_REDIRECT_CHANNEL,
            field="redirectChannel",
        )
    if redirect_channel == RedirectChannel.OTHER_AUTHORITY:
        redirect_authority = _required(redirect_authority, "redirectAuthority")
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        workflow.ensure_allowed(petition, Transition.DECLINE, officer)
        document = _decline_notice(petition, reason, redirect_channel, redirect_authority)
        workflow.apply(
            petition,
            Transition.DECLINE,
            officer=officer,
            expected_version=version,
            note=note,
            data={
                "reason": reason,
                "redirect_channel": redirect_channel,
                "redirect_authority": redirect_authority.strip(),
                **document,
            },
        )
        petition.closed_at = timezone.now()
        return _save(petition, "closed_at")


def _decline_notice(petition, reason: str, channel: str, authority: str) -> dict:
    """不予受理告知书 naming where to go, or, for a petition linked to a terminated matter, the
    不再受理告知书 citing the termination: the only decline it may get (Art 36)."""
    terminated = finality.termination_of(petition)
    if terminated is not None and channel != RedirectChannel.NO_LONGER_ACCEPTED:
        raise finality.refusal(terminated, ": decline it as 不再受理 (noLongerAccepted)")
    if channel == RedirectChannel.NO_LONGER_ACCEPTED:
        if terminated is None:
            raise ValidationError(
                "不再受理 is for a petition linked to a terminated matter",
                code=ErrorCode.NO_TERMINATED_MATTER,
                field="redirectChannel",
            )
        text = finality.no_longer_accepted(terminated)
        return _document(DocumentKind.NO_LONGER_ACCEPTED, "不再受理告知书", text)
    where = RedirectChannel(channel).label.split(" ")[0]
    text = f"不予受理。理由：{reason}。请通过{where}途径{('：' + authority) if authority else ''}解决。"  # noqa: E501
    return _document(DocumentKind.DECLINE_NOTICE, "不予受理告知书", text)


def petition_link_terminated(
    *, petition, officer: Officer, reference: str, version: int | None = None, note: str = ""
) -> Petition:
    """An officer decides that this petition brings the same facts and reasons as a matter
    terminated after re-review (named by any of its references): it is linked to it (终结)."""
    ensure_role(officer, Role.REGISTRAR, Role.LEADER)
    reference = _required(reference, "reference")
    record = PetitionRecord.objects.filter(reference=reference).only("matter_id").first()
    terminated = (
        TerminatedMatter.objects.filter(matter_id=record.matter_id).first() if record else None
    )
    if terminated is None:
        raise ValidationError(
            f"{reference} is not a matter terminated after re-review",
            code=ErrorCode.NO_TERMINATED_MATTER,
            field="reference",
        )
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        finality.ensure_undecided(petition)
        petition.linked_terminated_matter = terminated.matter_id
        _finality_event(petition, EventKind.TERMINATED_MATTER_LINKED, officer, note, terminated)
        return _save(petition, "linked_terminated_matter")


def petition_admit_new_facts(
    *, petition, officer: Officer, reasons: str, version: int | None = None
) -> Petition:
    """A leader records that a petition linked to a terminated matter brings new facts and
    reasons (Art 36): the audited override after which it is handled like any other."""
    ensure_role(officer, Role.LEADER)
    reasons = _required(reasons, "reasons")
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        finality.ensure_undecided(petition)
        terminated = finality.termination_of(petition)
        if terminated is None:
            raise ValidationError(
                "the petition is not linked to a terminated matter: nothing to admit",
                code=ErrorCode.NO_TERMINATED_MATTER,
            )
        petition.new_facts_admitted_at = timezone.now()
        _finality_event(petition, EventKind.NEW_FACTS_ADMITTED, officer, reasons, terminated)
        return _save(petition, "new_facts_admitted_at")


def _finality_event(petition, kind: EventKind, officer, note: str, terminated) -> None:
    petition.version += 1
    events.record(
        petition,
        kind,
        actor=officer,
        note=note.strip(),
        data={
            "terminated_matter": str(terminated.matter_id),
            "recheck_reference": terminated.recheck_reference,
        },
    )


def petition_accept(*, petition, officer: Officer, version: int | None = None, note: str = ""):
    """Accept (受理) a routed petition, tell the petitioner, start the 60-day handling clock."""
    ensure_role(officer, *workflow.step(Transition.ACCEPT).roles)
    calendar = deadlines.OfficeCalendar.load()
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        now = timezone.now()
        petition.handling_due = deadlines.handling_due(calendar, start=timezone.localdate(now))
        workflow.apply(
            petition,
            Transition.ACCEPT,
            officer=officer,
            expected_version=version,
            note=note,
            at=now,
            data={
                "handling_due": petition.handling_due.isoformat(),
                **_document(
                    DocumentKind.ACCEPTANCE_NOTICE,
                    "受理告知书",
                    f"您的信访事项已受理，将于{petition.handling_due:%Y年%m月%d日}前出具处理意见。",
                ),
            },
        )
        petition.accepted_at = now
        return _save(petition, "accepted_at", "handling_due")


def petition_assign(
    *, petition, officer: Officer, handler: Officer, version: int | None = None, note: str = ""
) -> Petition:
    """Assign (or reassign) the petition to a handler (承办人) of this office."""
    ensure_role(officer, *workflow.step(Transition.ASSIGN).roles)
    if handler is None or not handler.is_active or Role.HANDLER not in handler.roles:
        raise ValidationError(
            "the handler must be an active officer with the handler role",
            code=ErrorCode.INVALID_HANDLER,
            field="handlerId",
        )
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        workflow.apply(
            petition,
            Transition.ASSIGN,
            officer=officer,
            expected_version=version,
            note=note,
            data={"handler_id": handler.pk, "previous_handler_id": petition.handler_id},
        )
        petition.handler = handler
        return _save(petition, "handler")


def petition_extend(
    *, petition, officer: Officer, days: int, reason: str, version: int | None = None
) -> Petition:
    """Extend the handling limit (延期) once, by at most the office's maximum (30 days), with a
    leader's approval and a reason the petitioner is told."""
    ensure_role(officer, *workflow.step(Transition.EXTEND).roles)
    reason = _required(reason, "reason")
    calendar = deadlines.OfficeCalendar.load()
    limit = calendar.settings.max_extension_days
    if not 1 <= days <= limit:
        raise ValidationError(
            f"an extension is 1 to {limit} days", code=ErrorCode.EXTENSION_TOO_LONG, field="days"
        )
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        if petition.extended:
            workflow.ensure_allowed(petition, Transition.EXTEND, officer)
            raise workflow.WorkflowError(
                "a petition can be extended only once",
                code=ErrorCode.ALREADY_EXTENDED,
                field="days",
            )
        workflow.ensure_allowed(petition, Transition.EXTEND, officer)
        new_due = deadlines.extended_due(calendar, due=petition.handling_due, days=days)
        workflow.apply(
            petition,
            Transition.EXTEND,
            officer=officer,
            expected_version=version,
            data={
                "days": days,
                "reason": reason,
                "previous_due": petition.handling_due.isoformat(),
                "handling_due": new_due.isoformat(),
                **_document(
                    DocumentKind.EXTENSION_NOTICE,
                    "延期告知书",
                    f"因{reason}，办理期限延长{days}日，至{new_due:%Y年%m月%d日}。",
                ),
            },
        )
        petition.handling_due = new_due
        petition.extended = True
        return _save(petition, "handling_due", "extended")


def petition_start_hearing(
    *,
    petition,
    officer: Officer,
    on: datetime.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Petition:
    """Open a hearing (听证): the handling clock stops until it ends.

    It opens inside the handling period: not before the petition was accepted (nor before an
    earlier hearing ended), not after the handling deadline, and not in the future."""
    ensure_role(officer, *workflow.step(Transition.START_HEARING).roles)
    on = on or timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        _ensure_hearing_starts_in_handling(petition, on, officer)
        workflow.apply(
            petition,
            Transition.START_HEARING,
            officer=officer,
            expected_version=version,
            note=note,
            data={"on": on.isoformat()},
        )
        Hearing.objects.create(petition=petition, started_on=on, note=note)
        return _save(petition)


def _ensure_hearing_starts_in_handling(petition: Petition, on: datetime.date, officer) -> None:
    """Not before the petition was accepted nor before an earlier hearing ended, not after the
    handling deadline, not in the future."""
    workflow.ensure_allowed(petition, Transition.START_HEARING, officer)
    last_end = (
        petition.hearings.filter(ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    earliest = max(d for d in (timezone.localdate(petition.accepted_at), last_end) if d)
    dates.ensure_between(
        on,
        earliest=earliest,
        latest=petition.handling_due,
        field="on",
        what="a hearing's start (inside the handling period)",
    )


def petition_end_hearing(
    *,
    petition,
    officer: Officer,
    on: datetime.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Petition:
    """Close the open hearing; the handling deadline moves by the days it lasted."""
    ensure_role(officer, *workflow.step(Transition.END_HEARING).roles)
    on = on or timezone.localdate()
    calendar = deadlines.OfficeCalendar.load()
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        workflow.ensure_allowed(petition, Transition.END_HEARING, officer)
        hearing = petition.hearings.filter(ended_on__isnull=True).select_for_update().get()
        dates.ensure_between(
            on, earliest=hearing.started_on, field="on", what="a hearing's end (after its start)"
        )
        hearing.ended_on = on
        hearing.save(update_fields=["ended_on"])
        new_due = deadlines.after_hearing(
            calendar, due=petition.handling_due, paused_days=hearing.paused_days
        )
        workflow.apply(
            petition,
            Transition.END_HEARING,
            officer=officer,
            expected_version=version,
            note=note,
            data={
                "on": on.isoformat(),
                "paused_days": hearing.paused_days,
                "handling_due": new_due.isoformat(),
            },
        )
        petition.handling_due = new_due
        return _save(petition, "handling_due")


def petition_reply(
    *, petition, officer: Officer, opinion: str, version: int | None = None
) -> Petition:
    """Issue the written opinion (处理意见书) to the petitioner, telling them where and within how
    long to ask for review (复查, Art 35): the office one level above, within 30 days."""
    ensure_role(officer, *workflow.step(Transition.REPLY).roles)
    opinion = _required(opinion, "opinion")
    calendar = deadlines.OfficeCalendar.load()
    document = _review_right(opinion, days=calendar.settings.review_request_days)
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        workflow.ensure_allowed(petition, Transition.REPLY, officer)
        if petition.handler_id != officer.pk and not officer.has_role(Role.LEADER, Role.ADMIN):
            raise PermissionDenied(
                "only the assigned handler or a leader may reply", code=ErrorCode.NOT_THE_HANDLER
            )
        now = timezone.now()
        workflow.apply(
            petition,
            Transition.REPLY,
            officer=officer,
            expected_version=version,
            at=now,
            data=_document(DocumentKind.REPLY, "处理意见书", document),
        )
        # A re-handled matter (重新办理) gets a new opinion; the earlier one stays in its event.
        Reply.objects.update_or_create(
            petition=petition,
            defaults={"opinion": opinion, "issued_at": now, "issued_by": officer},
        )
        petition.replied_at = now
        return _save(petition, "replied_at")


def _review_right(opinion: str, *, days: int) -> str:
    """The opinion with the petitioner's next step: 复查 at the office one level above."""
    parent = current_office().parent
    where = parent.name if parent else "上一级行政机关"
    return (
        f"{opinion}\n\n信访人对本处理意见不服的，可以自收到本意见书之日起{days}日内"
        f"向{where}请求复查。"
    )


def petition_evaluate(
    *,
    petition,
    officer: Officer | None,
    satisfaction: str,
    comment: str = "",
    version: int | None = None,
    by_petitioner: bool = False,
) -> Petition:
    """Record the petitioner's evaluation (满意 / 基本满意 / 不满意): by an officer, or given by the
    petitioner themself online (`by_petitioner`, no officer: the caller proved the petitioner by
    their query code, as the public site does)."""
    if not by_petitioner:
        ensure_role(officer, *workflow.step(Transition.EVALUATE).roles)
    if satisfaction not in Satisfaction.values:
        raise ValidationError(
            f"unknown satisfaction '{satisfaction}'",
            code=ErrorCode.INVALID_SATISFACTION,
            field="satisfaction",
        )
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        if _is_review_copy(petition):
            raise ValidationError(
                "the petitioner rates the office that first handled the matter "
                "(谁初次办理、谁接受评价), not the review of it",
                code=ErrorCode.NOT_RATED_HERE,
            )
        now = timezone.now()
        workflow.apply(
            petition,
            Transition.EVALUATE,
            officer=officer,
            expected_version=version,
            at=now,
            data={"satisfaction": satisfaction},
            by_petitioner=by_petitioner,
        )
        # After re-handling the petitioner rates the new opinion; the earlier rating stays in
        # its event and its reopening.
        Evaluation.objects.update_or_create(
            petition=petition,
            defaults={
                "satisfaction": satisfaction,
                "comment": comment.strip(),
                "recorded_at": now,
                "recorded_by": officer,
            },
        )
        petition.satisfaction = satisfaction
        return _save(petition, "satisfaction")


# The handoff kinds (exchange's `HandoffKind`) by which a copy reaches a reviewing office.
REVIEW_HANDOFF_KINDS = ("review", "recheck")


def _is_review_copy(petition) -> bool:
    """This copy is a review (复查) or re-review (复核) of the matter at a higher office: its log
    says it was received as one."""
    return petition.events.filter(
        kind=EventKind.RECEIVED, data__kind__in=REVIEW_HANDOFF_KINDS
    ).exists()


def petition_close(*, petition, officer: Officer, version: int | None = None, note: str = ""):
    """Close (办结) a replied petition. The outcome (四到位) must have been recorded in the same
    transaction: `resolution.services.petition_close` records it and calls this."""
    ensure_role(officer, *workflow.step(Transition.CLOSE).roles)
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        now = timezone.now()
        workflow.apply(
            petition, Transition.CLOSE, officer=officer, expected_version=version, note=note, at=now
        )
        petition.closed_at = now
        return _save(petition, "closed_at")


def petition_terminate(
    *,
    petition,
    officer: Officer,
    recheck_reference: str,
    note: str = "",
    version: int | None = None,
) -> Petition:
    """Terminate (终结) this office's copy of a matter ended by its re-review (复核) opinion, cited
    by the re-review's reference (`finality.ensure_re_reviewed`): the same facts and reasons are
    no longer accepted."""
    ensure_role(officer, *workflow.step(Transition.TERMINATE).roles)
    recheck_reference = _required(recheck_reference, "recheckReference")
    with transaction.atomic():
        petition = lock_petition(petition, version=version)
        now = timezone.now()
        workflow.apply(
            petition,
            Transition.TERMINATE,
            officer=officer,
            expected_version=version,
            note=note,
            at=now,
            data={
                "recheck_reference": recheck_reference,
                **_document(
                    DocumentKind.TERMINATION_NOTICE,
                    "终结告知",
                    f"经复核（{recheck_reference}），该信访事项已终结，"
                    "以同一事实和理由提出的信访事项不再受理。",
                ),
            },
        )
        petition.closed_at = petition.closed_at or now
        return _save(petition, "closed_at")


# --- deadlines ------------------------------------------------------------------------------------


def record_overdue(*, today: datetime.date | None = None) -> int:
    """Record an `overdue` event for each petition of this office past its current deadline.

    Idempotent: one event per petition and due date, however often it runs.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        late = list(
            Petition.objects.select_for_update(skip_locked=True)
            .filter(next_due__lt=today)
            .exclude(overdue_recorded_for=F("next_due"))
            .only("id", "status", "next_due")
        )
        PetitionEvent.objects.bulk_create(
            PetitionEvent(
                petition_id=p.pk,
                kind=EventKind.OVERDUE,
                at=now,
                from_status=p.status,
                to_status=p.status,
                data={
                    "step": deadlines.next_step(p),
                    "due": p.next_due.isoformat(),  # type: ignore[union-attr]  # next_due < today
                    "days_late": (today - p.next_due).days,  # type: ignore[operator]
                },
            )
            for p in late
        )
        Petition.objects.filter(pk__in=[p.pk for p in late]).update(
            overdue_recorded_for=F("next_due")
        )
    return len(late)
