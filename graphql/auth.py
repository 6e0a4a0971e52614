"""The officer behind a GraphQL request (session login or API token), checked in one place."""

from xinfang.platform.accounts.services import ensure_role


def current_officer(info, *roles: str):
    """The request's officer, or a NOT_AUTHENTICATED / PERMISSION_DENIED error."""
    return ensure_role(info.context.user, *roles)
