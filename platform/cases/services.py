"""State changes of petitions inside one office. Every write goes through here."""

import secrets
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from xinfang.platform.cases.idnumbers import validate_id_number
from xinfang.platform.cases.models import (
    Channel,
    Petition,
    Petitioner,
    PetitionEvent,
    ReferenceCounter,
    Status,
)
from xinfang.platform.errors import ValidationError
from xinfang.platform.exchange import registry
from xinfang.platform.pii import normalize_phone, person_key, phone_key

MAX_REPRESENTATIVES = 5


@dataclass(frozen=True)
class PetitionerInput:
    name: str
    id_number: str = ""
    phone: str = ""
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
    is_accusation: bool = False
    matter_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Registration:
    petition: Petition
    query_code: str  # shown once to the petitioner (查询码); only its hash is stored


def next_reference(office_code: str, year: int) -> str:
    """The next reference number of this office and year; never repeats, even concurrently."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{office_code}-{year}-{counter.last:06d}"


def _validate(data: PetitionInput) -> None:
    if data.channel not in Channel.values:
        raise ValidationError(
            f"unknown channel '{data.channel}'", code="INVALID_CHANNEL", field="channel"
        )
    if not data.content.strip():
        raise ValidationError("the petition has no content", code="REQUIRED", field="content")
    if not data.place.strip():
        raise ValidationError("where is the problem?", code="REQUIRED", field="place")
    if not data.petitioners:
        raise ValidationError("a petition needs a petitioner", code="REQUIRED", field="petitioners")
    if sum(p.is_representative for p in data.petitioners) > MAX_REPRESENTATIVES:
        raise ValidationError(
            f"a collective petition has at most {MAX_REPRESENTATIVES} representatives",
            code="TOO_MANY_REPRESENTATIVES",
            field="petitioners",
        )
    for i, p in enumerate(data.petitioners):
        if not p.name.strip():
            raise ValidationError(
                "a petitioner needs a name", code="REQUIRED", field=f"petitioners.{i}.name"
            )
        if p.id_number:
            validate_id_number(p.id_number, field=f"petitioners.{i}.idNumber")


def petition_register(*, data: PetitionInput, officer=None) -> Registration:
    """Register (登记) a petition from any channel, with its petitioners and a query code."""
    from xinfang.platform.cases import taxonomy

    _validate(data)
    taxonomy.validate_category(data.category)
    office = connection.tenant
    now = timezone.now()
    query_code = secrets.token_hex(4).upper()
    with transaction.atomic():
        petition = Petition.objects.create(
            matter_id=data.matter_id or uuid.uuid4(),
            reference=next_reference(office.code, timezone.localdate(now).year),
            channel=data.channel,
            category=data.category,
            place=data.place.strip(),
            place_code=data.place_code,
            accused_body=data.accused_body.strip(),
            content=data.content.strip(),
            request=data.request.strip(),
            is_accusation=data.is_accusation,
            is_collective=len(data.petitioners) > 1,
            registered_at=now,
            registered_by=officer,
            query_code_hash=make_password(query_code),
            status=Status.REGISTERED,
        )
        Petitioner.objects.bulk_create(
            Petitioner(
                petition=petition,
                name=p.name.strip(),
                id_number=validate_id_number(p.id_number) if p.id_number else "",
                phone=normalize_phone(p.phone),
                address=p.address.strip(),
                person_key=person_key(p.id_number) if p.id_number else "",
                phone_key=phone_key(p.phone) if p.phone else "",
                is_representative=p.is_representative,
            )
            for p in data.petitioners
        )
        PetitionEvent.objects.create(
            petition=petition, kind="registered", at=now, actor=officer,
            to_status=Status.REGISTERED, public=True,
        )  # fmt: skip
        registry.sync(petition)
    return Registration(petition=petition, query_code=query_code)
