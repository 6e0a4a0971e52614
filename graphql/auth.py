"""The officer behind a GraphQL request (session login or API token), checked in one place."""

from xinfang.platform import http
from xinfang.platform.accounts.services import ensure_role


def current_officer(info, *roles: str):
    """The request's officer, or a NOT_AUTHENTICATED / PERMISSION_DENIED error.

    With an API token (platform/accounts/middleware.py) the officer carries the token's scopes,
    and only those roles count.
    """
    return ensure_role(info.context.user, *roles)


def client_address(info) -> str:
    """The caller's address, for rate limits (behind XINFANG_TRUSTED_PROXIES: platform/http.py)."""
    return http.client_address(info.context)
