"""The one hook other apps use to react to petition changes (e.g. search indexing).

Every service that changes a petition calls `petition_changed_on_commit(petition)` inside its
transaction. After the commit, the `petition_changed` signal is sent with `petition_id` (a UUID)
and `schema_name` (the office's schema); nothing is sent if the transaction rolls back.
Subscribe without touching the services::

    from xinfang.platform.cases.events import petition_changed

    @receiver(petition_changed)
    def index(sender, petition_id, schema_name, **kwargs):
        index_petition.delay(str(petition_id))

Receivers run in the request (or task) that made the change, in the office's schema; they should
only queue work. A failing receiver is logged and never breaks the change it reacts to.
"""

import logging

from django.db import connection, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

petition_changed = Signal()


def petition_changed_on_commit(petition) -> None:
    petition_id, schema_name = petition.pk, connection.schema_name

    def send():
        for receiver, result in petition_changed.send_robust(
            sender=type(petition), petition_id=petition_id, schema_name=schema_name
        ):
            if isinstance(result, Exception):
                logger.error(
                    "petition_changed receiver %r failed for petition %s",
                    receiver,
                    petition_id,
                    exc_info=result,
                )

    transaction.on_commit(send)
