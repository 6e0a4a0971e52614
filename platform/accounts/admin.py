"""Officers and API tokens in the office's admin (for the office's admins). Tokens are issued
through GraphQL (`createApiToken`, shown once) and revoked here or there, through the services."""

from django.contrib import admin, messages

from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import ApiToken, Officer, Role
from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.platform.errors import ServiceError


def _office_admin(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.has_role(Role.ADMIN)


class AdminsOnly(ReadOnlyAdmin):
    def has_module_permission(self, request):
        return _office_admin(request)

    def has_view_permission(self, request, obj=None):
        return _office_admin(request)


@admin.register(Officer)
class OfficerAdmin(AdminsOnly):
    list_display = ("username", "full_name", "roles", "is_active", "last_login")
    search_fields = ("username", "full_name")
    fields = ("username", "full_name", "roles", "is_active", "last_login", "date_joined")


@admin.register(ApiToken)
class ApiTokenAdmin(AdminsOnly):
    list_display = ("name", "prefix", "officer", "scopes", "created_at", "last_used_at",
                    "revoked_at")  # fmt: skip
    list_select_related = ("officer",)
    exclude = ("token_hash",)
    actions = ("revoke_selected",)

    @admin.action(description="吊销 revoke the selected tokens")
    def revoke_selected(self, request, queryset):
        for token in queryset:
            try:
                services.api_token_revoke(by=request.user, token_id=token.pk)
            except ServiceError as error:
                self.message_user(request, f"{token}: {error.message}", messages.ERROR)
        self.message_user(request, "revoked", messages.SUCCESS)
