"""Supervision orders (督办单) and metric rollups: every state change of the supervision app.

An order is one transaction over the public ledger and the lower office's schema (its petition
gets an event; its registry row gets the issuer as a viewer, by `registry/visibility.py`).
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import dates, events
from xinfang.platform.cases.models import EventKind, OfficeSettings
from xinfang.platform.cases.services import lock_petition
from xinfang.platform.errors import ErrorCode, NotFound, ServiceError, ValidationError
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.visibility import NotVisible
from xinfang.platform.supervision.models import (
    OfficeMetrics,
    OrderReason,
    OrderStatus,
    SupervisionOrder,
)
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office


class OrderError(ServiceError):
    code = ErrorCode.INVALID_ORDER


def order_issue(
    *,
    petition_id,
    officer,
    reason: str,
    instructions: str,
    due_date: datetime.date,
    idempotency_key: str = "",
) -> SupervisionOrder:
    """Issue a supervision order (督办单) to the lower office that holds `petition_id`."""
    ensure_role(officer, Role.SUPERVISOR, Role.LEADER)
    issuer = current_office()
    if reason not in OrderReason.values:
        raise ValidationError(
            f"unknown reason '{reason}'", code=ErrorCode.INVALID_REASON, field="reason"
        )
    if not instructions.strip():
        raise ValidationError("the order needs instructions", code=ErrorCode.REQUIRED,
                              field="instructions")  # fmt: skip
    dates.ensure_due_within(due_date, OfficeSettings.current().order_due_limit_days)
    request = {
        "petition_id": str(petition_id), "reason": reason,
        "instructions": instructions.strip(), "due_date": due_date,
    }  # fmt: skip
    if idempotency_key and (earlier := _earlier(issuer, idempotency_key, request)):
        return earlier
    record = PetitionRecord.objects.select_related("office").filter(petition_id=petition_id).first()
    if record is None:
        raise NotFound("no such petition", field="petitionId")
    target = record.office
    if issuer.code not in target.ancestor_codes:
        raise NotVisible("a supervision order goes to an office below this one")
    _ensure_reason_fits(reason, record)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                issuer_office=issuer, target_office=target, petition_id=record.petition_id,
                matter_id=record.matter_id, reference=record.reference, reason=reason,
                instructions=instructions.strip(), due_date=due_date,
                idempotency_key=idempotency_key, created_by=officer.username,
                created_at=timezone.now(),
            )  # fmt: skip
            with tenant_context(target):
                petition = lock_petition(record.petition_id, field="petitionId")
                data = {
                    "order": str(order.pk), "issuer": issuer.code, "reason": reason,
                    "due_date": due_date.isoformat(), "officer": officer.username,
                }  # fmt: skip
                events.record(
                    petition, EventKind.SUPERVISION_ORDER_RECEIVED, note=instructions, data=data
                )
                registry.sync(petition)  # the issuer becomes a viewer
    except IntegrityError:
        earlier = _earlier(issuer, idempotency_key, request) if idempotency_key else None
        if earlier is None:
            raise
        return earlier
    return order


def _ensure_reason_fits(reason: str, record: PetitionRecord) -> None:
    """The order's reason must be true of the petition: an OVERDUE order only on a petition past
    its deadline, a NOT_IMPLEMENTED one only once an opinion was issued."""
    today = timezone.localdate()
    if reason == OrderReason.OVERDUE and not (record.next_due and record.next_due < today):
        raise OrderError(
            f"{record.reference} is not overdue (due {record.next_due or 'nothing now'})",
            code=ErrorCode.NOT_OVERDUE,
            field="reason",
        )
    if reason == OrderReason.NOT_IMPLEMENTED and record.replied_at is None:
        raise OrderError(
            f"{record.reference} has no opinion to implement yet",
            code=ErrorCode.NOT_REPLIED,
            field="reason",
        )


def _earlier(issuer: Office, key: str, request: dict) -> SupervisionOrder | None:
    """The order a retry with this key already issued, if the retry asks for the same order."""
    order = SupervisionOrder.objects.filter(issuer_office=issuer, idempotency_key=key).first()
    if order is None:
        return None
    issued = {
        "petition_id": str(order.petition_id), "reason": order.reason,
        "instructions": order.instructions, "due_date": order.due_date,
    }  # fmt: skip
    if issued != request:
        raise OrderError("this idempotency key was already used for another order",
                         code=ErrorCode.IDEMPOTENCY_KEY_REUSED, field="idempotencyKey")  # fmt: skip
    return order


def order_answer(*, order_id, officer, answer: str) -> SupervisionOrder:
    """The lower office answers a supervision order addressed to it."""
    ensure_role(officer, Role.HANDLER, Role.LEADER)
    office = current_office()
    if not answer.strip():
        raise ValidationError("the answer needs its text", code=ErrorCode.REQUIRED, field="answer")
    with transaction.atomic():
        try:
            order = SupervisionOrder.objects.select_for_update().get(pk=order_id)
        except (SupervisionOrder.DoesNotExist, ValueError, DjangoValidationError):
            raise NotFound("no such supervision order", field="orderId") from None
        if order.target_office_id != office.pk:
            raise NotVisible("this order was not sent to this office")
        if order.status != OrderStatus.OPEN:
            raise OrderError("the order was already answered", code=ErrorCode.INVALID_STATE)
        order.status, order.answer = OrderStatus.ANSWERED, answer.strip()
        order.answered_at, order.answered_by = timezone.now(), officer.username
        order.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        petition = lock_petition(order.petition_id, field="petitionId")
        events.record(
            petition,
            EventKind.SUPERVISION_ORDER_ANSWERED,
            actor=officer,
            note=answer,
            data={"order": str(order.pk), "late": order.overdue_at is not None},
        )
    return order


def orders_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Stamp orders past their deadline without an answer (idempotent: once per order)."""
    today = today or timezone.localdate()
    return SupervisionOrder.objects.filter(
        status=OrderStatus.OPEN, due_date__lt=today, overdue_at__isnull=True
    ).update(overdue_at=timezone.now())


# --- metrics --------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def metrics_compute(*, office: Office, month: datetime.date) -> OfficeMetrics:
    """Recompute one office's counts for one month from the registry (idempotent upsert)."""
    month = month_start(month)
    today = timezone.localdate()
    start, end = (
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min))
        for d in (month, _next_month(month))
    )
    registered = PetitionRecord.objects.filter(
        office=office, registered_at__gte=start, registered_at__lt=end
    )
    # Aliases differ from field names (an alias "handling_due" would shadow the column).
    counts = registered.aggregate(
        n_registered=Count("pk"),
        n_acceptance_due=Count(
            "pk", filter=Q(accept_due__isnull=False)
            & (Q(accepted_at__isnull=False) | Q(accept_due__lt=today)),
        ),
        n_accepted_on_time=Count("pk", filter=Q(accepted_at__date__lte=F("accept_due"))),
        n_handling_due=Count(
            "pk", filter=Q(handling_due__isnull=False)
            & (Q(replied_at__isnull=False) | Q(handling_due__lt=today)),
        ),
        n_completed_on_time=Count("pk", filter=Q(replied_at__date__lte=F("handling_due"))),
        n_evaluated=Count("pk", filter=~Q(satisfaction="")),
        n_satisfied=Count("pk", filter=Q(satisfaction__in=("satisfied", "basically_satisfied"))),
        n_repeat=Count("pk", filter=Q(is_repeat=True)),
        n_skip_level_registered=Count("pk", filter=Q(is_skip_level=True)),
    )  # fmt: skip
    counts = {name.removeprefix("n_"): value for name, value in counts.items()}
    counts["skip_level_about"] = PetitionRecord.objects.filter(
        about_office_code=office.code, registered_at__gte=start, registered_at__lt=end
    ).count()
    metrics, _ = OfficeMetrics.objects.update_or_create(
        office=office, month=month, defaults={**counts, "computed_at": timezone.now()}
    )
    return metrics
