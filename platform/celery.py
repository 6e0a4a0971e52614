"""The Celery app. Tasks run in the schema of the office that queued them.

tenant-schemas-celery puts the queuing connection's schema in a task header and switches the
worker's connection to it before the task runs (and back afterwards).

A worker keeps its database connection from task to task (settings.CELERY_DB_REUSE_MAX) and, like
a request, checks it first: a connection broken by a PostgreSQL restart is replaced, an old one
(CONN_MAX_AGE) closed.

Work is split over queues (settings.XINFANG_QUEUES), each consumed by workers of its own; a task
is routed to its queue by name (settings.CELERY_TASK_ROUTES), anything else goes to `default`.
"""

import os

from celery.signals import beat_init, task_prerun, worker_init
from django.conf import settings
from django.db import InterfaceError, OperationalError
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")

app = CeleryApp("xinfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task that meets a database outage (PostgreSQL restarting) retries, backing off exponentially
# with jitter, instead of giving up on the first error. Apps add their own outages (search).
DATABASE_ERRORS = (OperationalError, InterfaceError)
OUTAGE_RETRY = {
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 10,
}


def queue(name: str) -> str:
    """This instance's name of a queue: default, index, checks, notices or scans."""
    try:
        return settings.XINFANG_QUEUES[name]
    except KeyError:
        raise LookupError(f"no Celery queue {name!r} (settings.XINFANG_QUEUES)") from None


def queue_depth(name: str, connection=None) -> int:
    """Messages waiting in the queue `name`, not those a worker already runs (over `connection`,
    else one from the broker's pool)."""
    with app.connection_or_acquire(connection) as conn:
        return conn.default_channel.queue_declare(queue=name).message_count


def queue_depths() -> dict[str, int]:
    """{queue: messages waiting in it} for every queue (/healthz)."""
    with app.connection_or_acquire() as conn:
        return {q: queue_depth(name, conn) for q, name in settings.XINFANG_QUEUES.items()}


@task_prerun.connect(weak=False)
def _fresh_database_connection(sender=None, **kwargs) -> None:
    from django.db import close_old_connections

    if sender is None or not getattr(sender.request, "is_eager", False):  # eager: the caller's
        close_old_connections()


CHUNK_SIZE = 50  # offices per message of periodic work


def staggered(count: int, *, step: float | None = None) -> list[int]:
    """Countdowns for `count` chunks of periodic work: `step` seconds apart, squeezed into the
    stagger window, which stays below the broker's visibility timeout (a longer countdown would
    be delivered twice)."""
    window = settings.XINFANG_STAGGER_WINDOW_SECONDS
    spacing = window / max(count, 1)
    if step is not None:
        spacing = min(step, spacing)
    return [int(i * spacing) for i in range(count)]


def fan_out(
    chunk_task, keys: list, *args, size: int | None = None, step: float | None = None
) -> int:
    """The dispatcher pattern (DESIGN §2): queue `chunk_task(chunk, *args)` for `keys` (offices)
    in chunks of `size`, staggered over the window, never one message per office at once;
    returns the number of chunks."""
    size = size or CHUNK_SIZE
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    for chunk, countdown in zip(chunks, staggered(len(chunks), step=step), strict=True):
        chunk_task.apply_async(args=[chunk, *args], countdown=countdown)
    return len(chunks)


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_start(**_kwargs):
    """A worker or beat with a default secret would encrypt and match with it: stop instead
    (SystemExit, since Celery logs and swallows a signal handler's exceptions)."""
    from django.core.exceptions import ImproperlyConfigured

    from xinfang.platform.safety import refuse_unsafe_start

    try:
        refuse_unsafe_start()
    except ImproperlyConfigured as error:
        raise SystemExit(f"xinfang: {error}") from error
