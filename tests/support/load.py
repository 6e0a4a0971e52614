"""Load that runs while a test breaks something (kills a node, stops a service): threads, each
repeating one unit of work until stopped, counting what was answered or acknowledged and what
failed (tests/cluster, tests/faults)."""

import threading


class Load:
    """`start()` the threads, break something, `stop()` them, then compare what they counted
    with what the cluster kept. A subclass does one unit of work per `_once`; `_finish` runs as
    each thread ends (e.g. closing its database connection)."""

    def __init__(self, threads: int = 1) -> None:
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(threads)]

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._once()
        finally:
            self._finish()

    def _once(self) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        pass
