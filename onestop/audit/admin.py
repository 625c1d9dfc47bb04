from django.contrib import admin

from onestop.readonly_admin import ReadOnlyAdmin

from onestop.audit.models import Chain, Checkpoint, Event


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
