"""Notices to petitioners (告知), in the office's schema: one row per document and channel and
recipient, delivered after the commit through the outbox (platform/notices/effects.py).

The recipient's address and the text are encrypted at rest like the petitioner's own numbers
(the text of a registration notice holds the query code); officers see the masked address, the
title, the status and why it failed, never the text through the API.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from xinfang.platform.pii import EncryptedTextField


class NoticeKind(models.TextChoices):
    """What the petitioner is told of (信访工作条例 Arts 22–23, 31–35)."""

    REGISTERED = "registered", "登记告知 registered, with the reference and query code"
    ACCEPTED = "accepted", "受理告知 accepted"
    DECLINED = "declined", "不予受理告知 declined, with the channel or authority to turn to"
    NO_LONGER_ACCEPTED = (
        "no_longer_accepted",
        "不再受理告知 the same facts as a matter terminated after re-review, which it cites",
    )
    TRANSFERRED = "transferred", "转送告知 transferred to the competent office"
    ASSIGNED = "assigned", "交办告知 assigned to an office below"
    EXTENDED = "extended", "延期告知 the handling limit extended, why and until when"
    OPINION = "opinion", "处理意见书 the written opinion, with the right to ask for review"
    REVIEW_RECEIVED = (
        "review_received",
        "复查受理告知 the review request taken up, by whom, until when",
    )
    RECHECK_RECEIVED = (
        "recheck_received",
        "复核受理告知 the re-review request taken up, by whom, until when",
    )
    REVIEW_OPINION = "review_opinion", "复查意见书 the review opinion, with the re-review right"
    RECHECK_OPINION = "recheck_opinion", "复核意见书 the re-review opinion (final)"
    TERMINATED = "terminated", "终结告知 the matter is terminated"
    MEDIATED = "mediated", "调解协议书 the mediation agreement"
    OTHER = "other", "其他文书 another document issued to the petitioner"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "电子邮件 e-mail"
    SMS = "sms", "短信 SMS"
    LETTER = "letter", "邮寄告知书 a printed letter, posted by the office"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "待发送 waiting to be sent (or retried)"
    SENT = "sent", "已发送 sent"
    TO_PRINT = "to_print", "待打印 a letter for the office to print and post"
    NOT_SENT = "not_sent", "未发送 not sent: the channel is not configured or no address"
    FAILED = "failed", "发送失败 failed; no further attempt"


class Notice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    petition = models.ForeignKey("cases.Petition", on_delete=models.CASCADE, related_name="notices")
    # The event that issued the document (a receipt sent again at the petitioner's request points
    # at the registration).
    event = models.ForeignKey("cases.PetitionEvent", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    channel = models.CharField(max_length=8, choices=NoticeChannel.choices)
    status = models.CharField(max_length=10, choices=NoticeStatus.choices)
    recipient_name = models.CharField(max_length=50)
    address = EncryptedTextField(blank=True, help_text="e-mail address, mobile number or post")
    address_masked = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    query_code = EncryptedTextField(blank=True, help_text="only on a registration notice")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(
        max_length=100, blank=True, help_text="the SMTP Message-ID or the SMS provider's BizId"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["petition", "created_at", "id"], name="notice_petition_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel}: {self.status}"

    def __repr__(self) -> str:  # never the address or the text
        return f"<Notice {self.pk}: {self.kind} {self.channel} {self.status}>"


class NoticeTemplate(models.Model):
    """An office's own wording of one kind of notice (e-mail and letter); without one the
    defaults apply (platform/notices/templates.py)."""

    kind = models.CharField(max_length=24, choices=NoticeKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"template {self.kind}"
