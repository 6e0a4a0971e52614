"""The printable letter (告知书, PDF) of a notice by post: the office's name, the document's title,
the reference, the addressee and the notice's text, in a Chinese font from Debian's packages
(`fonts-wqy-zenhei`, installed by deploy/browser.sh and the image; `XINFANG_NOTICE_FONT`)."""

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from xinfang.platform.notices.models import Notice

FONT = "NoticeCJK"


@cache
def _font(path: str) -> str:
    """Register the font once per process (a .ttc holds several faces: the first is taken)."""
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"the font of printed notices is missing: {path} (XINFANG_NOTICE_FONT; "
            "deploy/browser.sh installs Debian's fonts-wqy-zenhei)"
        )
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, wordWrap="CJK")
    return {
        "office": ParagraphStyle("office", parent=body, fontSize=20, leading=30,
                                 alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=26,
                                alignment=TA_CENTER),
        "reference": ParagraphStyle("reference", parent=body, fontSize=10, alignment=TA_RIGHT),
        "address": ParagraphStyle("address", parent=body, fontSize=10, leading=16),
        "body": body,
    }  # fmt: skip


def letter_pdf(notice: Notice, *, office_name: str) -> bytes:
    """The letter as a PDF document (A4, one page or more)."""
    styles = _styles(_font(settings.XINFANG_NOTICE_FONT))
    title = notice.event.data["document"]["title"]
    story = [
        Paragraph(escape(office_name), styles["office"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(title), styles["title"]),
        Paragraph(f"编号：{escape(notice.petition.reference)}", styles["reference"]),
        Spacer(1, 6 * mm),
    ]
    if notice.address:
        story += [
            Paragraph(f"{escape(notice.address)}<br/>{escape(notice.recipient_name)} 收",
                      styles["address"]),
            Spacer(1, 6 * mm),
        ]  # fmt: skip
    for line in notice.body.split("\n"):
        story.append(Paragraph(escape(line) or "&nbsp;", styles["body"]))
    out = BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"{title} {notice.petition.reference}", author=office_name,
        leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
    ).build(story)  # fmt: skip
    return out.getvalue()
