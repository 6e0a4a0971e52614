"""What runs each kind of effect. Apps register their handlers in their own `effects.py` (found
by `OutboxConfig.ready`); the outbox itself knows none of them.

Each kind names the Celery queue its drains go to (platform/celery.py `queue`): indexing, repeat
checks and notices have workers of their own, so none waits behind another's backlog.

A handler runs in the schema of the effect's office, inside the transaction that then records
the effect done, so its database writes and the `done_at` stamp commit together. It must be
idempotent: a worker killed after an Elasticsearch write but before the commit runs it again.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError, transaction

# The database itself is gone (restart, network): nothing more can be recorded, the whole drain
# gives up and its task retries. Any other error fails only the effects it concerns.
CONNECTION_LOST = (OperationalError, InterfaceError)

Failures = Mapping[str, str]  # subject id → why it must be tried again


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[list[str]], Failures]  # the subject ids of one office's effects
    batch: int  # effects claimed at once
    queue: str  # the Celery queue of its drains: default, index, checks, notices, scans


_handlers: dict[str, Handler] = {}


def batched(kind: str, *, size: int, queue: str = "default") -> Callable:
    """Register `fn(subject_ids) -> Failures`, which handles a whole batch at once (bulk
    indexing) and names the subjects that failed."""

    def register(fn: Callable[[list[str]], Failures]) -> Callable:
        _handlers[kind] = Handler(kind=kind, run=fn, batch=size, queue=queue)
        return fn

    return register


def each(kind: str, *, batch: int = 50, queue: str = "default") -> Callable:
    """Register `fn(subject_id) -> str | None`, run once per effect in a savepoint of its own: an
    exception undoes that effect's writes and retries it; a returned reason keeps its writes (a
    repeat check that recorded "search unavailable") and retries it."""

    def register(fn: Callable[[str], str | None]) -> Callable:
        def run(subject_ids: list[str]) -> Failures:
            failures = {}
            for subject_id in subject_ids:
                try:
                    with transaction.atomic():
                        reason = fn(subject_id)
                except CONNECTION_LOST:
                    raise
                except Exception as exc:
                    reason = describe(exc)
                if reason:
                    failures[subject_id] = reason
            return failures

        _handlers[kind] = Handler(kind=kind, run=run, batch=batch, queue=queue)
        return fn

    return register


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def get(kind: str) -> Handler:
    try:
        return _handlers[kind]
    except KeyError:
        raise LookupError(
            f"no handler for effect kind {kind!r} (register it in effects.py)"
        ) from None


def kinds() -> Iterable[str]:
    return sorted(_handlers)
