"""Django admin for the catalogue: matters with their materials inline, bundles with their stages inline.

Only administrators may change the catalogue here (as through the API), form fields are checked by the
same rules (`spec.clean_form_fields`), and every save writes the same audit event as the actions, with
the canonical before/after, inside the admin's transaction.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from onestop.audit.actions import record
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.catalog.queries import bundle_as_dict, matter_as_dict
from onestop.catalog.spec import Checker, clean_form_fields


def _is_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and getattr(request.user, "is_admin_role", False))


class CatalogueAdmin(admin.ModelAdmin):
    """Shared: administrators only; audit the canonical form before and after each save."""

    as_dict: Any = None
    kind = ""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        old = type(obj).objects.filter(pk=obj.pk).first() if change else None
        request._catalog_before = type(self).as_dict(old) if old else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = type(form.instance).objects.get(pk=form.instance.pk)
        before, after = getattr(request, "_catalog_before", None), type(self).as_dict(obj)
        if before != after:
            action = f"catalog.{self.kind}.{'updated' if before else 'created'}"
            if self.kind == "matter" and before and before["active"] != after["active"]:
                action = "catalog.matter.deactivated" if before["active"] else "catalog.matter.reactivated"
            record(obj, action, request.user, before=before, after=after, reason="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = type(self).as_dict(obj)
        record(obj, f"catalog.{self.kind}.deleted", request.user, before=before, reason="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1
    can_delete = False  # untick "in use" instead: applications refer to the material
    fields = ("position", "name", "required", "may_defer", "may_commit", "note", "active")

    def get_queryset(self, request: HttpRequest) -> Any:
        return Material.all_objects.select_related("matter")


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = "__all__"

    def clean_form_fields(self) -> list[dict]:
        check = Checker()
        cleaned = clean_form_fields(check, self.cleaned_data.get("form_fields"))
        if check.issues:
            raise forms.ValidationError([f"{i.dotted}: {i.zh} / {i.en}" for i in check.issues])
        return cleaned


@admin.register(Matter)
class MatterAdmin(CatalogueAdmin):
    form = MatterForm
    as_dict = staticmethod(matter_as_dict)
    kind = "matter"
    list_display = ("code", "name", "department", "legal_limit", "promised_limit", "limit_unit", "lowest_level",
                    "source", "active")
    list_filter = ("source", "lowest_level", "active", "broken_commitment_stops", "department")
    search_fields = ("code", "name", "legal_basis")
    inlines = [MaterialInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a matter is deactivated (untick "active"), never deleted: applications refer to it


class StageInline(admin.StackedInline):
    model = Stage
    extra = 1
    fields = ("position", "name", "promised_limit", "limit_unit", "matters")
    filter_horizontal = ("matters",)


@admin.register(Bundle)
class BundleAdmin(CatalogueAdmin):
    as_dict = staticmethod(bundle_as_dict)
    kind = "bundle"
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [StageInline]
