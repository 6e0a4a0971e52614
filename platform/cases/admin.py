"""The office's Django admin for petitions: officers work them through the same services.

Every petition field is read-only here. Registration (the "add" page) and every workflow step (the
"act" page of a petition, and bulk actions for steps that need no input) call the services in
`services.py`, so roles, states, versions, events and the public registry behave exactly as in
GraphQL. Service errors are shown with their stable code.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.cases import services, taxonomy, workflow
from xinfang.platform.cases.models import (
    Channel,
    Holiday,
    OfficeSettings,
    Petition,
    Petitioner,
    PetitionEvent,
    RedirectChannel,
    Satisfaction,
)
from xinfang.platform.errors import ServiceError

OFFICER_ROLES = tuple(Role.values)


def _is_officer(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and bool(getattr(user, "roles", None))


FORM_PAGE = (
    "{% extends 'admin/base_site.html' %}{% block content %}"
    "<form method='post'>{% csrf_token %}<table>{{ form.as_table }}</table>"
    "<p><input type='submit' class='default' value='提交 submit'> "
    "<a href='{{ back_url }}'>取消 cancel</a></p></form>{% endblock %}"
)


def _form_page(request, *, title: str, form, back_url: str):
    """A form inside the admin's layout, without a template file of our own."""
    context = admin.site.each_context(request)
    context.update(title=title, form=form, back_url=back_url)
    return TemplateResponse(request, engines["django"].from_string(FORM_PAGE), context)


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    category = forms.ChoiceField(choices=lambda: sorted(taxonomy.names().items()))
    place = forms.CharField(max_length=200)
    place_code = forms.CharField(label="place code (GB/T 2260)", max_length=6, required=False)
    received_on = forms.DateField(label="收信/来访日期 (default today)", required=False)
    accused_body = forms.CharField(max_length=200, required=False)
    content = forms.CharField(widget=forms.Textarea)
    request = forms.CharField(widget=forms.Textarea, required=False)
    is_accusation = forms.BooleanField(required=False)
    name = forms.CharField(label="petitioner's name", max_length=50)
    id_number = forms.CharField(label="ID number", max_length=18, required=False)
    phone = forms.CharField(max_length=20, required=False)
    email = forms.CharField(max_length=254, required=False)
    address = forms.CharField(max_length=200, required=False)


STEP_NAMES = ["route", "decline", "accept", "assign", "extend", "start_hearing", "end_hearing",
              "reply", "evaluate", "terminate"]  # fmt: skip
# Closing needs its outcome (四到位): the resolution app's services close, not this form.


class ActForm(forms.Form):
    """One workflow step; which fields a step needs is checked by its service."""

    # Transfers and assignments to other offices are the exchange app's (they need a receiver).
    transition = forms.ChoiceField(
        choices=[(name, workflow.step(name).label) for name in STEP_NAMES]
        + [
            ("link_terminated", "关联已终结事项 link to a terminated matter"),
            ("admit_new_facts", "新的事实和理由 admit new facts (leader)"),
        ]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea, required=False, help_text="internal note")
    reason = forms.CharField(required=False, help_text="decline / extend: told to the petitioner")
    redirect_channel = forms.ChoiceField(
        choices=[("", "—"), *RedirectChannel.choices], required=False
    )
    redirect_authority = forms.CharField(required=False)
    handler = forms.ModelChoiceField(queryset=Officer.objects.none(), required=False)
    days = forms.IntegerField(required=False, min_value=1, help_text="extension in days")
    opinion = forms.CharField(widget=forms.Textarea, required=False, help_text="reply")
    satisfaction = forms.ChoiceField(choices=[("", "—"), *Satisfaction.choices], required=False)
    comment = forms.CharField(required=False)
    recheck_reference = forms.CharField(required=False, help_text="terminate: the re-review")
    reference = forms.CharField(required=False, help_text="link: the terminated matter's reference")
    reasons = forms.CharField(widget=forms.Textarea, required=False, help_text="new facts")
    on = forms.DateField(required=False, help_text="hearing start / end (default: today)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = Officer.objects.filter(
            is_active=True, roles__contains=[Role.HANDLER]
        )


# Which service performs each step, and which form fields it takes.
STEPS = {
    "route": (services.petition_route, ["note"]),
    "decline": (
        services.petition_decline,
        ["reason", "redirect_channel", "redirect_authority", "note"],
    ),
    "accept": (services.petition_accept, ["note"]),
    "assign": (services.petition_assign, ["handler", "note"]),
    "extend": (services.petition_extend, ["days", "reason"]),
    "start_hearing": (services.petition_start_hearing, ["on", "note"]),
    "end_hearing": (services.petition_end_hearing, ["on", "note"]),
    "reply": (services.petition_reply, ["opinion"]),
    "evaluate": (services.petition_evaluate, ["satisfaction", "comment"]),
    "terminate": (services.petition_terminate, ["recheck_reference", "note"]),
    "link_terminated": (services.petition_link_terminated, ["reference", "note"]),
    "admit_new_facts": (services.petition_admit_new_facts, ["reasons"]),
}


def perform(transition: str, *, petition, officer, version, cleaned: dict):
    service, names = STEPS[transition]
    kwargs = {name: cleaned.get(name) for name in names if cleaned.get(name) not in (None, "")}
    return service(petition=petition, officer=officer, version=version, **kwargs)


class PetitionerInline(admin.TabularInline):
    model = Petitioner
    extra = 0
    can_delete = False
    fields = ("name", "masked_id_number", "phone", "email", "address", "is_representative")
    readonly_fields = fields

    @admin.display(description="ID number")
    def masked_id_number(self, obj):
        number = obj.id_number
        return f"{number[:6]}********{number[-4:]}" if number else ""

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "from_status", "to_status", "public", "note")
    readonly_fields = fields
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "status",
        "channel",
        "category",
        "registered_at",
        "next_due",
        "handler",
        "act_link",
    )
    list_filter = ("status", "channel", "extended", "is_collective", "is_repeat")
    search_fields = ("reference",)
    list_select_related = ("handler",)
    show_full_result_count = False  # no COUNT(*) over the whole office on every page
    inlines = (PetitionerInline, EventInline)
    actions = ("route_selected", "accept_selected")
    exclude = ("query_code_hash",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Petition._meta.fields if f.name != "query_code_hash"]

    # Officers of this office work petitions; nobody edits or deletes rows directly.
    def has_module_permission(self, request):
        return _is_officer(request)

    def has_view_permission(self, request, obj=None):
        return _is_officer(request)

    def has_add_permission(self, request):
        return _is_officer(request) and request.user.has_role(
            Role.REGISTRAR, Role.LEADER, Role.ADMIN
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="办理 act")
    def act_link(self, obj):
        url = reverse("admin:cases_petition_act", args=[obj.pk])
        return format_html("<a href='{}'>办理 act</a>", url)

    def get_urls(self):
        own = [
            path(
                "<uuid:pk>/act/",
                self.admin_site.admin_view(self.act_view),
                name="cases_petition_act",
            ),
        ]
        return own + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        """Registration through `services.petition_register`."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:cases_petition_changelist"))
        form = RegisterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            person = services.PetitionerInput(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
            )
            try:
                registration = services.petition_register(
                    data=services.PetitionInput(
                        channel=data["channel"],
                        category=data["category"],
                        place=data["place"],
                        place_code=data["place_code"],
                        received_on=data["received_on"],
                        accused_body=data["accused_body"],
                        content=data["content"],
                        request=data["request"],
                        is_accusation=data["is_accusation"],
                        petitioners=[person],
                    ),
                    officer=request.user,
                )
            except ServiceError as error:
                form.add_error(None, f"{error.message} ({error.code})")
            else:
                petition = registration.petition
                self.message_user(
                    request,
                    f"登记 {petition.reference}; 查询码 query code (tell the petitioner, shown "
                    f"once): {registration.query_code}",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:cases_petition_change", args=[petition.pk])
                )
        return _form_page(
            request,
            title="登记 register a petition",
            form=form,
            back_url=reverse("admin:cases_petition_changelist"),
        )

    def act_view(self, request, pk):
        """One workflow step on one petition, through its service."""
        petition = Petition.objects.filter(pk=pk).first()
        if petition is None or not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:cases_petition_changelist"))
        back = reverse("admin:cases_petition_change", args=[pk])
        form = ActForm(request.POST or None, initial={"version": petition.version})
        if request.method == "POST" and form.is_valid():
            transition = form.cleaned_data["transition"]
            try:
                perform(
                    transition,
                    petition=petition,
                    officer=request.user,
                    version=form.cleaned_data["version"],
                    cleaned=form.cleaned_data,
                )
            except ServiceError as error:
                form.add_error(None, f"{error.message} ({error.code})")
            else:
                self.message_user(request, f"{petition.reference}: {transition}", messages.SUCCESS)
                return HttpResponseRedirect(back)
        return _form_page(
            request,
            title=f"办理 {petition.reference} ({petition.status})",
            form=form,
            back_url=back,
        )

    def _bulk(self, request, queryset, transition):
        done = 0
        for petition in queryset:
            try:
                perform(
                    transition, petition=petition, officer=request.user, version=None, cleaned={}
                )
                done += 1
            except ServiceError as error:
                self.message_user(
                    request, f"{petition.reference}: {error.message} ({error.code})", messages.ERROR
                )
        if done:
            self.message_user(request, f"{transition}: {done}", messages.SUCCESS)

    @admin.action(description="交由本机关办理 route the selected petitions")
    def route_selected(self, request, queryset):
        self._bulk(request, queryset, "route")

    @admin.action(description="受理 accept the selected petitions")
    def accept_selected(self, request, queryset):
        self._bulk(request, queryset, "accept")


class OfficeConfigAdmin(admin.ModelAdmin):
    """Calendar and limits: the office's admins configure them."""

    def _admin(self, request):
        return _is_officer(request) and request.user.has_role(Role.ADMIN)

    def has_module_permission(self, request):
        return self._admin(request)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: self._admin(request)
    )


admin.site.register(Holiday, OfficeConfigAdmin)
admin.site.register(OfficeSettings, OfficeConfigAdmin)
