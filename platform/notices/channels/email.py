"""E-mail over SMTP (`XINFANG_SMTP_*`). The Message-ID is the notice's own, so a message sent
again after a crash between the server's answer and our commit is recognisable as the same."""

import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from xinfang.platform.notices.channels import Message, Retry, Undeliverable


def unconfigured() -> str:
    return "" if settings.XINFANG_SMTP_HOST else "e-mail is not configured (XINFANG_SMTP_HOST)"


def message_id(notice_id: str) -> str:
    return f"<notice-{notice_id}@{settings.XINFANG_SMTP_MESSAGE_DOMAIN}>"


def send(message: Message) -> str:
    mid = message_id(message.notice_id)
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=formataddr((message.office, settings.XINFANG_SMTP_FROM)),
        to=[message.address],
        headers={"Message-ID": mid},
        connection=_connection(),
    )
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            raise Undeliverable(f"the mail server refused the address ({codes[0]})") from exc
        raise Retry(f"the mail server deferred the address ({codes[0]})") from exc
    except (OSError, smtplib.SMTPException) as exc:  # down, timed out, 4xx
        raise Retry(f"{type(exc).__name__}: {exc}") from exc
    return mid


def _connection():
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=settings.XINFANG_SMTP_HOST,
        port=settings.XINFANG_SMTP_PORT,
        username=settings.XINFANG_SMTP_USER or None,
        password=settings.XINFANG_SMTP_PASSWORD or None,
        use_tls=settings.XINFANG_SMTP_STARTTLS,
        use_ssl=settings.XINFANG_SMTP_SSL,
        timeout=settings.XINFANG_SMTP_TIMEOUT,
        fail_silently=False,
    )
