"""Django admin for enterprises, contacts, projects and commissioner assignments; audited like the actions
(contacts and assignments on their enterprise's chain), credit codes checked by GB 32100-2015."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from onestop.audit.actions import record, snapshot
from onestop.enterprises import creditcode
from onestop.enterprises.models import CommissionerAssignment, Contact, Enterprise, Project
from onestop.org.admin import AuditedAdmin


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = "__all__"

    def clean_credit_code(self) -> str:
        try:
            return creditcode.validate(self.cleaned_data["credit_code"])
        except creditcode.CreditCodeError as exc:
            raise forms.ValidationError(f"{exc.zh} ({exc.en})") from None


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    form = EnterpriseForm
    inlines = [ContactInline]
    list_display = ("name", "kind", "credit_code", "legal_representative", "place", "industry", "tags")
    list_filter = ("kind", "industry")
    search_fields = ("name", "credit_code", "legal_representative")
    autocomplete_fields = ("place",)

    def save_formset(self, request, form, formset, change) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for contact in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                record(form.instance, "enterprise.contact_saved_in_admin", request.user, after=snapshot(contact))
            for contact in formset.deleted_objects:
                record(form.instance, "enterprise.contact_deleted_in_admin", request.user, before=snapshot(contact))


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("name", "enterprise", "title", "phone", "email")
    search_fields = ("name", "phone", "enterprise__name")
    autocomplete_fields = ("enterprise",)

    def audit_aggregate(self, obj):
        return obj.enterprise


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("code", "name", "investor", "place", "investment", "land_status", "stage", "lead_steward")
    list_filter = ("stage", "land_status", "industry")
    search_fields = ("code", "name", "investor__name")
    autocomplete_fields = ("investor", "company", "place", "lead_steward", "coach")
    date_hierarchy = "created_at"


@admin.register(CommissionerAssignment)
class CommissionerAssignmentAdmin(AuditedAdmin):
    list_display = ("commissioner", "enterprise", "since", "until")
    list_filter = ("until",)
    search_fields = ("commissioner__display_name", "enterprise__name")
    autocomplete_fields = ("commissioner", "enterprise")

    def audit_aggregate(self, obj):
        return obj.enterprise
