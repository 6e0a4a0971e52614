"""State changes the public site makes: the office's guide (by its admins) and petitions filed
online (网上信访) by petitioners. A filing is registered by the workbench's own registration
service (channel online), so repeat checks, indexing, deadlines and notices apply as to any
other petition; this module adds only what is particular to the web: the abuse limits, the
consent and the attachments."""

from dataclasses import dataclass, field, replace

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import progress
from xinfang.platform.cases import services as cases
from xinfang.platform.cases.models import Channel, Petition
from xinfang.platform.cases.progress import Progress
from xinfang.platform.cases.workflow import WorkflowError
from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.exchange import services as exchange
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.pii import person_key
from xinfang.platform.publicsite import attachments, limits, selectors
from xinfang.platform.publicsite.models import OfficeGuide
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def guide_update(*, officer: Officer, values: dict[str, str]) -> selectors.Guide:
    """An admin edits the office's guide (信访指南). Every field named is replaced; an empty one
    shows its default again. Unknown names are refused."""
    ensure_role(officer, Role.ADMIN)
    unknown = sorted(set(values) - set(selectors.GUIDE_FIELDS))
    if unknown:
        raise ValidationError(
            f"not a field of the guide: {', '.join(unknown)}", code=ErrorCode.INVALID_INPUT
        )
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    for name, value in cleaned.items():
        limit = getattr(OfficeGuide._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            raise ValidationError(
                f"{name} has at most {limit} characters",
                code=ErrorCode.TOO_LONG, field=_camel(name), max_length=limit,
            )  # fmt: skip
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except Exception:
            raise ValidationError(
                "not an e-mail address", code=ErrorCode.INVALID_EMAIL, field="email"
            ) from None
    with transaction.atomic():
        guide = OfficeGuide.objects.select_for_update().filter(pk=1).first() or OfficeGuide(pk=1)
        for name, value in cleaned.items():
            setattr(guide, name, value)
        guide.updated_at, guide.updated_by = timezone.now(), officer
        guide.save()
    return selectors.office_guide()


@dataclass(frozen=True)
class OnlineFiling:
    """A petition as a petitioner filed it on the web, with what only the web has."""

    data: cases.PetitionInput
    files: list
    consented: bool
    form_token: str = ""
    honeypot: str = ""


def petition_file_online(*, filing: OnlineFiling, client: str) -> cases.Registration:
    """网上信访: register a petition a petitioner filed on the office's site.

    Checks in this order, each a typed error: the form (honeypot, token age), consent, real name
    (实名: the first petitioner's ID number and phone), the attachments, then the filing limits
    per client and per person; then the registration service itself. The form's token is the
    idempotency key: the same form sent twice is one petition, and its receipt comes back again.
    (The view counts every submission against the client's budget first, valid or not:
    `limits.count_attempt`.)
    """
    key = limits.check_form(token=filing.form_token, honeypot=filing.honeypot)
    if not filing.consented:
        raise ValidationError(
            "consent to the processing of personal data is required",
            code=ErrorCode.CONSENT_REQUIRED, field="consent",
        )  # fmt: skip
    _ensure_real_name(filing.data)
    checked = attachments.check(filing.files)
    keys = [person_key(p.id_number) for p in filing.data.petitioners if p.id_number]
    limits.ensure_may_file(client=client, person_keys=keys)
    office = current_office()
    saved = attachments.save(checked, office_code=office.code or "")
    started = timezone.now()
    try:
        with transaction.atomic():
            registration = cases.petition_register(
                data=replace(filing.data, channel=Channel.ONLINE),
                officer=None,
                idempotency_key=f"online:{key}",
            )
            replayed = registration.petition.registered_at < started
            if not replayed:
                attachments.attach(registration.petition, saved)
    except BaseException:
        attachments.discard(saved)
        raise
    if replayed:  # the same form again: its first receipt, nothing stored twice
        attachments.discard(saved)
    else:
        limits.count_filing(client=client, person_keys=keys)
    return registration


def _ensure_real_name(data: cases.PetitionInput) -> None:
    """Online petitions are filed under the petitioner's real name (实名): the first petitioner
    gives an ID number and a phone number (the registration service checks both)."""
    first = data.petitioners[0] if data.petitioners else None
    for value, name in ((first and first.id_number, "idNumber"), (first and first.phone, "phone")):
        if not (value or "").strip():
            raise ValidationError(
                f"an online petition needs the petitioner's {name}",
                code=ErrorCode.REQUIRED, field=f"petitioners.0.{name}",
            )  # fmt: skip


# --- the petitioner's own steps on their matter, proved by the query code ------------------------


@dataclass(frozen=True)
class Lookup:
    reference: str
    query_code: str = field(repr=False)
    client: str = ""


def _proved(lookup: Lookup) -> Progress:
    """The matter, once the query code proves the petitioner: the progress lookup itself, with
    its throttling (a wrong code counts against the reference, every try against the client)."""
    return progress.petition_progress(
        reference=lookup.reference, query_code=lookup.query_code, client=lookup.client
    )


def petitioner_rate(*, lookup: Lookup, satisfaction: str, comment: str = "") -> None:
    """满意度评价 given online: the office that first handled the matter records the rating
    through its evaluation service, as the petitioner's own step (no officer)."""
    actions = selectors.petitioner_actions(_proved(lookup))
    if actions.rate is None:
        raise WorkflowError("there is no opinion to rate now", code=ErrorCode.INVALID_TRANSITION)
    with tenant_context(Office.objects.get(code=actions.rate.code)):
        petition = Petition.objects.get(reference=actions.rate.reference)
        cases.petition_evaluate(
            petition=petition, officer=None, satisfaction=satisfaction, comment=comment,
            by_petitioner=True,
        )  # fmt: skip


def petitioner_request_review(*, lookup: Lookup, grounds: str) -> Handoff:
    """复查 (or 复核) asked online: registered at the office above the one whose opinion is
    contested, by the exchange services, with the query code as the petitioner's evidence."""
    actions = selectors.petitioner_actions(_proved(lookup))
    step = actions.review
    if step is None and actions.concluded:
        raise exchange.ReviewError(
            "the re-review opinion is final", code=ErrorCode.MATTER_TERMINATED, field="grounds"
        )
    if step is None and actions.awaiting:
        raise exchange.ReviewError(
            "the request awaits its opinion", code=ErrorCode.ALREADY_REQUESTED, field="grounds"
        )
    if step is None and actions.review_closed_on:
        raise exchange.ReviewError(
            f"the 30 days to ask ended on {actions.review_closed_on.isoformat()}",
            code=ErrorCode.REVIEW_WINDOW_CLOSED, field="grounds",
        )  # fmt: skip
    if step is None:
        raise exchange.ReviewError(
            "there is no opinion to contest now", code=ErrorCode.NOT_REPLIED, field="grounds"
        )
    request = (
        exchange.recheck_request if step.kind == selectors.RECHECK else exchange.review_request
    )
    evidence = exchange.ReviewEvidence(
        kind=exchange.EvidenceKind.QUERY_CODE, query_code=lookup.query_code
    )
    with tenant_context(step.to_office):
        return request(
            reference=step.contested.reference, officer=None, grounds=grounds, evidence=evidence
        )
