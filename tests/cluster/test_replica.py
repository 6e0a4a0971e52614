"""PostgreSQL with a synchronous streaming replica (`make cluster`): cross-office queries are read
from the replica while its lag is within the bound, from the primary beyond it; and the promotion
drill — the primary killed (SIGKILL, every process) under handoff load, the replica promoted —
loses no handoff a client was told was committed."""

import contextlib
import os
import signal
import subprocess
import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tests import factories
from tests.support.load import Load
from xinfang.platform import replica
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff

OVERVIEW = "query { supervisionOverview { handedOffByOffice(first: 1) { totalCount } } }"


@pytest.fixture(scope="session", autouse=True)
def synchronous_commits(django_db_setup, django_db_blocker):
    """The test database waits for the replica at every commit, as production does (the default
    test setup turns synchronous_commit off for speed)."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                "SET synchronous_commit = on"
            )
        connection.close()


def transfer_one(officer) -> Handoff:
    petition = factories.petition(officer).petition
    return services.petition_transfer(
        petition_id=petition.pk, officer=officer, receiver_code="330110"
    )


def handed_off(client) -> tuple[int, list[str], list[str]]:
    """The count the overview shows, and the SQL each database answered for it."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as standby,
    ):
        body = client.post("/graphql/", {"query": OVERVIEW}, content_type="application/json")
    count = body.json()["data"]["supervisionOverview"]["handedOffByOffice"]["totalCount"]
    tables = [q["sql"] for q in primary.captured_queries if "exchange_handoff" in q["sql"]]
    replicated = [q["sql"] for q in standby.captured_queries if "exchange_handoff" in q["sql"]]
    return count, tables, replicated


def on_replica(sql: str) -> None:
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute(sql)


def wait_until_caught_up() -> None:
    for _ in range(100):
        replica._last_probe["at"] = float("-inf")
        if replica.replica_lag() == 0:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


def test_cross_office_reads_use_the_replica_within_the_lag_bound(
    committed, offices, officer_client, settings
):
    settings.XINFANG_REPLICA_MAX_LAG = 1.0
    client, _ = officer_client("xihu", "supervisor")
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
        transfer_one(officer)
    connection.set_schema_to_public()
    wait_until_caught_up()
    count, primary, standby = handed_off(client)
    assert standby and not primary  # the replica answered

    on_replica("SELECT pg_wal_replay_pause()")
    try:
        with tenant_context(offices["xihu"]):
            transfer_one(officer)  # committed: the replica has the WAL, has not replayed it
        connection.set_schema_to_public()
        time.sleep(settings.XINFANG_REPLICA_MAX_LAG + replica._PROBE_EVERY + 0.2)
        late, primary, standby = handed_off(client)
        assert late == count + 1 and primary and not standby  # past the bound: the primary
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    wait_until_caught_up()
    caught_up, primary, standby = handed_off(client)
    assert caught_up == count + 1 and standby and not primary
    bound = settings.XINFANG_REPLICA_MAX_LAG
    print(f"\n[replica] the overview from the replica, from the primary past a {bound:.0f} s lag, "
          f"from the replica again once caught up (load {os.getloadavg()[0]:.1f})")  # fmt: skip


class HandoffLoad(Load):
    """Writers register a petition in Xihu and transfer it to Yuhang, over and over; a handoff
    counts as committed only once `petition_transfer` returned it."""

    def __init__(self, office, officer, writers: int = 3):
        super().__init__(writers)
        self.office, self.officer = office, officer
        self.committed: list = []
        self.failures = 0

    def _once(self) -> None:
        try:
            with tenant_context(self.office):
                handoff = transfer_one(self.officer)
            self.committed.append(handoff.pk)
        except Exception:  # the primary is gone: what a client sees, counted
            self.failures += 1
            connection.close()
            time.sleep(0.2)

    def _finish(self) -> None:
        connection.close()


def kill_primary(cluster) -> None:
    """SIGKILL the postmaster and every process of it, as if its machine were lost."""
    postmaster = int((cluster.data / "postgres" / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(postmaster)], capture_output=True, text=True
    ).stdout.split()
    for pid in [postmaster, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_promoting_the_replica_loses_no_committed_handoff(committed, offices, cluster):
    """Last in the suite: the primary is gone afterwards, the promoted replica serves."""
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar",))
    connection.set_schema_to_public()
    load = HandoffLoad(offices["xihu"], officer).start()
    try:
        time.sleep(6)
        before = len(load.committed)
        kill_primary(cluster)
        killed_at = time.monotonic()
        time.sleep(2)
    finally:
        load.stop()
    on_replica("SELECT pg_promote(wait => true)")
    promoted_at = time.monotonic()
    standby = connections[replica.REPLICA].settings_dict
    for alias in ("default", replica.REPLICA):  # what the drill's last step does: repoint
        connections[alias].close()
        connections[alias].settings_dict.update(HOST=standby["HOST"], PORT=standby["PORT"])
    found = Handoff.objects.filter(pk__in=load.committed).count()
    with tenant_context(offices["xihu"]):
        transfer_one(officer)  # the promoted server takes writes at once
    connection.set_schema_to_public()
    print(
        f"\n[promotion drill] primary killed after {before} handoffs; {len(load.committed)} "
        f"committed in all, {len(load.committed) - found} lost after promotion; "
        f"{load.failures} attempts failed while the primary was gone; promoted "
        f"{promoted_at - killed_at:.1f} s after the kill (load {os.getloadavg()[0]:.1f})"
    )
    assert before > 0 and found == len(load.committed)
