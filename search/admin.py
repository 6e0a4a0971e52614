from django.contrib import admin

from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.search.models import CollectiveAlert, RepeatCandidate, RepeatCheck


# Read-only: decisions go through the services (GraphQL), which also update the registry.
@admin.register(RepeatCheck)
class RepeatCheckAdmin(ReadOnlyAdmin):
    list_display = ["petition", "state", "checked_at", "on_terminated_matter"]
    list_filter = ["state", "on_terminated_matter"]
    readonly_fields = [f.name for f in RepeatCheck._meta.fields]


@admin.register(RepeatCandidate)
class RepeatCandidateAdmin(ReadOnlyAdmin):
    list_display = ["petition", "reference", "office_code", "score", "reasons", "decision"]
    list_filter = ["decision", "office_level"]
    readonly_fields = [f.name for f in RepeatCandidate._meta.fields]


@admin.register(CollectiveAlert)
class CollectiveAlertAdmin(ReadOnlyAdmin):
    list_display = ["group_id", "role", "state", "people_count", "petition_count", "place"]
    list_filter = ["state", "role"]
    readonly_fields = [f.name for f in CollectiveAlert._meta.fields]
