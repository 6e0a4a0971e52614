"""What every per-office admin page over service-owned data shares."""

from django.contrib import admin
from django.db import connection
from django.db.models import Q


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows; every change goes through the services (GraphQL or the admin's own actions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeScopedReadOnlyAdmin(ReadOnlyAdmin):
    """Read-only admin over a public table, filtered to rows of the office serving the request."""

    office_fields: tuple[str, ...] = ()

    def get_queryset(self, request):
        office = getattr(connection, "tenant", None)
        code = getattr(office, "code", None)
        qs = super().get_queryset(request)
        if not code:
            return qs.none()
        scope = Q()
        for name in self.office_fields:
            scope |= Q(**{f"{name}__code": code})
        return qs.filter(scope)
