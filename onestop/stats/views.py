"""The statistics page (/stats/) and its Excel export; thin: the figures come from `queries`."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onestop.errors import DomainError, Forbidden, InvalidInput
from onestop.stats import export, queries


def _zh(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans").startswith("zh")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """统计: a bad period or place shows the figures of the default ones, with the message (400)."""
    if not queries.may_see(request.user):
        raise PermissionDenied
    error, status = {}, 200
    try:
        period = queries.parse_period(request.GET)
        area = queries.area_for(request.user, request.GET.get("place"))
    except InvalidInput as exc:
        error, status = {"message": exc.zh if _zh(request) else exc.en, "fields": exc.fields}, 400
        period, area = queries.parse_period({}), queries.area_for(request.user)
    figures = queries.statistics(request.user, period, area)
    return render(request, "stats/index.html", {
        "f": figures, "error": error, "places": queries.places_for(request.user), "area": area,
        "query": request.GET.urlencode(), "now": timezone.now()}, status=status)


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
