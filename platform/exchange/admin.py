"""Handoffs in each office's admin: read-only, and only the current office's own ledger rows.

The ledger is a public table every office host can reach, so the queryset is always filtered to
handoffs the office sent, received or must decide. State changes go through the services (GraphQL).
"""

from django.contrib import admin

from xinfang.platform.admin_base import OfficeScopedReadOnlyAdmin
from xinfang.platform.exchange.models import Handoff


@admin.register(Handoff)
class HandoffAdmin(OfficeScopedReadOnlyAdmin):
    office_fields = ("sender_office", "receiver_office", "decider_office")
    list_display = (
        "sender_reference", "receiver_reference", "kind", "status", "sender_office",
        "receiver_office", "created_at", "accept_due", "due_date",
    )  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("sender_reference", "receiver_reference")
    list_select_related = ("sender_office", "receiver_office")
    ordering = ("-created_at",)
