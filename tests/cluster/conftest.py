"""The scale-out suite: Elasticsearch as a 3-node cluster and PostgreSQL with a streaming replica,
PRIVATE to this run (their own ports and data directory, started by `make cluster`), and tests that
kill a node or the primary on purpose.

It kills services, so it refuses to run on the default ports that `make run` and every other test
run share.
"""

import os
import subprocess
from pathlib import Path

import pytest

from tests.support import servers

DRILL = "test_promoting_the_replica_loses_no_committed_handoff"
SHARED = {"XINFANG_PG_PORT": "5432", "XINFANG_REDIS_PORT": "6379", "XINFANG_ES_PORT": "9200"}


def pytest_configure(config):
    for variable, shared in SHARED.items():
        if os.environ.get(variable, shared) == shared:
            raise pytest.UsageError(
                f"the cluster suite kills services: run it with `make cluster` (private ports "
                f"and data), never on the shared {variable}={shared}"
            )


class Cluster:
    """deploy/services.sh and the pid files of this run's private services."""

    data = Path(os.environ.get("XINFANG_DATA_DIR", ""))

    def services(self, command: str, service: str) -> None:
        subprocess.run(
            [str(servers.REPO / "deploy" / "services.sh"), command, service],
            check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def es_pid(self, node: int) -> int:
        path = self.data / "elasticsearch-cluster" / f"node-{node}" / "elasticsearch.pid"
        return int(path.read_text().split()[0])


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    return Cluster()


def pytest_collection_modifyitems(items):
    """The promotion drill kills the primary (the promoted replica serves after it): last."""
    items.sort(
        key=lambda item: item.name == "test_promoting_the_replica_loses_no_committed_handoff"
    )
