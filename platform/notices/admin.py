"""Notices in each office's admin: their delivery, read-only; the office's wording of each kind,
edited through `services.notice_template_set` (placeholders checked)."""

from django import forms
from django.contrib import admin

from xinfang.platform.accounts.models import Role
from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.platform.cases.admin import OfficeConfigAdmin
from xinfang.platform.errors import ServiceError
from xinfang.platform.notices import services, templates
from xinfang.platform.notices.models import Notice, NoticeTemplate


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("petition", "kind", "channel", "status", "address_masked", "attempts",
                    "last_error", "sent_at")  # fmt: skip
    list_filter = ("status", "channel", "kind")
    list_select_related = ("petition",)
    exclude = ("address", "body", "query_code")  # encrypted: never shown
    search_fields = ("petition__reference",)

    def has_module_permission(self, request):
        return _office_admin(request)

    def has_view_permission(self, request, obj=None):
        return _office_admin(request)


def _office_admin(request) -> bool:
    """An admin of this office (the session lives in its schema)."""
    user = request.user
    return user.is_active and user.is_authenticated and user.has_role(Role.ADMIN)


class NoticeTemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ("kind", "subject", "body")
        help_texts = {
            "body": "占位符 placeholders: "
            + ", ".join(f"{{{name}}} {what}" for name, what in templates.PLACEHOLDERS.items())
        }

    def clean(self):
        data = super().clean()
        for field in ("subject", "body"):
            try:
                templates.validate(data.get("kind", ""), data.get(field, ""), field=field)
            except ServiceError as error:
                self.add_error(field, f"{error.message} ({error.code})")
        return data


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(OfficeConfigAdmin):
    form = NoticeTemplateForm
    list_display = ("kind", "subject", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        services.notice_template_set(
            officer=request.user, kind=obj.kind, subject=obj.subject, body=obj.body
        )
