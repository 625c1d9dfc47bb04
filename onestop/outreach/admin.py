"""Django admin for help requests, visits and demands: read-only, since every change runs on the clock and
is audited through `actions` / `commissioner_actions` (the admin must not bypass them)."""
from __future__ import annotations

from django.contrib import admin

from onestop.readonly_admin import ReadOnlyAdmin

from onestop.outreach.models import Demand, HelpRequest, HelpStep, Visit


class StepInline(admin.TabularInline):
    model = HelpStep
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "note", "actor", "at")

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdmin):
    inlines = [StepInline]
    list_display = ("number", "matter", "place", "channel", "state", "agent", "raised_at", "due_at", "rating_level")
    list_filter = ("state", "channel", "clock_state")
    search_fields = ("description", "contact_name", "matter__name", "place__name")
    date_hierarchy = "raised_at"


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "commissioner", "visited_on", "met")
    search_fields = ("enterprise__name", "met", "discussed")
    date_hierarchy = "visited_on"


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = ("number", "enterprise", "category", "department", "state", "verdict", "raised_at", "due_at")
    list_filter = ("state", "category", "verdict")
    search_fields = ("enterprise__name", "description", "resolution")
