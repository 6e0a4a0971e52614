"""Processes of the platform for tests that need real ones: a web server, a Celery worker, beat,
all on the test database, and GraphQL over HTTP with an API token."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import redis
from django.conf import settings

REPO = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def current_database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Process:
    """A platform process (`python -m …`, `manage.py …`) that can be started, killed, restarted."""

    def __init__(self, name: str, argv: list[str], *, env: dict | None = None, port: int = 0):
        self.name, self.argv, self.port = name, argv, port
        self.env = {
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "DJANGO_DEBUG": "1",  # the tests' local keys: with DEBUG off the process refuses them
            **(env or {}),
        }
        self.log_path = REPO / ".data" / f"test-{name}{settings.INSTANCE}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = open(self.log_path, "a")  # noqa: SIM115 (the child writes to it)
        self.popen = subprocess.Popen(
            [sys.executable, *self.argv], cwd=REPO, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        if self.port:
            self._wait_for_port()
        return self

    def _wait_for_port(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log_path}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} does not listen on {self.port}: see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL, the whole process group (a worker's pool children too)."""
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def web_server(**env) -> Process:
    port = free_port()
    argv = ["manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    return Process("web", argv, env=env, port=port)


def worker(queue: str, *, concurrency: int = 1, **env) -> Process:
    """A worker of one of this run's queues (settings.XINFANG_QUEUES: default, index, …), in one
    process, or a pool of `concurrency` (killing it kills them all)."""
    name = settings.XINFANG_QUEUES[queue]
    pool = [f"--concurrency={concurrency}"] if concurrency > 1 else ["--pool=solo"]
    argv = ["-m", "celery", "-A", "xinfang.platform.celery", "worker", *pool,
            "--queues", name, "--loglevel=INFO",
            "--without-heartbeat", "--without-mingle", "--without-gossip",
            "--hostname", f"{name}@localhost"]  # fmt: skip
    return Process(f"worker-{queue}", argv, env=env)


def wait_for_workers(queues, timeout: float = 90) -> None:
    """Until a worker of each of these queues answers a ping."""
    from xinfang.platform.celery import app

    names = {f"{settings.XINFANG_QUEUES[q]}@localhost" for q in queues}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(destination=sorted(names), timeout=1)
        answered = {name for reply in replies for name in reply}
        if names <= answered:
            return
    raise RuntimeError(f"workers did not answer within {timeout:.0f} s: {sorted(names)}")


def purge_queues() -> None:
    """Drop whatever is queued on this run's queues (a test's leftover after-commit work), and
    the outbox's marks of drains waiting in them (platform/outbox/relay.py): a mark whose message
    is gone would hold back every nudge of its kind for a minute."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    marks = list(broker.scan_iter(f"{settings.CELERY_TASK_DEFAULT_QUEUE}:drain-queued:*"))
    broker.delete(*settings.XINFANG_QUEUES.values(), *marks)


def beat(**env) -> Process:
    schedule = REPO / ".data" / f"test-celerybeat{settings.INSTANCE}"
    argv = ["-m", "celery", "-A", "xinfang.platform.celery", "beat", "--loglevel=INFO",
            "-s", str(schedule)]  # fmt: skip
    return Process("beat", argv, env=env)


def graphql(process: Process, host: str, token: str, query: str, timeout: float = 15, **variables):
    """POST a GraphQL document to an office host of a web server process; the JSON body."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{process.port}/graphql/",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        method="POST",
        headers={"Host": host, "Content-Type": "application/json",
                 "Authorization": f"Bearer {token}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)
