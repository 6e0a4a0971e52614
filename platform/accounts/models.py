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

    def has_role(self, *roles: str) -> bool:
        return bool(set(self.roles) & set(roles))

    def __str__(self) -> str:
        return self.full_name or self.username
