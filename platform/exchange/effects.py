"""After-commit work of handoffs (platform/outbox): the delivery receipt, stamped once."""

from xinfang.platform.errors import NotFound
from xinfang.platform.exchange.services.delivery import DELIVER, handoff_deliver
from xinfang.platform.outbox import handlers
from xinfang.platform.registry.visibility import NotVisible


@handlers.each(DELIVER)
def deliver(handoff_id: str) -> None:
    """Runs in the sender's schema; a handoff delivered before (or gone) has nothing left to do."""
    try:
        handoff_deliver(handoff_id=handoff_id)
    except (NotVisible, NotFound):
        return
