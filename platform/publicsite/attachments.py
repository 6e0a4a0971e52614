"""Petitioners' attachments: images and PDF only, recognised by their first bytes (never by the
name or the browser's content type), limited in number and size, stored through Django's storage
API under random names."""

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Petition
from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.publicsite.models import Attachment
from xinfang.tenants.models import Office

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024
# A whole filing request: the files and the form's text, with room for multipart framing.
MAX_REQUEST_BYTES = MAX_TOTAL_BYTES + 256 * 1024

# (content type, extension, signature test) for every type accepted.
_TYPES = (
    ("image/jpeg", "jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/png", "png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/webp", "webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ("application/pdf", "pdf", lambda head: head.startswith(b"%PDF-")),
)
ALLOWED_TYPES = tuple(content_type for content_type, _, _ in _TYPES)


@dataclass(frozen=True)
class CheckedFile:
    file: File
    name: str
    content_type: str
    extension: str
    size: int


def detect_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first bytes, or None for any other file."""
    for content_type, extension, matches in _TYPES:
        if matches(head):
            return content_type, extension
    return None


def display_name(name: str) -> str:
    """The uploaded name, for officers' screens only: no path, no control characters, short."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "附件"
    return name[-100:]


def check(files) -> list[CheckedFile]:
    """The files, once every one is an allowed type within the limits; else ValidationError
    naming `attachments`."""
    files = list(files)
    if len(files) > MAX_FILES:
        raise ValidationError(
            f"at most {MAX_FILES} attachments", code=ErrorCode.TOO_MANY_ATTACHMENTS,
            field="attachments",
        )  # fmt: skip
    checked, total = [], 0
    for upload in files:
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                f"{display_name(upload.name)} is larger than {MAX_FILE_BYTES // 2**20} MB",
                code=ErrorCode.ATTACHMENT_TOO_LARGE, field="attachments",
            )  # fmt: skip
        upload.seek(0)
        kind = detect_type(upload.read(16))
        upload.seek(0)
        if kind is None:
            raise ValidationError(
                f"{display_name(upload.name)} is neither an image (JPEG, PNG, WebP) nor a PDF",
                code=ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, field="attachments",
            )  # fmt: skip
        total += upload.size
        checked.append(CheckedFile(upload, display_name(upload.name), *kind, upload.size))
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(
            f"the attachments together exceed {MAX_TOTAL_BYTES // 2**20} MB",
            code=ErrorCode.ATTACHMENT_TOO_LARGE, field="attachments",
        )  # fmt: skip
    return checked


@dataclass(frozen=True)
class SavedFile:
    checked: CheckedFile
    storage_name: str
    sha256: str


def save(files: list[CheckedFile], *, office_code: str) -> list[SavedFile]:
    """Write the files to the storage under random names (before the petition's transaction:
    a failed registration `discard`s them)."""
    saved = []
    now = timezone.now()
    try:
        for item in files:
            digest = hashlib.sha256()
            for chunk in item.file.chunks():
                digest.update(chunk)
            item.file.seek(0)
            name = f"attachments/{office_code}/{now:%Y/%m}/{uuid.uuid4().hex}.{item.extension}"
            saved.append(SavedFile(item, default_storage.save(name, item.file), digest.hexdigest()))
    except Exception:
        discard(saved)
        raise
    return saved


def attach(petition: Petition, saved: list[SavedFile]) -> list[Attachment]:
    """The rows of the saved files, in the petition's transaction."""
    now = timezone.now()
    return Attachment.objects.bulk_create(
        Attachment(
            petition=petition,
            name=item.checked.name,
            content_type=item.checked.content_type,
            size=item.checked.size,
            sha256=item.sha256,
            storage_name=item.storage_name,
            uploaded_at=now,
        )
        for item in saved
    )


def discard(saved: list[SavedFile]) -> None:
    for item in saved:
        default_storage.delete(item.storage_name)


def follow_copy(original: Petition, copy: Petition, *, sender: Office) -> list[Attachment]:
    """The original's attachments, for the receiver's copy (in the receiver's schema, in the
    handoff's transaction). The rows point at the same stored files: a file is written once and
    never changed or deleted once a petition holds it, so each office's row reads the same bytes,
    and a handoff rolled back leaves no file behind."""
    with tenant_context(sender):
        rows = list(
            Attachment.objects.filter(petition_id=original.pk).order_by("uploaded_at", "id")
        )
    return Attachment.objects.bulk_create(
        Attachment(
            petition=copy,
            name=row.name,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            storage_name=row.storage_name,
            uploaded_at=row.uploaded_at,
        )
        for row in rows
    )
