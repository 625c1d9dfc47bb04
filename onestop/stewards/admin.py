"""Read-only admin of the steward's tables: changes go through the actions (audited), never the admin."""
from django.contrib import admin

from onestop.readonly_admin import ReadOnlyAdmin

from onestop.stewards.models import Assignment, Message, Milestone, Receipt, WorkItem


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("project", "steward", "role", "since", "until")
    list_filter = ("role",)
    search_fields = ("project__name", "steward__display_name")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("project", "author", "created_at", "attachment_name")
    search_fields = ("project__name", "body")
    exclude = ("attachment_data",)


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("project", "name", "planned_start", "planned_end", "actual_end", "clock_state", "due_at")
    search_fields = ("project__name", "name")


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ("project", "title", "department", "owner", "deadline", "state")
    list_filter = ("state",)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("message", "reader", "read_at")
    list_select_related = ("message", "reader")
