"""A bounded load over HTTP: clients register petitions in Xihu (each with this run's marker in
its text) and transfer every third to Yuhang, retrying a transfer that got no answer with the same
idempotency key; what each client saw is counted."""

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from tests.support import servers
from tests.support.graphql import pk_of

REGISTER = """
mutation($content: String!) {
  registerPetition(channel: VISIT, category: "01.01", place: "杭州市西湖区转塘街道",
                   content: $content, request: "按标准足额发放补偿款",
                   petitioners: [{name: "张三", phone: "13800000000"}]) {
    petition { id reference }
  }
}
"""
TRANSFER = """
mutation($id: ID!, $key: String!) {
  transferPetition(petitionId: $id, receiverCode: "330110", idempotencyKey: $key) {
    handoff { id }
  }
}
"""


@dataclass
class Load:
    stack: object
    marker: str
    clients: int = 8
    outcomes: Counter = field(default_factory=Counter)
    registered: list[str] = field(default_factory=list)  # references the clients were given
    transferred: set[str] = field(default_factory=set)  # handoff pks the clients were given
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "Load":
        self._threads = [
            threading.Thread(target=self._client, args=(i,)) for i in range(self.clients)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _call(self, query: str, **variables) -> dict | None:
        try:
            body = servers.graphql(self.stack.web, "xihu.localhost", self.stack.token, query,
                                   **variables)  # fmt: skip
        except Exception as exc:  # what a client sees during a fault: count it, go on
            with self._lock:
                self.outcomes[f"failed: {type(exc).__name__}"] += 1
            return None
        with self._lock:
            if body.get("errors"):
                self.outcomes[f"error: {body['errors'][0]['extensions'].get('code')}"] += 1
                return None
            self.outcomes["ok"] += 1
        return body["data"]

    def _client(self, n: int) -> None:
        count = 0
        while not self._stop.is_set():
            count += 1
            data = self._call(REGISTER, content=f"征地补偿款未发放 {self.marker}-{n}-{count}")
            if data is None:
                time.sleep(0.2)
                continue
            petition = data["registerPetition"]["petition"]
            with self._lock:
                self.registered.append(petition["reference"])
            if count % 3 == 0:
                self._transfer(petition["id"])

    def _transfer(self, petition_id: str) -> None:
        key = uuid.uuid4().hex
        for _ in range(20):  # no answer (the server died mid-request): ask again, same key
            data = self._call(TRANSFER, id=petition_id, key=key)
            if data is not None:
                with self._lock:
                    self.transferred.add(pk_of(data["transferPetition"]["handoff"]["id"]))
                return
            time.sleep(0.5)
