"""What the public site keeps in each office's schema: the office's guide (信访指南, Art 18) and the
files petitioners attach to petitions filed online."""

import uuid

from django.conf import settings
from django.db import models

from xinfang.platform.cases.models import Petition


class OfficeGuide(models.Model):
    """信访指南: what the office publishes for petitioners (Art 18). One row per office; a blank
    field shows its default, derived from the office record (`selectors.office_guide`). The
    procedure and its time limits are not stored: they come from `OfficeSettings`, so the guide
    always states the limits the deadlines are computed with."""

    reception_address = models.CharField(max_length=200, blank=True, help_text="接待地点")
    reception_hours = models.CharField(max_length=200, blank=True, help_text="接待时间")
    leader_reception = models.CharField(max_length=300, blank=True, help_text="领导接访日")
    phone = models.CharField(max_length=60, blank=True, help_text="咨询投诉电话")
    postal_address = models.CharField(max_length=200, blank=True, help_text="来信地址及邮编")
    email = models.CharField(max_length=120, blank=True, help_text="电子信箱")
    channels = models.TextField(max_length=1000, blank=True, help_text="其他信访渠道")
    litigation = models.TextField(max_length=1000, blank=True, help_text="诉讼类事项的去向")
    notes = models.TextField(max_length=2000, blank=True, help_text="其他须知")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "信访指南 office guide"
        verbose_name_plural = "信访指南 office guide"

    def __str__(self) -> str:
        return "信访指南"


class Attachment(models.Model):
    """A file a petitioner attached to a petition filed online (网上信访). The file lives in
    Django's storage under a random name; officers fetch it through an authorised view
    (`views.attachment`), never from a URL of the storage."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=120, help_text="the file's name as uploaded, for display")
    content_type = models.CharField(max_length=40, help_text="detected from the content")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The stored file; every copy of the petition handed to another office has its own row
    # pointing at the same file (`attachments.follow_copy`).
    storage_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "storage_name"], name="attachment_file_once"
            )
        ]

    def __str__(self) -> str:
        return self.name
