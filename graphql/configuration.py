"""The office's configuration (管理): its time limits and thresholds, and its calendar — the
nation's days with the office's own on top. Admins change them; every officer may read them."""

import graphene

from xinfang.graphql.arguments import enum_value, value_enum
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import OfficerType
from xinfang.graphql.enums import SettingsChangeKindEnum
from xinfang.graphql.pagination import connection, connection_field, keyset_page
from xinfang.platform.cases import configuration
from xinfang.platform.cases.models import SettingsChangeKind

CalendarDayKindEnum = value_enum(
    "CalendarDayKind",
    {"holiday": "放假 non-working day", "workday": "调休上班 working weekend"},
    "A day that is not what its weekday says.",
)
CalendarDaySourceEnum = value_enum(
    "CalendarDaySource",
    {"national": "国家安排 the national calendar", "office": "本单位 the office's own"},
    "Where a calendar day comes from.",
)

_LIMITS = {
    "route_days": "Days to route a registered petition (at most 15).",
    "accept_days": "Days to decide on acceptance (at most 15).",
    "handling_days": "Days to handle an accepted petition (at most 60).",
    "max_extension_days": "The one extension's longest (at most 30).",
    "review_request_days": "Days the petitioner has to ask for review (at least 30).",
    "review_days": "Days for a review or re-review opinion (at most 30).",
    "received_max_days_back": "How far back a registration may date its letter or visit.",
    "assign_max_days": "The longest due date of a 交办 result report this office sets.",
    "order_max_days": "The longest due date of a supervision order this office issues.",
    "collective_min_people": "People that make a collective alert.",
    "collective_window_days": "The window of a collective alert, in days.",
}


OfficeSettingsType = type(
    "OfficeSettingsType",
    (graphene.ObjectType,),
    {
        "__doc__": "The office's time limits (calendar days) and collective-alert thresholds.",
        "Meta": type("Meta", (), {"name": "OfficeSettings"}),
        **{name: graphene.Int(required=True, description=d) for name, d in _LIMITS.items()},
    },
)
OfficeSettingsInput = type(
    "OfficeSettingsInput",
    (graphene.InputObjectType,),
    {
        "__doc__": "The limits to change; those left out stay as they are.",
        **{name: graphene.Int(description=d) for name, d in _LIMITS.items()},
    },
)


class SettingBoundsType(graphene.ObjectType):
    class Meta:
        name = "SettingBounds"
        description = "The least and most a limit of OfficeSettings may be (the Regulations')."

    name = graphene.String(
        required=True, description="The OfficeSettings field, e.g. handlingDays."
    )
    min = graphene.Int(required=True, description="The least.")
    max = graphene.Int(required=True, description="The most.")


class CalendarDayType(graphene.ObjectType):
    class Meta:
        name = "CalendarDay"
        description = "A holiday or a working weekend."

    day = graphene.Date(required=True, description="The day.")
    kind = graphene.Field(CalendarDayKindEnum, required=True, description="Holiday or workday.")
    name = graphene.String(required=True, description="e.g. 春节 (may be empty).")
    source = graphene.Field(CalendarDaySourceEnum, required=True, description="Whose day it is.")


class OfficeCalendarType(graphene.ObjectType):
    class Meta:
        name = "OfficeCalendar"
        description = "One year of the office's calendar: what deadlines roll over."

    year = graphene.Int(required=True, description="The year.")
    covered = graphene.Boolean(
        required=True, description="The national calendar has this year (else no deadline in it)."
    )
    provisional = graphene.Boolean(
        required=True, description="Only the statutory festivals until the notice is loaded."
    )
    days = graphene.List(
        graphene.NonNull(CalendarDayType), required=True, description="Its days, by date."
    )


class OfficeDayEntryType(graphene.ObjectType):
    class Meta:
        name = "OfficeDayEntry"
        description = "The office's own entry for a day: a holiday with its name, or a workday."

    kind = graphene.Field(CalendarDayKindEnum, required=True, description="Holiday or workday.")
    name = graphene.String(required=True, description="The holiday's name (may be empty).")


class SettingsChangeType(graphene.ObjectType):
    class Meta:
        name = "SettingsChange"
        description = (
            "One change of the office's configuration (修改记录): a limit, or one of its own "
            "calendar days; who made it, when, the value before and after."
        )

    at = graphene.DateTime(required=True, description="When it was changed.")
    by = graphene.Field(OfficerType, description="Who changed it (null: not an officer).")
    kind = graphene.Field(SettingsChangeKindEnum, required=True, description="What it changed.")
    setting = graphene.String(description="The limit's OfficeSettings field, e.g. handlingDays.")
    day = graphene.Date(description="The calendar day, for a change of the calendar.")
    limit_before = graphene.Int(description="The limit before the change.")
    limit_after = graphene.Int(description="The limit after the change.")
    day_before = graphene.Field(
        OfficeDayEntryType, description="The office's entry for the day before (null: none)."
    )
    day_after = graphene.Field(
        OfficeDayEntryType, description="The office's entry for the day after (null: none)."
    )

    @staticmethod
    def resolve_setting(change, info):
        return configuration.camel(change.setting) if change.setting else None

    @staticmethod
    def resolve_limit_before(change, info):
        return change.before if change.kind == SettingsChangeKind.LIMIT else None

    @staticmethod
    def resolve_limit_after(change, info):
        return change.after if change.kind == SettingsChangeKind.LIMIT else None

    @staticmethod
    def resolve_day_before(change, info):
        return _day_entry(change, change.before)

    @staticmethod
    def resolve_day_after(change, info):
        return _day_entry(change, change.after)


def _day_entry(change, value):
    if change.kind != SettingsChangeKind.DAY or value is None:
        return None
    return OfficeDayEntryType(kind=value["kind"], name=value["name"])


SettingsChangeConnection = connection(
    SettingsChangeType, description="A page of configuration changes, newest first."
)


class Query(graphene.ObjectType):
    office_settings = graphene.Field(
        OfficeSettingsType, required=True, description="The office's limits and thresholds."
    )
    office_settings_bounds = graphene.List(
        graphene.NonNull(SettingBoundsType),
        required=True,
        description="What each limit may be (updateOfficeSettings refuses the rest).",
    )
    office_calendar = graphene.Field(
        OfficeCalendarType,
        required=True,
        description="A year of the office's calendar.",
        year=graphene.Int(required=True, description="The year."),
    )
    settings_changes = connection_field(
        SettingsChangeConnection,
        "The office's configuration changes (limits, its own calendar days), newest first "
        "(admins).",
    )

    @staticmethod
    def resolve_settings_changes(root, info, **page):
        changes = configuration.settings_changes(viewer=current_officer(info))
        return keyset_page(changes, key=("-at", "-id"), **page)

    @staticmethod
    def resolve_office_settings(root, info):
        current_officer(info)
        return configuration.OfficeSettings.current()

    @staticmethod
    def resolve_office_settings_bounds(root, info):
        current_officer(info)
        return [
            SettingBoundsType(name=configuration.camel(name), min=low, max=high)
            for name, (low, high) in configuration.SETTING_BOUNDS.items()
        ]

    @staticmethod
    def resolve_office_calendar(root, info, year):
        current_officer(info)
        return configuration.office_calendar(year=year)


class UpdateOfficeSettings(graphene.Mutation):
    """An admin changes the office's limits (each within the Regulations' bounds)."""

    class Meta:
        name = "UpdateOfficeSettingsPayload"

    class Arguments:
        settings = OfficeSettingsInput(required=True, description="The limits to change.")

    settings = graphene.Field(OfficeSettingsType, required=True, description="The limits now.")

    @staticmethod
    def mutate(root, info, settings):
        values = {name: value for name, value in settings.items() if value is not None}
        updated = configuration.office_settings_update(by=current_officer(info), values=values)
        return UpdateOfficeSettings(settings=updated)


class SetOfficeDay(graphene.Mutation):
    """An admin makes a day a holiday or working weekend of the office, or (no kind) removes it."""

    class Meta:
        name = "SetOfficeDayPayload"

    class Arguments:
        day = graphene.Date(required=True, description="The day.")
        kind = CalendarDayKindEnum(description="Holiday or workday; null removes the office's own.")
        name = graphene.String(description="e.g. a local festival's name.")

    calendar = graphene.Field(
        OfficeCalendarType, required=True, description="The day's year as it is now."
    )

    @staticmethod
    def mutate(root, info, day, kind=None, name=None):
        configuration.office_day_set(
            by=current_officer(info), day=day, kind=enum_value(kind), name=name or ""
        )
        return SetOfficeDay(calendar=configuration.office_calendar(year=day.year))


class Mutation(graphene.ObjectType):
    update_office_settings = UpdateOfficeSettings.Field(required=True)
    set_office_day = SetOfficeDay.Field(required=True)
