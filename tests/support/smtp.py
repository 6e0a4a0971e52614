"""A real SMTP server for the tests (aiosmtpd on a free loopback port): it keeps every message
it accepts, and refuses the recipients a test names, with a 550, as a real server would."""

import logging
import threading
from email import message_from_bytes, policy
from email.message import Message

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class _Handler:
    def __init__(self, sink: "SmtpServer") -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.refused.clear()

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]
