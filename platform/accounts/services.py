"""Officers, their permissions and API tokens. Services call `ensure_role` before they change
anything; permission checks live here and in the services, never in GraphQL or the admin."""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.platform.accounts.models import (
    AccountEvent,
    AccountEventKind,
    ApiToken,
    Officer,
    Role,
)
from xinfang.platform.errors import (
    ErrorCode,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationError,
)

TOKEN_PREFIX = "xft_"
# last_used_at is written at most this often per token, so a busy integration costs no writes.
LAST_USED_RESOLUTION_SECONDS = 60


def ensure_role(officer: Officer | None, *roles: str) -> Officer:
    """The officer, if logged in and holding one of `roles` (admins hold every role).

    With an API token, only the roles in the token's scopes count.
    """
    if officer is None or not officer.is_authenticated:
        raise PermissionDenied("log in first", code=ErrorCode.NOT_AUTHENTICATED)
    if not officer.is_active:
        raise PermissionDenied("this account is disabled", code=ErrorCode.NOT_AUTHENTICATED)
    if roles and not officer.has_role(*roles, Role.ADMIN):
        wanted = ", ".join(roles)
        raise PermissionDenied(
            f"this needs one of the roles: {wanted}", code=ErrorCode.PERMISSION_DENIED
        )
    return officer


def _validated_roles(roles) -> list[str]:
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError(
            f"unknown roles: {', '.join(unknown)}", code=ErrorCode.INVALID_ROLE, field="roles"
        )
    return sorted(set(roles))


def officer_create(
    *, by: Officer | None, username: str, password: str, roles, full_name: str = ""
) -> Officer:
    """Create an officer of this office (admins only; `by=None` for the seed command)."""
    if by is not None:
        ensure_role(by, Role.ADMIN)
    roles = _validated_roles(roles)
    if Officer.objects.filter(username=username).exists():
        raise ValidationError(
            f"username '{username}' is taken", code=ErrorCode.DUPLICATE_USERNAME, field="username"
        )
    if not username.strip():
        raise ValidationError("a username is required", code=ErrorCode.REQUIRED, field="username")
    candidate = Officer(username=username, full_name=full_name)
    validate_new_password(password, officer=candidate)
    with transaction.atomic():
        # is_staff: every officer may work petitions in the office's admin (through the services).
        officer = Officer.objects.create_user(
            username, password=password, roles=roles, full_name=full_name, is_staff=True
        )
        AccountEvent.objects.create(officer=officer, kind=AccountEventKind.CREATED, by=by)
    return officer


def generated_password() -> str:
    """A password for a first admin, shown once (about 120 bits)."""
    return secrets.token_urlsafe(15)


def validate_new_password(password: str, *, officer: Officer, field: str = "password") -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) as a typed error."""
    try:
        password_validation.validate_password(password, user=officer)
    except DjangoValidationError as error:
        raise ValidationError(
            " ".join(error.messages), code=ErrorCode.WEAK_PASSWORD, field=field
        ) from error


def officer_login(*, request, username: str, password: str) -> Officer:
    """Start a browser session (the GraphQL view checks CSRF for session requests). Failed logins
    are counted per office username and per client (django-axes, platform/accounts/throttling.py);
    past the limit even the right password is refused for a while."""
    from django.contrib.auth import login

    officer = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise ServiceError("too many failed logins; try again later", code=ErrorCode.THROTTLED)
    if officer is None:
        raise PermissionDenied("wrong username or password", code=ErrorCode.INVALID_CREDENTIALS)
    login(request, officer)
    return officer


def officer_change_password(
    *, officer: Officer, current_password: str, new_password: str
) -> Officer:
    """An officer changes their own password; their other sessions end (Django's session hash)."""
    ensure_role(officer)
    if not officer.check_password(current_password):
        raise PermissionDenied(
            "the current password is wrong",
            code=ErrorCode.INVALID_CREDENTIALS,
            field="currentPassword",
        )
    validate_new_password(new_password, officer=officer, field="newPassword")
    with transaction.atomic():
        officer.set_password(new_password)
        officer.save(update_fields=["password"])
        AccountEvent.objects.create(
            officer=officer, kind=AccountEventKind.PASSWORD_CHANGED, by=officer
        )
    return officer


def _end_access(officer: Officer) -> dict[str, int]:
    """End every session and API token of `officer` now (inside the caller's transaction)."""
    from django.contrib.sessions.models import Session

    now = timezone.now()
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(officer.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    tokens = officer.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    return {"sessions_ended": len(ended), "tokens_revoked": tokens}


def _locked_officer(officer: Officer) -> Officer:
    return Officer.objects.select_for_update().get(pk=officer.pk)


def officer_reset_password(*, by: Officer, officer: Officer, new_password: str) -> Officer:
    """An admin sets a new password for an officer (forgotten, or compromised): the officer's
    sessions and API tokens end at once."""
    ensure_role(by, Role.ADMIN)
    validate_new_password(new_password, officer=officer, field="newPassword")
    with transaction.atomic():
        officer = _locked_officer(officer)
        officer.set_password(new_password)
        officer.save(update_fields=["password"])
        ended = _end_access(officer)
        AccountEvent.objects.create(
            officer=officer, kind=AccountEventKind.PASSWORD_RESET, by=by, data=ended
        )
    return officer


def officer_set_active(*, by: Officer, officer: Officer, active: bool) -> Officer:
    """An admin disables an officer (sessions and API tokens end at once; nothing is deleted, the
    petitions keep their history) or enables them again. Nobody disables themselves."""
    ensure_role(by, Role.ADMIN)
    if officer.pk == by.pk and not active:
        raise ValidationError(
            "an admin cannot disable their own account", code=ErrorCode.INVALID_STATE, field="id"
        )
    with transaction.atomic():
        officer = _locked_officer(officer)
        if officer.is_active == active:
            return officer
        officer.is_active = active
        officer.save(update_fields=["is_active"])
        ended = {} if active else _end_access(officer)
        kind = AccountEventKind.ENABLED if active else AccountEventKind.DISABLED
        AccountEvent.objects.create(officer=officer, kind=kind, by=by, data=ended)
    return officer


def officer_set_roles(*, by: Officer, officer: Officer, roles) -> Officer:
    """An admin changes an officer's roles. Tokens of the officer whose scopes the officer no
    longer holds are revoked at once; nobody takes away their own admin role (the office would
    lose its last way in)."""
    ensure_role(by, Role.ADMIN)
    roles = _validated_roles(roles)
    if not roles:
        raise ValidationError("an officer holds a role", code=ErrorCode.REQUIRED, field="roles")
    if officer.pk == by.pk and Role.ADMIN not in roles:
        raise ValidationError(
            "an admin cannot take away their own admin role",
            code=ErrorCode.INVALID_STATE,
            field="roles",
        )
    with transaction.atomic():
        officer = _locked_officer(officer)
        before = sorted(officer.roles)
        if before == roles:
            return officer
        officer.roles = roles
        officer.save(update_fields=["roles"])
        tokens = officer.api_tokens.filter(revoked_at__isnull=True)
        if Role.ADMIN not in roles:  # an admin holds every role, so every scope
            tokens = tokens.exclude(scopes__contained_by=roles)
        revoked = tokens.update(revoked_at=timezone.now())
        AccountEvent.objects.create(
            officer=officer,
            kind=AccountEventKind.ROLES_CHANGED,
            by=by,
            data={"before": before, "after": roles, "tokens_revoked": revoked},
        )
    return officer


def officer_logout(*, request) -> None:
    from django.contrib.auth import logout

    logout(request)


# --- API tokens -----------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once; only its hash is stored


def api_token_create(
    *, by: Officer, officer: Officer, name: str, scopes, expires_at=None
) -> IssuedToken:
    """Issue a token acting for `officer` with at most that officer's roles (admins only)."""
    ensure_role(by, Role.ADMIN)
    scopes = _validated_roles(scopes)
    if not scopes:
        raise ValidationError(
            "a token needs at least one scope", code=ErrorCode.REQUIRED, field="scopes"
        )
    beyond = sorted(set(scopes) - set(officer.roles))
    if beyond and Role.ADMIN not in officer.roles:
        raise ValidationError(
            f"the officer does not hold: {', '.join(beyond)}",
            code=ErrorCode.INVALID_SCOPE,
            field="scopes",
        )
    if not name.strip():
        raise ValidationError("a token needs a name", code=ErrorCode.REQUIRED, field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        officer=officer,
        name=name.strip(),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        scopes=scopes,
        created_by=by,
        expires_at=expires_at,
    )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, by: Officer, token_id: int) -> ApiToken:
    """Revoke a token at once; an admin may revoke any, an officer their own."""
    ensure_role(by)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (token.officer_id != by.pk and not by.has_role(Role.ADMIN)):
            raise NotFound("no such token", field="id")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> Officer | None:
    """The officer a bearer token acts for (with `token_scopes` set), or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("officer")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.officer.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    officer = token.officer
    officer.token_scopes = frozenset(token.scopes)
    officer.api_token_id = token.pk
    return officer
