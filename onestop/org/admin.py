"""Django admin for the organisation. Every save and delete made here is audited (before/after) in the same
transaction, like the actions; accounts never put their password hash in the trail."""
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.audit.actions import record, snapshot
from onestop.org.actions import ACCOUNT_FIELDS
from onestop.org.models import Account, Department, Place, ServiceCentre


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes through the admin append an audit event to `audit_aggregate(obj)`'s chain."""

    audit_fields: list[str] | None = None

    def audit_aggregate(self, obj: Any) -> Any:
        return obj

    def _snap(self, obj: Any) -> dict:
        return snapshot(obj, self.audit_fields)

    def save_model(self, request, obj, form, change) -> None:
        label = obj._meta.model_name
        with transaction.atomic():
            before = self._snap(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            record(self.audit_aggregate(obj), f"{label}.{'changed' if change else 'added'}_in_admin", request.user,
                   before=before, after=self._snap(obj))

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            record(self.audit_aggregate(obj), f"{obj._meta.model_name}.deleted_in_admin", request.user,
                   before=self._snap(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ("name", "kind", "code", "parent", "path", "latitude", "longitude")
    list_filter = ("kind",)
    search_fields = ("name", "code", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)


@admin.register(ServiceCentre)
class ServiceCentreAdmin(AuditedAdmin):
    list_display = ("name", "level", "place", "phone")
    list_filter = ("level",)
    search_fields = ("name", "address")
    autocomplete_fields = ("place",)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "hall_role", "place", "phone")
    list_filter = ("hall_role",)
    search_fields = ("code", "name")
    autocomplete_fields = ("place",)


@admin.register(Account)
class AccountAdmin(AuditedAdmin, UserAdmin):
    audit_fields = ACCOUNT_FIELDS
    list_display = ("username", "display_name", "role", "department", "service_centre", "place", "organisation",
                    "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email", "phone")
    autocomplete_fields = ("department", "service_centre", "place", "organisation")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Role and attachment"), {"fields": ("role", "display_name", "phone", "department", "service_centre",
                                               "place", "organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and attachment"), {"fields": ("role", "display_name", "email", "department", "service_centre",
                                               "place", "organisation")}),
    )
