"""Admin of the official calendar (years with their days, a file import) and the clock log (read-only).

A year saved or deleted here goes through `calendar_actions.calendar_changed` in the same transaction:
new calendar version, open clocks recomputed, one audit event.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from onestop.errors import DomainError
from onestop.worktime.calendar_actions import calendar_changed, import_calendar, year_snapshot
from onestop.worktime.models import CalendarDay, CalendarSource, CalendarVersion, CalendarYear, ClockEvent, DayKind


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", None) == "administrator"))


class AdministratorOnly:
    """The calendar is the administrator's (DESIGN.md, "Permissions")."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_admin(request)


class CalendarDayFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day and not form.cleaned_data.get("DELETE") and year and day.year != year:
                form.add_error("date", _("The date is not in this year."))
            kind = form.cleaned_data.get("kind") if hasattr(form, "cleaned_data") else None
            if day and kind == DayKind.WORKDAY and day.weekday() < 5:
                form.add_error("kind", _("A weekday is a working day already."))
        if any(form.errors for form in self.forms):
            raise ValidationError(_("Please correct the days marked."))


class CalendarDayInline(AdministratorOnly, admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["year", "published", "source", "notice", "day_count", "updated_at"]
    list_filter = ["published", "source"]
    inlines = [CalendarDayInline]
    change_list_template = "worktime/admin/calendaryear_change_list.html"

    @admin.display(description=_("named days"))
    def day_count(self, obj: CalendarYear) -> int:
        return obj.days.count()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["year", "source"] if obj else ["source"]

    def save_model(self, request: HttpRequest, obj: CalendarYear, form, change: bool) -> None:
        request._worktime_before = year_snapshot([obj.year]) if change else {}
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        change_ = calendar_changed([form.instance.year], request.user,
                                   before=getattr(request, "_worktime_before", {}), reason="changed in the admin")
        messages.info(request, _("Calendar version %(v)s: %(n)s open clocks recomputed, %(c)s changed.")
                      % {"v": change_.version, "n": change_.clocks_recomputed, "c": change_.clocks_changed})

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        before = year_snapshot([obj.year])
        super().delete_model(request, obj)
        calendar_changed([obj.year], request.user, before=before, reason="deleted in the admin")

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        years = list(queryset.values_list("year", flat=True))
        before = year_snapshot(years)
        super().delete_queryset(request, queryset)
        calendar_changed(years, request.user, before=before, reason="deleted in the admin")

    def get_urls(self):  # noqa: ANN201
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="worktime_calendaryear_import")]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import a file of calendar days (CSV or .xlsx: date, kind, name); all or nothing."""
        if not _is_admin(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: dict[str, str] = {}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                change = import_calendar(upload, upload.name, request.user, notice=form.cleaned_data["notice"])
            except DomainError as exc:
                errors = exc.fields or {"file": exc.en}
            else:
                messages.success(request, _("Imported %(years)s: calendar version %(v)s, %(c)s open clocks changed.")
                                 % {"years": ", ".join(map(str, change.years)), "v": change.version,
                                    "c": change.clocks_changed})
                return redirect("admin:worktime_calendaryear_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors,
                   "opts": self.model._meta, "title": _("Import calendar days")}
        return render(request, "worktime/admin/import.html", context, status=400 if errors else 200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx with columns date, kind, name)"))
    notice = forms.CharField(label=_("Notice"), max_length=200, required=False,
                             help_text=_("The State Council notice, e.g. 国办发明电〔2025〕7号"))


@admin.register(CalendarVersion)
class CalendarVersionAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["number", "changed_at", "token"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ClockEvent)
class ClockEventAdmin(AdministratorOnly, admin.ModelAdmin):
    """The clock log is append-only: shown, never edited."""

    list_display = ["clock_type", "clock_id", "seq", "kind", "day", "at", "days", "reason", "actor", "approver"]
    list_filter = ["kind", "reason", "clock_type"]
    search_fields = ["clock_type", "note"]
    list_select_related = ["actor", "approver"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
