"""The ways a notice reaches the petitioner. Each channel module has `unconfigured() -> str`
(why it cannot send here, "" when it can: settings come from the environment, and with none set
nothing is ever sent) and `send(message) -> str` (the provider's id of what it accepted), which
raises `Retry` for what may pass (a server down, a rate limit) and `Undeliverable` for what
never will (an address refused)."""

from dataclasses import dataclass


class Retry(Exception):
    """The channel failed this time; try again later."""


class Undeliverable(Exception):
    """The channel refused this notice for good (a bad address, a number that is no mobile)."""


@dataclass(frozen=True)
class Message:
    notice_id: str
    kind: str
    address: str
    subject: str
    body: str
    office: str
    reference: str
    query_code: str = ""
