"""A bounded load over HTTP: clients register petitions in Xihu (each with this run's marker in
its text), about one a second each, and transfer every third to Yuhang, retrying a transfer that
got no answer with the same idempotency key; what each client saw is counted."""

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from tests.support import servers
from tests.support.graphql import pk_of

REGISTER = """
mutation($content: String!, $place: String!, $name: String!, $phone: String!) {
  registerPetition(channel: VISIT, category: "01.01", place: $place, content: $content,
                   request: "请求依法处理", petitioners: [{name: $name, phone: $phone}]) {
    petition { id reference }
  }
}
"""
# Every petition by another person, on one of a few matters in one of a few places: repeat
# checks see the province as it is (few candidates each), not one person petitioning a thousand
# times over (every check then matching every earlier petition).
TOPICS = ("征地补偿款至今未发放到位", "小区物业擅自提高收费标准", "企业拖欠农民工工资半年",
          "道路施工噪音扰民影响休息", "宅基地审批长期无人答复", "养老保险待遇核定有误")  # fmt: skip
PLACES = ("杭州市西湖区转塘街道", "杭州市西湖区留下街道", "杭州市西湖区三墩镇",
          "杭州市西湖区蒋村街道", "杭州市西湖区文新街道")  # fmt: skip
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
# Seconds a client waits between two registrations: the 8 clients offer about what a county
# office's busiest hour would, which one worker per queue on this 2-core machine keeps up with,
# so what a fault's row shows is the recovery, not a backlog the load alone would build.
PACE = 1.0
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
    recovered_at: float = float("inf")  # monotonic time the fault was over (`recovered()`)
    failed_after: int = 0  # requests sent after the recovery that failed: there must be none
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

    def _client(self, n: int) -> None:
        count = 0
        while not self._stop.is_set():
            count += 1
            data = self._call(REGISTER, **self._petition(n, count))
            if data is None:
                time.sleep(0.2)
                continue
            petition = data["registerPetition"]["petition"]
            with self._lock:
                self.registered.append(petition["reference"])
            if count % 3 == 0:
                self._transfer(petition["id"])
            self._stop.wait(PACE)

    def _petition(self, n: int, count: int) -> dict:
        serial = n * 100_000 + count
        return {
            "content": f"{TOPICS[serial % len(TOPICS)]}，多次反映无果 {self.marker}-{n}-{count}",
            "place": PLACES[(serial // len(TOPICS)) % len(PLACES)],
            "name": f"{SURNAMES[serial % len(SURNAMES)]}某{serial % 997}",
            "phone": f"139{serial:08d}"[-11:],
        }

    def _transfer(self, petition_id: str) -> None:
        key = uuid.uuid4().hex
        for _ in range(20):  # no answer (the server died mid-request): ask again, same key
            data = self._call(TRANSFER, id=petition_id, key=key)
            if data is not None:
                with self._lock:
                    self.transferred.add(pk_of(data["transferPetition"]["handoff"]["id"]))
                return
            time.sleep(0.5)
