from django.contrib import admin

from onestop.audit.models import Chain, Checkpoint, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """The trail is append-only: the admin shows it and never edits it."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "chain", "seq"]
    list_filter = ["action"]
    search_fields = ["action", "actor_name", "reason"]
    list_select_related = ["chain"]


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ["aggregate_type", "aggregate_id", "length", "checkpointed_length"]
    search_fields = ["aggregate_type", "aggregate_id"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "hash"]
