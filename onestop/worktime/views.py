"""Pages of the official calendar: the deadline calculator for clerks and the year view."""
from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from onestop.worktime import workdays
from onestop.worktime.queries import calendar_year, check_deadline_query, explain_deadline


def _in_language(problems: dict[str, tuple[str, str]]) -> dict[str, str]:
    english = (get_language() or "").startswith("en")
    return {field: (en if english else zh) for field, (zh, en) in problems.items()}


def deadline(request: HttpRequest) -> HttpResponse:
    """截止日期计算: a start date, a number of days and the unit give the due date and the days skipped."""
    asked = "start" in request.GET
    values = {"start": request.GET.get("start", timezone.localdate().isoformat()),
              "days": request.GET.get("days", "20"), "unit": request.GET.get("unit", workdays.WORKDAY)}
    context: dict = {"values": values, "errors": {}, "result": None}
    if asked:
        parsed = check_deadline_query(values["start"], values["days"], values["unit"])
        if isinstance(parsed, dict):
            context["errors"] = _in_language(parsed)
        else:
            context["result"] = explain_deadline(*parsed)
    if request.htmx:  # htmx swaps only 2xx answers, so the errors come back as a 200 fragment
        return render(request, "worktime/_deadline_result.html", context)
    return render(request, "worktime/deadline.html", context, status=400 if context["errors"] else 200)


def calendar_index(request: HttpRequest) -> HttpResponse:
    return redirect("worktime:calendar", year=timezone.localdate().year)


def calendar(request: HttpRequest, year: int) -> HttpResponse:
    """The year's calendar with holidays and working weekends (调休上班) marked, provisional if unpublished."""
    if not workdays.INPUT_FIRST.year <= year <= workdays.INPUT_LAST.year:
        raise Http404
    view = calendar_year(year)
    return render(request, "worktime/calendar.html", {
        "view": view, "today": timezone.localdate(),
        "previous": year - 1 if year > workdays.INPUT_FIRST.year else None,
        "next": year + 1 if year < workdays.INPUT_LAST.year else None,
        "weekdays": [date(2024, 1, d) for d in range(1, 8)],  # a Monday..Sunday week, for the headings
    })
