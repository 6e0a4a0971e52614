"""Work is split over queues, each with workers of its own: indexing, repeat checks, notices and
the periodic scans never wait behind one another (settings.XINFANG_QUEUES). Messages are
published to a Redis database of their own here (tests/support/broker.py), so no running worker
takes them."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.support.broker import SideBroker
from xinfang.platform.celery import app
from xinfang.platform.outbox.tasks import send_drain
from xinfang.search.effects import CHECK_REPEATS, INDEX

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def published():
    """`published(send)`: the queues that `send(connection)` put a message on."""
    side = SideBroker()
    side.clear()

    def run(send) -> set[str]:
        with side.connection() as connection:
            send(connection)
        found = set(side.depths())
        side.clear()
        return found

    yield run
    side.clear()


def test_indexing_and_repeat_checks_are_drained_on_queues_of_their_own(published):
    assert published(lambda c: send_drain(INDEX, once=False, connection=c)) == {"index"}
    assert published(lambda c: send_drain(CHECK_REPEATS, once=False, connection=c)) == {"checks"}


def test_the_sweep_and_handoff_receipts_stay_on_the_default_queue(published):
    from xinfang.platform.exchange.services.delivery import DELIVER

    assert published(lambda c: send_drain(DELIVER, once=False, connection=c)) == {"default"}
    sweep = app.tasks["outbox.sweep"]
    assert published(lambda c: sweep.apply_async(connection=c)) == {"default"}


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("cases.dispatch_overdue_scan", []),
        ("cases.scan_overdue_chunk", [[], "2026-12-01"]),
        ("resolution.dispatch_daily_scan", []),
        ("resolution.scan_chunk", [[], "2026-12-01"]),
        ("supervision.rollup_metrics", []),
        ("supervision.rollup_metrics_chunk", [[], "2026-12-01"]),
        ("search.reconcile_index", []),
        ("search.refresh_collective_alerts", []),
    ],
)
def test_periodic_scans_go_to_the_scans_queue(published, task, args):
    app.loader.import_default_modules()  # every app's tasks, as a worker or beat finds them
    send = app.tasks[task].apply_async
    assert published(lambda c: send(args=args, connection=c)) == {"scans"}


def test_releasing_waiting_notices_goes_to_the_notices_queue(published):
    app.loader.import_default_modules()
    send = app.tasks["notices.release_waiting"].apply_async
    assert published(lambda c: send(connection=c)) == {"notices"}


def test_every_routed_task_exists():
    """A route names a task by its string: a renamed task would silently fall to `default`."""
    app.loader.import_default_modules()
    assert set(settings.CELERY_TASK_ROUTES) <= set(app.tasks)


def _deployed_name(queue: str) -> str:
    """A queue's name without this run's instance suffix, as deployments spell it."""
    return "xinfang" + settings.XINFANG_QUEUES[queue].removeprefix(
        settings.CELERY_TASK_DEFAULT_QUEUE
    )


def _compose_queues() -> set[str]:
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    commands = [s["command"] for name, s in services.items() if name.startswith("worker")]
    return {command[command.index("-Q") + 1] for command in commands}


def _kubernetes_queues() -> set[str]:
    documents = yaml.safe_load_all((REPO / "deploy" / "k8s" / "worker.yaml").read_text())
    commands = [d["spec"]["template"]["spec"]["containers"][0]["command"] for d in documents]
    return {command[command.index("-Q") + 1] for command in commands}


def _make_run_queues() -> set[str]:
    makefile = (REPO / "Makefile").read_text()
    return set(re.search(r"^QUEUES := (.*)$", makefile, re.MULTILINE).group(1).split())


@pytest.mark.parametrize(
    "deployment", [_make_run_queues, _compose_queues, _kubernetes_queues], ids=lambda f: f.__name__
)
def test_every_queue_has_its_own_workers_wherever_the_platform_runs(deployment):
    assert sorted(deployment()) == sorted(_deployed_name(q) for q in settings.XINFANG_QUEUES)
