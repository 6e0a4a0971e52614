"""Officers and their permissions. Services call `ensure_role` before they change anything."""

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.errors import PermissionDenied


def ensure_role(officer: Officer | None, *roles: str) -> Officer:
    """The officer, if logged in and holding one of `roles` (admins hold every role)."""
    if officer is None or not officer.is_authenticated:
        raise PermissionDenied("log in first", code="NOT_AUTHENTICATED")
    if roles and not officer.has_role(*roles, Role.ADMIN):
        wanted = ", ".join(roles)
        raise PermissionDenied(f"this needs one of the roles: {wanted}", code="PERMISSION_DENIED")
    return officer
