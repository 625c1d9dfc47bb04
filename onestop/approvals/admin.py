"""Read-only admin views of applications and tasks: every change goes through the actions."""
from django.contrib import admin

from onestop.readonly_admin import ReadOnlyAdmin

from .models import Application, CoachingRecord, Handover, SubmittedMaterial, Task


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "matter", "stage", "channel", "state", "simulated", "submitted_at", "due_at")
    list_filter = ("state", "channel", "simulated")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("id", "application", "matter", "department", "state", "due_at")
    list_filter = ("state",)


admin.site.register(Handover, ReadOnlyAdmin)
admin.site.register(CoachingRecord, ReadOnlyAdmin)


@admin.register(SubmittedMaterial)
class SubmittedMaterialAdmin(ReadOnlyAdmin):
    list_display = ("application", "material", "status")
    list_filter = ("status",)
    list_select_related = ("application", "material")
