"""The wording of notices: defaults for every kind, an office's own templates over them.

A template is text with `{placeholders}` from `PLACEHOLDERS`; the document's own text (the
opinion, the reason for an extension, the authority to turn to) is `{text}`, so an office words
the frame, never the substance the statute fixes. `{query_code}` exists only in a registration
notice. An unknown placeholder is refused when the template is saved, never at send time.
"""

import string
from dataclasses import dataclass

from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.notices.models import NoticeKind

PLACEHOLDERS = {
    "name": "the petitioner's name (信访人)",
    "reference": "the petition's reference number",
    "office": "the office's name",
    "title": "the document's title (受理告知书, 处理意见书, …)",
    "text": "the document's text",
    "date": "the day it is issued, 2026年12月01日",
    "query_code": "the query code (查询码): in a registration notice only",
}

DEFAULT_SUBJECT = "{title}（{reference}）"
DEFAULT_BODY = "{name}：\n\n{text}\n\n{office}\n{date}"
DEFAULTS: dict[str, tuple[str, str]] = {
    NoticeKind.REGISTERED: (
        DEFAULT_SUBJECT,
        "{name}：\n\n{text}\n\n编号：{reference}\n查询码：{query_code}\n\n{office}\n{date}",
    ),
}


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        return self.subject.format_map(values), self.body.format_map(values)


def default(kind: str) -> Wording:
    subject, body = DEFAULTS.get(kind, (DEFAULT_SUBJECT, DEFAULT_BODY))
    return Wording(subject=subject, body=body)


def placeholders(kind: str) -> dict[str, str]:
    """The placeholders a template of this kind may use, with their meaning."""
    return {
        name: meaning
        for name, meaning in PLACEHOLDERS.items()
        if name != "query_code" or kind == NoticeKind.REGISTERED
    }


def validate(kind: str, text: str, *, field: str) -> str:
    """`text` if every placeholder in it exists for this kind, else INVALID_TEMPLATE."""
    allowed = set(placeholders(kind))
    try:
        fields = [(n, s, c) for _, n, s, c in string.Formatter().parse(text) if n is not None]
    except ValueError as exc:  # an unmatched brace
        raise ValidationError(
            f"the template is malformed: {exc}", code=ErrorCode.INVALID_TEMPLATE, field=field
        ) from None
    # A bare name only: no attribute, index, conversion or format spec (`{text.__class__}`,
    # `{name:>99999999}`).
    unknown = sorted({f"{n}{'!' + c if c else ''}{':' + s if s else ''}" for n, s, c in fields}
                     - allowed)  # fmt: skip
    if unknown:
        raise ValidationError(
            f"unknown placeholders {unknown}; use {sorted(allowed)}",
            code=ErrorCode.INVALID_TEMPLATE,
            field=field,
        )
    return text
