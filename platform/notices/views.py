"""The printable letter of a notice by post, for the office's officers (session login)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from xinfang.platform.notices import letters, selectors
from xinfang.tenants.context import current_office


def letter(request: HttpRequest, notice_id: uuid.UUID) -> HttpResponse:
    if not (request.user.is_authenticated and request.user.is_active):
        raise PermissionDenied  # the session lives in this office's schema: its officers only
    notice = selectors.letter_get(notice_id)
    if notice is None:
        raise Http404("no such letter in this office")
    pdf = letters.letter_pdf(notice, office_name=current_office().name)
    name = f"{notice.event.data['document']['title']}-{notice.petition.reference}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(True, name),
            "Cache-Control": "no-store",  # personal data: never kept by a proxy or the browser
        },
    )
