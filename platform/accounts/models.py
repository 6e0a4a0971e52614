from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记员 registrar"
    HANDLER = "handler", "承办人 handler"
    LEADER = "leader", "领导 leader"
    SUPERVISOR = "supervisor", "督查员 supervisor"
    ADMIN = "admin", "管理员 admin"


class Officer(AbstractUser):
    """A user of one office (the table lives in the office's schema). An officer may hold several
    roles; services check them (`xinfang.platform.accounts.services.ensure_role`)."""

    full_name = models.CharField(max_length=100, blank=True)
    roles = ArrayField(models.CharField(max_length=16, choices=Role.choices), default=list)

    # Set (in memory only) when the request came with an API token: the roles it may use.
    token_scopes: frozenset[str] | None = None
    api_token_id: int | None = None  # the token this request came with, if any

    @property
    def effective_roles(self) -> set[str]:
        """The roles that count now: with an API token, only its scopes (an admin holds every
        role, so an admin's token has exactly its scopes)."""
        roles = set(self.roles)
        if self.token_scopes is None:
            return roles
        return set(self.token_scopes) if Role.ADMIN in roles else roles & self.token_scopes

    def has_role(self, *roles: str) -> bool:
        return bool(self.effective_roles & set(roles))

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A revocable credential for an integration (e.g. the 12345 hotline pushing petitions in).

    Only the SHA-256 of the token is stored; the clear token is shown once, when it is created.
    `scopes` are the roles the token may use: at most the roles of the officer it acts for.
    """

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="the token's first characters, to tell it")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=16, choices=Role.choices), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(Officer, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AccountEventKind(models.TextChoices):
    CREATED = "created", "创建账号 created"
    PASSWORD_CHANGED = "password_changed", "本人修改密码 changed own password"
    PASSWORD_RESET = "password_reset", "管理员重置密码 password reset by an admin"
    DISABLED = "disabled", "停用 disabled"
    ENABLED = "enabled", "启用 enabled"
    ROLES_CHANGED = "roles_changed", "修改角色 roles changed"


class AccountEvent(models.Model):
    """Append-only audit of what happened to an officer's account, and who did it."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="account_events")
    kind = models.CharField(max_length=32, choices=AccountEventKind.choices)
    by = models.ForeignKey(Officer, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # e.g. how many sessions and API tokens were ended
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["officer", "-at"])]

    def __str__(self) -> str:
        return f"{self.officer} {self.kind} {self.at:%Y-%m-%d %H:%M}"
