"""After-commit work of notices (platform/outbox): send one notice, once."""

from xinfang.platform.notices.services import SEND, notice_deliver
from xinfang.platform.outbox import handlers


@handlers.each(SEND, batch=20, queue="notices")
def send(notice_id: str) -> str | None:
    """Runs in the petition's office; a reason returned is retried after the outbox's back-off."""
    return notice_deliver(notice_id=notice_id)
