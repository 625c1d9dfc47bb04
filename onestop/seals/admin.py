"""Read-only admin views of seals, documents, uses and batches (writes go through onestop.seals.actions)."""
from django.contrib import admin

from onestop.seals.models import Batch, IssuedDocument, Seal, SealUse


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Seal)
class SealAdmin(ReadOnly):
    list_display = ("id", "owner_name", "kind", "algorithm", "protection", "not_after", "revoked_at")
    list_filter = ("kind", "protection")
    exclude = ("key_enc", "image_png")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnly):
    list_display = ("number", "kind", "recipient", "issued_at", "batch")
    search_fields = ("number", "recipient")


@admin.register(SealUse)
class SealUseAdmin(ReadOnly):
    list_display = ("at", "seal", "account", "document", "batch")


@admin.register(Batch)
class BatchAdmin(ReadOnly):
    list_display = ("id", "seal", "state", "total", "done", "failed", "heartbeat_at")
