"""The outbox's Celery tasks: the drain of one kind of effect, on that kind's queue, and the
periodic sweep."""

from xinfang.platform.celery import OUTAGE_RETRY, app, queue, queue_depth
from xinfang.platform.outbox import handlers, relay


def send_drain(kind: str, *, once: bool = True, sweep: bool = False, **options) -> None:
    """Queue a drain of `kind` on the queue its handler names; with `once`, not when one already
    waits there (relay.mark_queued). The sweep also makes sure the marked drain really waits:
    with its queue empty the message was lost, and one is sent again (relay.remark_queued)."""
    name = queue(handlers.get(kind).queue)
    if once and not relay.mark_queued(kind):
        if not sweep or queue_depth(name, options.get("connection")):
            return
        relay.remark_queued(kind)
    try:
        drain_task.apply_async(args=[kind], queue=name, **options)
    except Exception:
        if once:
            relay.unmark_queued(kind)  # nothing waits: the next nudge must try again
        raise


@app.task(name="outbox.drain", acks_late=True, **OUTAGE_RETRY)
def drain_task(kind: str) -> int:
    """Run the due effects of `kind`; with a backlog, queue the next drain for another worker,
    and when the time budget ran out with more due, queue itself again rather than hold the
    worker."""
    relay.unmark_queued(kind)
    count, more = relay.drain(kind, backlog=lambda: send_drain(kind))
    if more:
        send_drain(kind)
    return count


@app.task(name="outbox.sweep", acks_late=True, **OUTAGE_RETRY)
def sweep_task() -> dict[str, int]:
    """A drain for every kind with due effects (lost nudges, retries whose back-off passed)."""
    due = relay.due_kinds()
    for kind in due:
        send_drain(kind, sweep=True)  # unless one waits in the queue
    relay.purge_done()
    return due
