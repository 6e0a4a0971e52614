"""The public site's forms: what a petitioner types, with a Chinese message next to each field.

Forms check what a form can (required, length, the choices offered) and run the services' own
validators where one exists (ID number, category, place), so every error shows at once; the
services check everything again and their typed errors land on the field they name
(`add_service_error`), so a rule lives in one place: the service.
"""

from django import forms
from django.forms import formset_factory

from xinfang.platform.cases import taxonomy
from xinfang.platform.cases.contacts import validate_email_address
from xinfang.platform.cases.idnumbers import validate_id_number
from xinfang.platform.cases.models import Satisfaction
from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.notices.services import validate_mobile
from xinfang.platform.publicsite import attachments, messages, selectors
from xinfang.tenants.divisions import validate_place_code

# With the first petitioner, five people: the most who file together without representatives.
MAX_CO_PETITIONERS = 4


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}", "max_length": f"{label}过长（不超过%(limit_value)d字）"}


def _choose(label: str) -> dict[str, str]:
    return {"required": f"请选择{label}", "invalid_choice": f"请从列表中选择{label}"}


def _text(label: str, max_length: int, *, required=True, textarea=False, help_text="", **attrs):
    widget = forms.Textarea(attrs={"rows": 5, **attrs}) if textarea else forms.TextInput(attrs)
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget,
        error_messages=_required(label), strip=True, help_text=help_text,
    )  # fmt: skip


class Accessible(forms.Form):
    """Each control names its hint and its error line (`aria-describedby`) and says when it is
    invalid (`aria-invalid`), so a screen reader reads the message next to the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = [f"{auto_id}_error"]
            if field.help_text:
                described.insert(0, f"{auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            self.fields[field].widget.attrs["aria-invalid"] = "true"


class _ServiceValidated:
    """Runs a service validator on a field and turns its typed error into the field's message."""

    @staticmethod
    def run(validator, value, field_label: str):
        try:
            return validator(value)
        except ServiceError as error:
            raise forms.ValidationError(messages.for_error(error, label=field_label)) from None


def email_field(label: str, *, help_text: str = "") -> forms.CharField:
    """An e-mail address, checked by the service's own validator (`clean_email`)."""
    return forms.CharField(
        label=label, required=False, max_length=254, strip=True, help_text=help_text,
        error_messages=_required("电子邮箱"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email",
                                       "spellcheck": "false"}),
    )  # fmt: skip


def id_number_field(label: str = "身份证号码", *, required: bool = True) -> forms.CharField:
    return _text(
        label, 18, required=required, help_text="18位，末位可以是X", autocomplete="off",
        spellcheck="false", **{"data-id-number": "", "autocapitalize": "characters"},
    )  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one control; the list is checked by `attachments.check` (the service)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept()}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _accept() -> str:
    return ",".join(attachments.ALLOWED_TYPES)


class PetitionerFields(Accessible):
    """A co-petitioner (联名信访人): name and ID number; the phone is optional."""

    name = _text("姓名", 50, required=False, autocomplete="off")
    id_number = id_number_field(required=False)
    phone = _text("联系电话", 20, required=False, inputmode="tel", autocomplete="off")

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return _ServiceValidated.run(validate_id_number, value, "身份证号码") if value else value

    def clean(self):
        data = super().clean()
        typed = any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("id_number", "phone")
        )
        if typed and not data.get("name"):
            self.add_error("name", "请填写联名信访人的姓名")
        return data

    @property
    def filled(self) -> bool:
        return bool(self.is_bound and any(self.data.get(self.add_prefix(k)) for k in self.fields))


CoPetitioners = formset_factory(
    PetitionerFields, extra=MAX_CO_PETITIONERS, max_num=MAX_CO_PETITIONERS, absolute_max=8
)


class FilingForm(Accessible):
    """网上信访: the first petitioner, the matter, the attachments and the consent."""

    name = _text("姓名", 50, autocomplete="name")
    id_number = id_number_field()
    phone = _text("手机号码", 20, help_text="用于告知您受理、转送、答复等办理情况", inputmode="tel",
                  autocomplete="tel")  # fmt: skip
    email = email_field(
        "电子邮箱（可不填）", help_text="填写后，登记回执（编号和查询码）和受理、转送、答复等告知"
        "也发送到此邮箱",
    )  # fmt: skip
    address = _text("联系地址", 200, required=False, autocomplete="street-address")
    category = forms.ChoiceField(label="问题类别", error_messages=_choose("问题类别"))
    place_code = forms.ChoiceField(
        label="问题发生地（区、县）", error_messages=_choose("问题发生地")
    )
    place = _text("详细地点", 200)
    accused_body = _text("反映对象（被反映的单位或个人，可不填）", 200, required=False)
    content = _text("信访事项（事实和理由）", 5000, textarea=True)
    request = _text("诉求（希望如何解决）", 2000, textarea=True, rows=3)
    attachments = MultipleFileField(
        label="附件（可不传）", required=False,
        help_text=f"图片（JPG、PNG、WebP）或PDF，最多{attachments.MAX_FILES}个，"
        f"单个不超过{attachments.MAX_FILE_BYTES // 2**20}MB，"
        f"合计不超过{attachments.MAX_TOTAL_BYTES // 2**20}MB",
    )  # fmt: skip
    consent = forms.BooleanField(
        label="我已阅读并同意《个人信息处理说明》：本人提交的个人信息仅用于办理本信访事项",
        error_messages={"required": messages.CONSENT},
    )
    # The honeypot: hidden from people by CSS and from assistive technology; robots fill it.
    homepage = forms.CharField(label="个人主页（请勿填写）", required=False, max_length=200)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "请选择"), *selectors.category_choices()]
        self.fields["place_code"].choices = [("", "请选择"), *selectors.place_choices(office)]
        self.fields["homepage"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return _ServiceValidated.run(validate_id_number, value, "身份证号码")

    def clean_email(self):
        value = self.cleaned_data["email"]
        return _ServiceValidated.run(validate_email_address, value, "电子邮箱") if value else value

    def clean_category(self):
        return _ServiceValidated.run(
            taxonomy.validate_category, self.cleaned_data["category"], "问题类别"
        )

    def clean_place_code(self):
        return _ServiceValidated.run(
            validate_place_code, self.cleaned_data["place_code"], "问题发生地"
        )


class LookupForm(Accessible):
    """进度查询: the reference number and the query code."""

    reference = _text("信访事项编号", 24, help_text="如 330106-2026-000123", autocomplete="off",
                      spellcheck="false")  # fmt: skip
    query_code = _text(
        "查询码", 20, help_text="登记回执上的12位查询码，不区分大小写", autocomplete="off",
        spellcheck="false", autocapitalize="characters",
    )  # fmt: skip


class ReceiptForm(LookupForm):
    """发送到手机/邮箱: the receipt's reference and query code (hidden, from the receipt page)
    sent to a mobile number and/or an e-mail address by the notices service."""

    phone = _text("手机号码", 20, required=False, help_text="11位手机号码，接收短信",
                  inputmode="tel", autocomplete="tel")  # fmt: skip
    email = email_field("电子邮箱")

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        try:
            return validate_mobile(value) if value else value
        except ServiceError:
            raise forms.ValidationError(messages.MOBILE) from None

    def clean_email(self):
        value = self.cleaned_data["email"]
        return _ServiceValidated.run(validate_email_address, value, "电子邮箱") if value else value

    def clean(self):
        data = super().clean()
        typed = any(self.data.get(name, "").strip() for name in ("phone", "email"))
        if not typed:
            self.add_error("email", messages.for_code(ErrorCode.NO_ADDRESS))
        return data


class RatingForm(LookupForm):
    """满意度评价, by the petitioner who holds the query code."""

    satisfaction = forms.ChoiceField(
        label="您对办理结果是否满意",
        choices=[(value, label.split(" ")[0]) for value, label in Satisfaction.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度"},
    )
    comment = _text("意见建议（可不填）", 500, required=False, textarea=True, rows=3)


class ReviewForm(LookupForm):
    """复查 / 复核 request, by the petitioner who holds the query code."""

    grounds = _text("请求复查（复核）的事实和理由", 2000, textarea=True)


def add_service_error(form: forms.Form, error: ServiceError, *, formset=None) -> None:
    """Put a service's typed error on the field it names (camelCase, `petitioners.N.x`), or on
    the whole form when it names none the form has."""
    target, name = messages.form_field(error.field)
    if target == "co" and formset is not None:
        index, name = name
        if index < len(formset.forms) and name in formset.forms[index].fields:
            formset.forms[index].add_error(name, messages.for_error(error))
            return
    label = form.fields[name].label if name in form.fields else ""
    form.add_error(name if name in form.fields else None, messages.for_error(error, label=label))
