"""Supervision orders in each office's admin: read-only, only orders it issued or received."""

from django.contrib import admin

from xinfang.platform.admin_base import OfficeScopedReadOnlyAdmin
from xinfang.platform.supervision.models import SupervisionOrder


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(OfficeScopedReadOnlyAdmin):
    office_fields = ("issuer_office", "target_office")
    list_display = (
        "reference", "issuer_office", "target_office", "reason", "due_date", "status",
        "overdue_at",
    )  # fmt: skip
    list_filter = ("status", "reason")
    search_fields = ("reference",)
    list_select_related = ("issuer_office", "target_office")
    ordering = ("due_date",)
