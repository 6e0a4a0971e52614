"""A first load: PostgreSQL started for the national import before any replica exists
(`XINFANG_PG_FIRST_LOAD=1`), and how many offices `import_offices` builds at once."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.support.servers import free_port
from xinfang.tenants.bulk_provisioning import default_processes

SERVICES = Path(__file__).resolve().parents[2] / "deploy" / "services.sh"


@pytest.fixture
def private_postgres():
    """deploy/services.sh on a port and data directory of this test's own."""
    data = Path(tempfile.mkdtemp(prefix="xinfang-first-load-"))
    port = free_port()

    def services(command: str, **env: str) -> subprocess.CompletedProcess:
        environ = {**os.environ, "XINFANG_DATA_DIR": str(data), "XINFANG_PG_PORT": str(port)}
        environ.pop("XINFANG_PG_FIRST_LOAD", None)
        return subprocess.run(
            [str(SERVICES), command, "postgres"],
            env={**environ, **env},
            capture_output=True,
            text=True,
            timeout=180,
        )

    yield port, services
    services("stop")
    shutil.rmtree(data, ignore_errors=True)


def _wal_level(port: int) -> str:
    url = f"postgresql://xinfang:xinfang@127.0.0.1:{port}/xinfang"
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW wal_level").fetchone()[0]


def test_a_first_load_runs_without_replication_wal_until_restarted(private_postgres):
    port, services = private_postgres
    started = services("start", XINFANG_PG_FIRST_LOAD="1")
    assert started.returncode == 0, started.stdout + started.stderr
    assert _wal_level(port) == "minimal"

    # Started again without the flag it refuses to pretend: still minimal until restarted.
    again = services("start")
    assert again.returncode != 0
    assert "running for a first load (wal_level=minimal)" in again.stdout + again.stderr
    assert services("restart").returncode == 0
    assert _wal_level(port) == "replica"

    refused = services("start", XINFANG_PG_FIRST_LOAD="1", XINFANG_PG_REPLICA="1")
    assert refused.returncode != 0
    assert "before any replica exists" in refused.stdout + refused.stderr


def test_offices_are_built_two_per_core_while_each_index_waits_for_its_fsync(db):
    # the test cluster runs with the WAL a replica needs
    assert default_processes() == 2 * (os.cpu_count() or 1)
