"""The office's admin: the guide (信访指南), edited through the service; attachments, read-only,
each downloaded through the authorised view."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from xinfang.platform.accounts.models import Role
from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.platform.errors import ServiceError
from xinfang.platform.publicsite import selectors, services
from xinfang.platform.publicsite.models import Attachment, OfficeGuide


def _is_officer(request, *roles: str) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_authenticated
        and getattr(user, "roles", None)
        and (not roles or user.has_role(*roles))
    )


def _is_admin(request) -> bool:
    return _is_officer(request, Role.ADMIN)


@admin.register(OfficeGuide)
class OfficeGuideAdmin(admin.ModelAdmin):
    """One guide per office: the list leads straight to it; a blank field shows its default on
    the public page."""

    fields = selectors.GUIDE_FIELDS
    readonly_fields = ()

    def has_module_permission(self, request):
        return _is_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_admin(request)

    def has_change_permission(self, request, obj=None):
        return _is_admin(request)

    def has_add_permission(self, request):
        return _is_admin(request) and not OfficeGuide.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name, "") for name in selectors.GUIDE_FIELDS}
        try:
            services.guide_update(officer=request.user, values=values)
            obj.pk = 1  # the one row the service wrote
        except ServiceError as error:
            self.message_user(request, f"{error.code.chinese}: {error.message}", messages.ERROR)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "petition", "content_type", "size", "uploaded_at", "download")
    list_select_related = ("petition",)
    search_fields = ("petition__reference",)

    def has_module_permission(self, request):
        return _is_officer(request)

    def has_view_permission(self, request, obj=None):
        return _is_officer(request)

    @admin.display(description="下载 download")
    def download(self, attachment: Attachment):
        return format_html('<a href="{}">下载</a>', reverse("attachment", args=[attachment.pk]))
