"""Resolution in each office's admin: the office's admins configure it; the work itself is
read-only here (it changes through the services, over GraphQL)."""

from django.contrib import admin

from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.platform.cases.admin import OfficeConfigAdmin
from xinfang.platform.resolution.models import (
    ActionItem,
    CarePlan,
    HardCase,
    ReceptionSession,
    ResolutionSettings,
    Visit,
)

admin.site.register(ResolutionSettings, OfficeConfigAdmin)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("kind", "status", "planned_on", "held_at", "place", "return_finding")
    list_filter = ("kind", "status", "return_finding")
    ordering = ("-created_at",)


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("description", "kind", "owner", "due_on", "status", "done_at")
    list_filter = ("kind", "status")
    list_select_related = ("owner",)


@admin.register(HardCase)
class HardCaseAdmin(ReadOnlyAdmin):
    list_display = ("petition", "reason", "leader", "target_date", "status", "resolved_at")
    list_filter = ("status", "reason")
    list_select_related = ("petition", "leader")


@admin.register(CarePlan)
class CarePlanAdmin(ReadOnlyAdmin):
    list_display = ("petition", "owner", "next_contact_on", "status")
    list_filter = ("status",)
    list_select_related = ("petition", "owner")


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "leader", "place", "topic", "published", "cancelled_at")
    list_select_related = ("leader",)
