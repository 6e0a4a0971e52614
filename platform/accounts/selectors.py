"""Reads of officers and API tokens, shaped once."""

from django.db.models import Q, QuerySet

from xinfang.platform.accounts.models import ApiToken, Officer, Role
from xinfang.platform.accounts.services import ensure_role


def active_officers(*, role: str | None = None) -> QuerySet[Officer]:
    """The office's active officers, optionally only those holding `role`."""
    officers = Officer.objects.filter(is_active=True)
    return officers.filter(roles__contains=[role]) if role else officers


def officers_for(
    *, viewer: Officer, role: str | None = None, include_disabled: bool = False, search: str = ""
):
    """The officers `viewer` may list: the active ones, and the disabled ones too for an admin
    (who enables them again); with `search`, those whose username or name contains it (an
    office with hundreds of officers finds one without paging through them)."""
    if include_disabled:
        ensure_role(viewer, Role.ADMIN)
        officers = Officer.objects.all()
    else:
        officers = active_officers()
    if role:
        officers = officers.filter(roles__contains=[role])
    if search := search.strip():
        officers = officers.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return officers


def api_tokens(*, officer: Officer) -> QuerySet[ApiToken]:
    """Every token for an admin; otherwise only the officer's own."""
    tokens = ApiToken.objects.select_related("officer")
    return tokens if officer.has_role(Role.ADMIN) else tokens.filter(officer=officer)
