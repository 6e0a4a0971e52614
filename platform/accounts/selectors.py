"""Reads of officers and API tokens, shaped once."""

from django.db.models import QuerySet

from xinfang.platform.accounts.models import ApiToken, Officer, Role
from xinfang.platform.accounts.services import ensure_role


def active_officers(*, role: str | None = None) -> QuerySet[Officer]:
    """The office's active officers, optionally only those holding `role`."""
    officers = Officer.objects.filter(is_active=True)
    return officers.filter(roles__contains=[role]) if role else officers


def officers_for(*, viewer: Officer, role: str | None = None, include_disabled: bool = False):
    """The officers `viewer` may list: the active ones, and the disabled ones too for an admin
    (who enables them again)."""
    if not include_disabled:
        return active_officers(role=role)
    ensure_role(viewer, Role.ADMIN)
    officers = Officer.objects.all()
    return officers.filter(roles__contains=[role]) if role else officers


def api_tokens(*, officer: Officer) -> QuerySet[ApiToken]:
    """Every token for an admin; otherwise only the officer's own."""
    tokens = ApiToken.objects.select_related("officer")
    return tokens if officer.has_role(Role.ADMIN) else tokens.filter(officer=officer)
