"""What the public pages read: the office's guide with its defaults, the choices of the filing form,
the attachments an officer may fetch."""

import datetime
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases import taxonomy
from xinfang.platform.cases.models import OfficeSettings, Status
from xinfang.platform.cases.progress import Progress, ProgressOffice
from xinfang.platform.exchange.services.reviews import review_window_end
from xinfang.platform.publicsite.models import Attachment, OfficeGuide
from xinfang.platform.resolution import selectors as resolution_selectors
from xinfang.platform.resolution.models import ReceptionSession
from xinfang.tenants.context import current_office
from xinfang.tenants.divisions import divisions_in_province
from xinfang.tenants.models import Office

# The guide's stored fields, each with the default a blank one shows (`{office}`: its name).
GUIDE_DEFAULTS = {
    "reception_address": "{office}信访接待大厅",
    "reception_hours": "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
    "leader_reception": "每月第一个星期三上午，局领导轮流接待来访群众；具体安排见下方日程。",
    "phone": "12345（政务服务便民热线）",
    "postal_address": "{office}（收）",
    "email": "",
    "channels": "来信、来访、网上信访（本网站）、12345热线。请如实反映情况，不得捏造、歪曲事实。",
    "litigation": (
        "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项，请向人民法院、仲裁机构或"
        "行政复议机关提出（诉访分离）；信访部门不予受理，并告知您应当通过的途径。"
    ),
    "notes": "",
}
GUIDE_FIELDS = tuple(GUIDE_DEFAULTS)
# Leaders' reception sessions listed on the guide: those of the coming weeks.
SCHEDULE_DAYS = 42


@dataclass(frozen=True)
class Guide:
    """The guide as petitioners read it: every field filled (stored or default), the statutory
    limits the office applies, and the published reception sessions ahead."""

    office: Office
    values: dict[str, str]
    defaulted: frozenset[str]  # the fields showing their default
    limits: OfficeSettings
    sessions: list[ReceptionSession]
    updated_at: datetime.datetime | None

    def __getattr__(self, name: str) -> str:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def stored_guide() -> OfficeGuide:
    """The office's guide row (unsaved and blank until an admin first edits it)."""
    return OfficeGuide.objects.filter(pk=1).first() or OfficeGuide(pk=1)


def office_guide(*, with_sessions: bool = True) -> Guide:
    """The current office's guide, three queries: its row, its limits, its reception sessions."""
    office = current_office()
    row = stored_guide()
    values, defaulted = {}, set()
    for name, default in GUIDE_DEFAULTS.items():
        stored = getattr(row, name).strip()
        values[name] = stored or default.format(office=office.name)
        if not stored:
            defaulted.add(name)
    today = timezone.localdate()
    sessions = (
        list(
            resolution_selectors.reception_schedule(
                start=today, end=today + datetime.timedelta(days=SCHEDULE_DAYS)
            )
        )
        if with_sessions
        else []
    )
    return Guide(
        office=office,
        values=values,
        defaulted=frozenset(defaulted),
        limits=OfficeSettings.current(),
        sessions=sessions,
        updated_at=row.updated_at,
    )


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The taxonomy as grouped choices: (area, [(code, item)])."""
    return [
        (top["name"], [(child["code"], child["name"]) for child in top["children"]])
        for top in taxonomy.categories()
    ]


def place_choices(office: Office) -> list[tuple[str, str]]:
    """The divisions of the office's province, the office's own area first (问题发生地)."""
    divisions = divisions_in_province(office.province_code)
    own = [(code, name) for code, name in divisions if code == office.code]
    return own + [(code, name) for code, name in divisions if code != office.code]


def attachment_for_officer(attachment_id) -> Attachment | None:
    """An attachment of one of this office's petitions (the caller checked the officer)."""
    return Attachment.objects.filter(pk=attachment_id).first()


def open_attachment(attachment: Attachment) -> File:
    return default_storage.open(attachment.storage_name, "rb")


# How a copy reached a reviewing office (the handoff kinds, exchange's `HandoffKind`).
REVIEW, RECHECK = "review", "recheck"


@dataclass(frozen=True)
class ReviewStep:
    """复查 or 复核 the petitioner may ask for now: whose opinion, at which office, until when."""

    kind: str  # REVIEW or RECHECK
    contested: ProgressOffice  # the office whose opinion is contested
    to_office: Office  # the office one level above it, which takes the request
    window_end: datetime.date


@dataclass(frozen=True)
class PetitionerActions:
    """What the petitioner may do online on their matter now (the services decide for good)."""

    rate: ProgressOffice | None  # the first handling office, once it replied and until rated
    review: ReviewStep | None
    review_closed_on: datetime.date | None  # the window that has passed, to say so
    awaiting: str = ""  # REVIEW or RECHECK while that request awaits its opinion
    concluded: bool = False  # the re-review opinion is out: nothing more to ask (终结)


def petitioner_actions(found: Progress) -> PetitionerActions:
    """Rating goes to the office that first handled the matter (谁初次办理、谁接受评价), once its
    opinion is out; 复查 contests that opinion at the office above it, 复核 the review opinion at
    the office above the reviewing one, each within the contested office's window."""
    handling = [o for o in found.offices if o.arrived_by not in (REVIEW, RECHECK)]
    reviews = {o.arrived_by: o for o in found.offices if o.arrived_by in (REVIEW, RECHECK)}
    opinion = next((o for o in reversed(handling) if o.replied_at), None)
    rate = opinion if opinion and opinion.status_code == Status.REPLIED else None
    if RECHECK in reviews:
        concluded = reviews[RECHECK].replied_at is not None
        return PetitionerActions(
            rate=rate,
            review=None,
            review_closed_on=None,
            awaiting="" if concluded else RECHECK,
            concluded=concluded,
        )
    if opinion is None:
        return PetitionerActions(rate=rate, review=None, review_closed_on=None)
    kind, contested = (RECHECK, reviews[REVIEW]) if REVIEW in reviews else (REVIEW, opinion)
    if contested.replied_at is None:  # the review opinion is not out yet
        return PetitionerActions(rate=rate, review=None, review_closed_on=None, awaiting=REVIEW)
    office = Office.objects.select_related("parent").get(code=contested.code)
    if office.parent is None:
        return PetitionerActions(rate=rate, review=None, review_closed_on=None)
    with tenant_context(office):
        window_end = review_window_end(timezone.localdate(contested.replied_at))
    if timezone.localdate() > window_end:
        return PetitionerActions(rate=rate, review=None, review_closed_on=window_end)
    step = ReviewStep(kind, contested, office.parent, window_end)
    return PetitionerActions(rate=rate, review=step, review_closed_on=None)
