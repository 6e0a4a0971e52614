"""Durable by default wherever the platform runs: PostgreSQL keeps fsync, full_page_writes and
synchronous_commit (only a test database trades the last for speed), the Redis broker persists
its queues, results are not kept, beat is its own process, connections are checked before reuse.
The running services are asked what they run with; compose and Kubernetes are read."""

from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]


@pytest.mark.django_db
def test_the_postgresql_cluster_runs_durable_and_only_the_test_database_relaxes_commits():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, source FROM pg_settings WHERE name = ANY(%s)",
            [["fsync", "full_page_writes", "synchronous_commit"]],
        )
        found = {name: (setting, source) for name, setting, source in cursor.fetchall()}
        cursor.execute(
            "SELECT setting FROM pg_file_settings WHERE name = 'synchronous_commit' AND applied"
        )
        in_files = [setting for (setting,) in cursor.fetchall()]
    assert found["fsync"][0] == found["full_page_writes"][0] == "on"
    assert found["synchronous_commit"] == ("off", "database")  # tests/conftest.py, this database
    assert in_files in ([], ["on"])  # the cluster itself: PostgreSQL's default, on


def test_the_redis_broker_keeps_its_queues_across_a_restart_and_never_evicts_them():
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.config_get("appendonly") == {"appendonly": "yes"}
    assert broker.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}


def test_compose_runs_postgresql_durable_and_redis_with_its_append_only_file():
    services = _compose()
    postgres = " ".join(services["postgres"]["command"])
    for relaxed in ("fsync=off", "synchronous_commit=off", "full_page_writes=off"):
        assert relaxed not in postgres
    assert "/var/lib/postgresql/data" in services["postgres"]["volumes"][0]
    redis_command = services["redis"]["command"]
    assert redis_command[redis_command.index("--appendonly") + 1] == "yes"
    assert redis_command[redis_command.index("--maxmemory-policy") + 1] == "noeviction"


def test_beat_is_one_process_of_its_own_and_no_worker_embeds_it():
    services = _compose()
    workers = [s["command"] for name, s in services.items() if name.startswith("worker")]
    assert workers and not any("-B" in c or "--beat" in c for c in workers)
    assert services["beat"]["command"][3] == "beat" and services["beat"]["deploy"]["replicas"] == 1
    makefile = (REPO / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ntest:")]
    assert run.count("xinfang.platform.celery beat") == 1 and " -B" not in run


def test_celery_keeps_no_results_and_redelivers_what_a_killed_worker_held():
    assert settings.CELERY_TASK_IGNORE_RESULT is True
    assert settings.CELERY_RESULT_EXPIRES <= 60 * 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.XINFANG_STAGGER_WINDOW_SECONDS < timeout <= 60 * 60


def test_database_connections_are_checked_before_they_are_reused():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
