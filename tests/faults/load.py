"""A bounded load over HTTP: clients register petitions in Xihu (each with this run's marker in
its text), one every two seconds or so each, each by another person (tests/support/varied.py),
and transfer every third to Yuhang, retrying a transfer that got no answer with the same
idempotency key; what each client saw is counted."""

import itertools
import threading
import time
import uuid
from collections import Counter

from tests.support import servers
from tests.support.graphql import pk_of
from tests.support.load import Load
from tests.support.varied import petition_fields

REGISTER = """
mutation($content: String!, $place: String!, $name: String!, $phone: String!) {
  registerPetition(channel: VISIT, category: "01.01", place: $place, content: $content,
                   request: "请求依法处理", petitioners: [{name: $name, phone: $phone}]) {
    petition { id reference }
  }
}
"""
# Seconds a client waits between two registrations: the 8 clients offer about 3 a second (over
# 10,000 an hour, far beyond a county office's busiest hour), which a worker per queue on this
# shared 2-core machine keeps up with, so a fault's row shows the recovery, not a backlog the
# load alone builds (a repeat check verifies every petition of the province from the last ten
# minutes: under 0.5 s each here).
PACE = 2.0
TRANSFER = """
mutation($id: ID!, $key: String!) {
  transferPetition(petitionId: $id, receiverCode: "330110", idempotencyKey: $key) {
    handoff { id }
  }
}
"""


class RegistrationLoad(Load):
    """`clients` threads registering (and transferring) through `stack`'s web server; each
    request carries a serial of its own, so each petition is by another person."""

    def __init__(self, stack, marker: str, clients: int = 8) -> None:
        super().__init__(clients)
        self.stack, self.marker = stack, marker
        self.outcomes: Counter = Counter()
        self.registered: list[str] = []  # references the clients were given
        self.transferred: set[str] = set()  # handoff pks the clients were given
        self.recovered_at = float("inf")  # monotonic time the fault was over (`recovered()`)
        self.failed_after = 0  # requests sent after the recovery that failed: there must be none
        self._serials = itertools.count(1)
        self._lock = threading.Lock()

    def recovered(self) -> None:
        """The fault is over (the service is back): from now on every request must succeed."""
        self.recovered_at = time.monotonic()

    def _call(self, query: str, **variables) -> dict | None:
        sent = time.monotonic()
        try:
            body = servers.graphql(self.stack.web, "xihu.localhost", self.stack.token, query,
                                   timeout=30, **variables)  # fmt: skip
        except Exception as exc:  # what a client sees during a fault: count it, go on
            self._failed(f"failed: {type(exc).__name__}", sent)
            return None
        if body.get("errors"):
            self._failed(f"error: {body['errors'][0]['extensions'].get('code')}", sent)
            return None
        with self._lock:
            self.outcomes["ok"] += 1
        return body["data"]

    def _failed(self, outcome: str, sent: float) -> None:
        with self._lock:
            self.outcomes[outcome] += 1
            if sent >= self.recovered_at:
                self.failed_after += 1

    def _once(self) -> None:
        serial = next(self._serials)
        data = self._call(REGISTER, **petition_fields(serial, self.marker))
        if data is None:
            time.sleep(0.2)
            return
        petition = data["registerPetition"]["petition"]
        with self._lock:
            self.registered.append(petition["reference"])
        if serial % 3 == 0:
            self._transfer(petition["id"])
        self._stop.wait(PACE)

    def _transfer(self, petition_id: str) -> None:
        key = uuid.uuid4().hex
        for _ in range(20):  # no answer (the server died mid-request): ask again, same key
            data = self._call(TRANSFER, id=petition_id, key=key)
            if data is not None:
                with self._lock:
                    self.transferred.add(pk_of(data["transferPetition"]["handoff"]["id"]))
                return
            time.sleep(0.5)
