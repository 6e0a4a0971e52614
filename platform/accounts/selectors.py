"""Reads of officers and API tokens, shaped once."""

from django.db.models import QuerySet

from xinfang.platform.accounts.models import ApiToken, Officer, Role


def active_officers(*, role: str | None = None) -> QuerySet[Officer]:
    """The office's active officers, optionally only those holding `role`."""
    officers = Officer.objects.filter(is_active=True)
    return officers.filter(roles__contains=[role]) if role else officers


def api_tokens(*, officer: Officer) -> QuerySet[ApiToken]:
    """Every token for an admin; otherwise only the officer's own."""
    tokens = ApiToken.objects.select_related("officer")
    return tokens if officer.has_role(Role.ADMIN) else tokens.filter(officer=officer)
