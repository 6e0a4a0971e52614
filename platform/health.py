"""`/healthz`: is each backing service answering? 200 when all are, 503 otherwise. It also shows
the outbox's backlog per kind of effect (pending, and failing: tried and not done yet) and the
messages waiting in each Celery queue."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from xinfang.search.client import es_client


def _postgres() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()


def _elasticsearch() -> None:
    es_client().options(request_timeout=2).cluster.health()


CHECKS = {"postgres": _postgres, "redis": _redis, "elasticsearch": _elasticsearch}


def service_status() -> dict[str, str]:
    status = {}
    for name, check in CHECKS.items():
        try:
            check()
            status[name] = "ok"
        except Exception as exc:  # a health check reports failures, it does not raise them
            status[name] = f"down: {type(exc).__name__}"
    return status


def healthz(request):
    from xinfang.platform.celery import queue_depths
    from xinfang.platform.outbox.relay import backlog

    status = service_status()
    healthy = all(value == "ok" for value in status.values())
    body = {"status": "ok" if healthy else "degraded", "services": status}
    if status["postgres"] == "ok":
        body["outbox"] = backlog()
    if status["redis"] == "ok":
        body["queues"] = queue_depths()
    return JsonResponse(body, status=200 if healthy else 503)
