"""Read-only admin of the steward's tables: changes go through the actions (audited), never the admin."""
from django.contrib import admin

from onestop.stewards.models import Assignment, Message, Milestone, Notification, WorkItem


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ("project", "steward", "role", "since", "until")
    list_filter = ("role",)
    search_fields = ("project__name", "steward__display_name")


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("project", "author", "created_at", "attachment_name")
    search_fields = ("project__name", "body")
    exclude = ("attachment_data",)


@admin.register(Milestone)
class MilestoneAdmin(ReadOnly):
    list_display = ("project", "name", "planned_start", "planned_end", "actual_end", "clock_state", "due_at")
    search_fields = ("project__name", "name")


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnly):
    list_display = ("project", "title", "department", "owner", "deadline", "state")
    list_filter = ("state",)


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("recipient", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
