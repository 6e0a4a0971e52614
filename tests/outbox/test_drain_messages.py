"""Drain messages stay few: however many effects are recorded, at most one nudged drain per kind
waits in its queue (it claims everything recorded until it starts), and a drain that meets a
backlog queues the next one, so every idle worker of the queue joins in. A mark whose message was
lost expires, and the sweep sees through it at once. Messages go to a side Redis database (no
worker takes them)."""

import os
import time

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.support.broker import SideBroker
from xinfang.platform.outbox import handlers, relay
from xinfang.platform.outbox import services as outbox
from xinfang.platform.outbox.models import Effect
from xinfang.platform.outbox.tasks import drain_task, send_drain

NOOP = "tests.noop"
done: list[str] = []


@handlers.each(NOOP, batch=5)
def _noop(subject_id: str) -> None:
    done.append(subject_id)


@pytest.fixture
def side():
    broker = SideBroker()
    broker.clear()
    relay.unmark_queued(NOOP)
    yield broker
    broker.clear()
    relay.unmark_queued(NOOP)


@pytest.fixture(autouse=True)
def _only_this_tests_effects(db):
    Effect.objects.filter(done_at__isnull=True).update(done_at=timezone.now())


def test_a_burst_of_nudges_queues_one_drain_until_it_starts(side):
    with side.connection() as connection:
        for _ in range(20):
            send_drain(NOOP, connection=connection)
        assert side.depths() == {"default": 1}
        drain_task.apply(args=[NOOP])  # a worker starts it: effects from now on need another
        send_drain(NOOP, connection=connection)
        send_drain(NOOP, connection=connection)
    assert side.depths() == {"default": 2}


def test_a_mark_whose_message_was_lost_expires_and_drains_are_sent_again(side):
    with side.connection() as connection:
        send_drain(NOOP, connection=connection)
        side.clear()  # the broker lost the message, not the mark
        send_drain(NOOP, connection=connection)
        assert side.depths() == {}
        relay._broker().pexpire(relay._mark(NOOP), 1)  # QUEUED_TTL passes
        time.sleep(0.05)
        send_drain(NOOP, connection=connection)
    assert side.depths() == {"default": 1}


def test_the_sweep_sends_again_a_drain_whose_message_was_lost_and_logs_who_lost_it(side, caplog):
    with side.connection() as connection:
        send_drain(NOOP, connection=connection)
        side.clear()  # e.g. the web process died between the mark and the publish
        send_drain(NOOP, connection=connection)
        assert side.depths() == {}  # a nudge trusts the mark
        send_drain(NOOP, sweep=True, connection=connection)
        assert side.depths() == {"default": 1}
        send_drain(NOOP, sweep=True, connection=connection)
    assert side.depths() == {"default": 1}  # its message waits now: the mark holds again
    [lost] = [r.getMessage() for r in caplog.records if "lost drain" in r.getMessage()]
    assert lost.startswith(f"outbox: lost drain of {NOOP} (queued by pid {os.getpid()} ")


def test_a_drain_that_meets_a_backlog_asks_for_another_worker_once(offices):
    with tenant_context(offices["xihu"]):
        for n in range(12):
            outbox.record(NOOP, subject_id=f"backlog-{n}")
    asked: list[bool] = []
    count, more = relay.drain(NOOP, backlog=lambda: asked.append(True))
    assert (count, more, asked) == (12, False, [True])
    assert sorted(done[-12:]) == sorted(f"backlog-{n}" for n in range(12))

    with tenant_context(offices["xihu"]):
        outbox.record(NOOP, subject_id="alone")
    asked.clear()
    assert relay.drain(NOOP, backlog=lambda: asked.append(True)) == (1, False)
    assert asked == []
