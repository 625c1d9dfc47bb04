"""Read-only admin views of seals, documents, uses and batches (writes go through onestop.seals.actions)."""
from django.contrib import admin

from onestop.readonly_admin import ReadOnlyAdmin

from onestop.seals.models import Batch, IssuedDocument, Seal, SealUse, SealUser


@admin.register(Seal)
class SealAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner_name", "kind", "algorithm", "protection", "pkcs11_token", "not_after", "revoked_at")
    list_filter = ("kind", "protection")
    exclude = ("key_enc", "image_png")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "recipient", "issued_at", "batch")
    search_fields = ("number", "recipient")


@admin.register(SealUse)
class SealUseAdmin(ReadOnlyAdmin):
    list_display = ("at", "seal", "account", "document", "batch")


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "seal", "source", "state", "total", "done", "failed", "heartbeat_at", "error")


@admin.register(SealUser)
class SealUserAdmin(ReadOnlyAdmin):
    """Who may use which seal; granted and withdrawn through the seals actions."""

    list_display = ("seal", "account", "granted_by", "granted_at")
    list_select_related = ("seal", "account", "granted_by")
