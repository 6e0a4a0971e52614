"""A real SMTP server for the tests (aiosmtpd on a free loopback port): it keeps every message
it accepts, and refuses the recipients a test names, with a 550, as a real server would; and
`Mailbox`, its messages over HTTP for the browser scripts."""

import json
import logging
import threading
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

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


class Mailbox:
    """The SMTP server's messages over HTTP for the browser scripts (web/e2e), which run in node:
    `GET /?to=<address>` answers `[{"to", "subject", "body"}]` as JSON. Loopback only."""

    def __init__(self, sink: SmtpServer) -> None:
        mailbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                address = parse_qs(urlparse(self.path).query).get("to", [""])[0]
                body = json.dumps(mailbox.messages_to(address), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.sink = sink
        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"

    def messages_to(self, address: str) -> list[dict[str, str]]:
        return [
            {"to": m["To"], "subject": m["Subject"], "body": m.get_content()}
            for m in self.sink.to(address)
        ]

    def start(self) -> "Mailbox":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
