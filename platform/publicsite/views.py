"""The public site's pages (/public/ on every office host) and the officers' attachment download.
Thin: a form, one service or selector, a template. Pages that show a query code or a petition's
progress are never cached (`no-store`)."""

import uuid

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.platform import http
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import progress
from xinfang.platform.cases.models import EventKind
from xinfang.platform.cases.services import PetitionerInput, PetitionInput
from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.notices import selectors as notices_selectors
from xinfang.platform.notices import services as notices
from xinfang.platform.notices.models import NoticeChannel, NoticeKind, NoticeStatus
from xinfang.platform.publicsite import (
    attachments,
    forms,
    limits,
    messages,
    selectors,
    services,
    standing,
)
from xinfang.platform.publicsite.limits import form_token
from xinfang.tenants.context import current_office


def _page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    response = render(request, template, {"office": current_office(), **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def guide(request):
    """信访指南: the office's channels, hours, procedure and limits (Art 18)."""
    return _page(request, "publicsite/guide.html", {"guide": selectors.office_guide()})


@csrf_exempt  # checked by `_file_online` once the request's size is known to be bounded
@require_http_methods(["GET", "POST"])
def file_online(request):
    """网上信访: the form, and on a valid submission the receipt with the query code (once).

    The request's size is checked before anything reads its body (the CSRF check reads the
    form, uploaded files included), so an oversized upload is refused unread."""
    if request.method == "POST" and _declared_size(request) > attachments.MAX_REQUEST_BYTES:
        message = messages.for_code(ErrorCode.REQUEST_TOO_LARGE)
        return _page(request, "publicsite/too_large.html", {"message": message}, status=413)
    return _file_online(request)


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return attachments.MAX_REQUEST_BYTES + 1


@csrf_protect
def _file_online(request):
    office = current_office()
    if request.method == "GET":
        form = forms.FilingForm(office=office, initial={"form_token": form_token(uuid.uuid4().hex)})
        return _page(request, "publicsite/file.html", _filing(form, forms.CoPetitioners()))
    form = forms.FilingForm(request.POST, request.FILES, office=office)
    co = forms.CoPetitioners(request.POST, prefix="co")
    client = http.client_address(request)
    try:
        limits.count_attempt(client)
    except ServiceError as error:
        forms.add_service_error(form, error)
    if form.is_valid() & co.is_valid():
        try:
            registration = services.petition_file_online(filing=_filing_of(form, co), client=client)
        except ServiceError as error:
            forms.add_service_error(form, error, formset=co)
            if error.code == ErrorCode.FORM_EXPIRED:
                form.data = form.data.copy()
                form.data["form_token"] = form_token(uuid.uuid4().hex)
        else:
            return _receipt(request, registration)
    files_chosen = bool(request.FILES.getlist("attachments"))
    context = _filing(form, co) | {"files_chosen": files_chosen}
    return _page(request, "publicsite/file.html", context, status=400)


def _receipt(request, registration):
    """The receipt: the codes once, where the registration notice went, the form to send them."""
    petition = registration.petition
    codes = {"reference": petition.reference, "query_code": registration.query_code}
    told = notices_selectors.notices_of_petition(petition.pk).filter(kind=NoticeKind.REGISTERED)
    context = {"registration": registration, "petition": petition,
               "send": forms.ReceiptForm(initial=codes), "told": _receipt_sent(told)}  # fmt: skip
    return _page(request, "publicsite/receipt.html", context, status=201)


def _filing(form, co) -> dict:
    co.prefix = "co"
    return {"form": form, "co": co, "max_files": attachments.MAX_FILES,
            "max_file_mb": attachments.MAX_FILE_BYTES // 2**20,
            "max_total_mb": attachments.MAX_TOTAL_BYTES // 2**20}  # fmt: skip


def _filing_of(form, co) -> services.OnlineFiling:
    data = form.cleaned_data
    first = PetitionerInput(
        name=data["name"], id_number=data["id_number"], phone=data["phone"],
        email=data["email"], address=data["address"],
    )  # fmt: skip
    others = [
        PetitionerInput(name=row["name"], id_number=row["id_number"], phone=row["phone"])
        for row in (f.cleaned_data for f in co.forms)
        if row and row.get("name")
    ]
    petition = PetitionInput(
        channel="online", category=data["category"], place=data["place"],
        place_code=data["place_code"], accused_body=data["accused_body"],
        content=data["content"], request=data["request"], petitioners=[first, *others],
    )  # fmt: skip
    return services.OnlineFiling(
        data=petition, files=data["attachments"], consented=data["consent"],
        form_token=data["form_token"], honeypot=data["homepage"],
    )  # fmt: skip


@require_POST
def send_receipt(request):
    """发送到手机/邮箱 from the receipt: the registration notice with the reference and query
    code, recorded by the notices service and sent after the commit; the page says where it
    goes, or shows the error by its field with the rest kept."""
    form = forms.ReceiptForm(request.POST)
    if form.is_valid():
        try:
            recorded = notices.notice_receipt_send(
                reference=form.cleaned_data["reference"],
                query_code=form.cleaned_data["query_code"],
                client=http.client_address(request),
                email=form.cleaned_data["email"], phone=form.cleaned_data["phone"],
            )  # fmt: skip
        except ServiceError as error:
            forms.add_service_error(form, error)  # a wrong pair names no field: on top
        else:
            context = {"send": form, "sent": _receipt_sent(recorded),
                       "per_hour": notices.RECEIPTS_PER_PETITION}  # fmt: skip
            return _page(request, "publicsite/receipt_sent.html", context)
    return _page(request, "publicsite/receipt_sent.html", {"send": form}, status=400)


def _receipt_sent(recorded) -> list[dict]:
    """Each address as the petitioner typed it (masked), and whether it goes out from here."""
    channel = {NoticeChannel.SMS: "短信", NoticeChannel.EMAIL: "电子邮件"}
    return [  # a letter (to_print) is the office's to post: not said here
        {
            "channel": channel[n.channel],
            "address": n.address_masked,
            # sent already when the worker was quicker than this page; NOT_SENT: no channel
            "sending": n.status in (NoticeStatus.PENDING, NoticeStatus.SENT),
        }
        for n in recorded
        if n.channel in channel
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """进度查询: reference number and query code (sent by POST: a code never goes in a URL)."""
    if request.method == "GET":
        return _page(request, "publicsite/lookup.html", {"form": forms.LookupForm()})
    form = forms.LookupForm(request.POST)
    if not form.is_valid():
        return _page(request, "publicsite/lookup.html", {"form": form}, status=400)
    return _progress(request)


@require_POST
def rate(request):
    """满意度评价 from the progress page; the page again, with thanks or the error by its field."""
    form = forms.RatingForm(request.POST)
    if form.is_valid():
        try:
            services.petitioner_rate(lookup=_lookup(request, form),
                                     satisfaction=form.cleaned_data["satisfaction"],
                                     comment=form.cleaned_data["comment"])  # fmt: skip
        except ServiceError as error:
            forms.add_service_error(form, error)
        else:
            return _progress(request, done="感谢您的评价！评价结果已送达办理机关。")
    return _progress(request, rating=form, status=400)


@require_POST
def review(request):
    """复查 / 复核 requested from the progress page."""
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            handoff = services.petitioner_request_review(
                lookup=_lookup(request, form), grounds=form.cleaned_data["grounds"]
            )
        except ServiceError as error:
            forms.add_service_error(form, error)
        else:
            what = "复核" if handoff.kind == "recheck" else "复查"
            done = (
                f"已收到您的{what}申请：{handoff.receiver_office.name}将于"
                f"{handoff.due_date:%Y年%m月%d日}前出具{what}意见。"
            )
            return _progress(request, done=done)
    return _progress(request, review=form, status=400)


def _lookup(request, form) -> services.Lookup:
    return services.Lookup(
        reference=form.cleaned_data["reference"], query_code=form.cleaned_data["query_code"],
        client=http.client_address(request),
    )  # fmt: skip


def _progress(request, *, done: str = "", rating=None, review=None, status: int = 200):
    """The progress page of the matter the form names (or the lookup page with the error)."""
    codes = {name: request.POST.get(name, "") for name in ("reference", "query_code")}
    try:
        found = progress.petition_progress(
            reference=codes["reference"], query_code=codes["query_code"],
            client=http.client_address(request),
        )  # fmt: skip
    except ServiceError as error:
        lookup_form = forms.LookupForm(codes)
        lookup_form.is_valid()
        forms.add_service_error(lookup_form, _on_code(error))
        return _page(request, "publicsite/lookup.html", {"form": lookup_form}, status=400)
    actions = selectors.petitioner_actions(found)
    # An error of a form the page no longer offers (the window closed, already rated) on top.
    problems = [
        message
        for form, offered in ((rating, actions.rate), (review, actions.review))
        if form is not None and not offered
        for errors in form.errors.values()
        for message in errors
    ]
    context = {
        "progress": found, "steps": _steps(found), "documents": found.documents,
        "problems": problems,
        "offices": [{"office": o, "how": ARRIVED_BY.get(o.arrived_by, "")} for o in found.offices],
        "actions": actions, "done": done, "standing": standing.standing(found, actions),
        "rating": rating or forms.RatingForm(initial=codes),
        "review": review or forms.ReviewForm(initial=codes),
    }  # fmt: skip
    return _page(request, "publicsite/progress.html", context, status=status)


# How the matter reached each office on its path (a handoff's kind), in the petitioner's words.
ARRIVED_BY = {
    "": "登记", "transfer": "转送", "assign": "交办", "escalate": "上报", "review": "复查",
    "recheck": "复核",
}  # fmt: skip


def _steps(found) -> list[dict]:
    """The public steps with their Chinese names (the event kinds' labels) and their office."""
    return [
        {"at": step.at, "label": EventKind(step.kind).label.split(" ")[0], "office": step.office}
        for step in found.steps
    ]


def _on_code(error: ServiceError) -> ServiceError:
    """A wrong reference or code is told at the query code field (they cannot be told apart)."""
    if error.code == ErrorCode.NOT_FOUND and not error.field:
        error.field = "queryCode"
    return error


@require_GET
def attachment(request, attachment_id):
    """An attachment of this office's petition, for a logged-in officer of the office only;
    always downloaded (never rendered inline), with the type detected at upload."""
    try:
        ensure_role(request.user)
    except ServiceError as error:
        return HttpResponse(f"{error.code.chinese}\n", status=403, content_type="text/plain")
    row = selectors.attachment_for_officer(attachment_id)
    if row is None:
        raise Http404("no such attachment")
    response = FileResponse(
        selectors.open_attachment(row), as_attachment=True, filename=row.name,
        content_type=row.content_type,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response
