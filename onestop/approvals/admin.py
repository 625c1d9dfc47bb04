"""Read-only admin views of applications and tasks: every change goes through the actions."""
from django.contrib import admin

from .models import Application, CoachingRecord, Handover, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("id", "matter", "stage", "channel", "state", "simulated", "submitted_at", "due_at")
    list_filter = ("state", "channel", "simulated")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("id", "application", "matter", "department", "state", "due_at")
    list_filter = ("state",)


admin.site.register(Handover, ReadOnly)
admin.site.register(CoachingRecord, ReadOnly)
