"""Read-mostly admin views of the ledger, the inbox and the sweep's state (changes go through actions)."""
from django.contrib import admin

from .models import LedgerEntry, Notification, SweepMark, Watch


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "department", "responsible", "state", "opened_at", "episodes")
    list_filter = ("state", "department")
    search_fields = ("title",)
    readonly_fields = [f.name for f in LedgerEntry._meta.fields]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "project", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "project")
    raw_id_fields = ("recipient", "project")


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("clock_type", "clock_id", "yellow_for", "red_for", "episodes")
    list_filter = ("clock_type",)


admin.site.register(SweepMark)
