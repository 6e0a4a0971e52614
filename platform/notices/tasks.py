"""Periodic notices work: send the notices that waited for their channel to be configured."""

from xinfang.platform.celery import OUTAGE_RETRY, app
from xinfang.platform.notices import services


@app.task(name="notices.release_waiting", acks_late=True, **OUTAGE_RETRY)
def release_waiting() -> dict[str, int]:
    """On the notices queue: its workers' configuration decides which channels send (the very
    workers that then send them). Bounded per run; beat runs it every minute."""
    return services.notices_release_waiting()
