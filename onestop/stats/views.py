"""The statistics page (/stats/) and its Excel export; thin: the figures come from `queries`."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.errors import DomainError, Forbidden, InvalidInput
from onestop.stats import export, queries


def _zh(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans").startswith("zh")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """统计: a bad period or place is named (400) and the default one shown in its stead."""
    if not queries.may_see(request.user):
        raise PermissionDenied
    refusals: list[InvalidInput] = []
    try:
        period = queries.parse_period(request.GET)
    except InvalidInput as exc:
        refusals.append(exc)
        period = queries.parse_period({})
    try:
        area = queries.area_for(request.user, request.GET.get("place"))
    except InvalidInput as exc:
        refusals.append(exc)
        area = queries.area_for(request.user)
    error = {"message": " ".join(e.zh if _zh(request) else e.en for e in refusals),
             "fields": {k: v for e in refusals for k, v in e.fields.items()}} if refusals else {}
    return render(request, "stats/index.html", {
        "f": queries.statistics(request.user, period, area), "error": error, "area": area,
        "places": queries.places_for(request.user), "query": request.GET.urlencode()},
        status=400 if refusals else 200)


@login_required
def workbook(request: HttpRequest) -> HttpResponse:
    try:
        period = queries.parse_period(request.GET)
        area = queries.area_for(request.user, request.GET.get("place"))
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        return HttpResponse(exc.zh if _zh(request) else exc.en, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(export.xlsx(queries.statistics(request.user, period, area)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="onestop-statistics-{period.start}-{period.end}.xlsx"'
    return response
