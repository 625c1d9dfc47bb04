"""Pages: the enterprise register and the projects (企业库 / 项目库), lists and details.

Thin: read through `onestop.enterprises.queries` (which applies `onestop.org.access`), so a page shows
exactly what the API would; something the caller does not see is a 404.
"""
from __future__ import annotations

from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.enterprises import queries
from onestop.enterprises.models import LandStatus, OrganisationKind, ProjectStage
from onestop.errors import InvalidInput, NotFound
from onestop.org.models import Place, PlaceKind

PER_PAGE = 50
FILTER_PLACE_KINDS = (PlaceKind.DISTRICT, PlaceKind.TOWN, PlaceKind.COMMUNITY)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _listing(request: HttpRequest, build: Callable[..., Any], names: tuple[str, ...]) -> tuple[Any, dict, dict]:
    """Run a list query with the GET filters; a bad filter shows its message beside the field."""
    filters = {name: request.GET.get(name, "").strip() for name in names}
    kwargs = {name: (_int(value) if name in ("place", "enterprise") else value or None) for name, value in filters.items()}
    try:
        qs = build(request.user, **kwargs)
        errors: dict = {}
    except InvalidInput as exc:
        qs, errors = build(request.user), exc.fields
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return page, filters, errors


def _common(request: HttpRequest) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_places": Place.objects.filter(kind__in=FILTER_PLACE_KINDS).order_by("path"),
        "industries": queries.industries(request.user),
        "query": query.urlencode(),
    }


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    page, filters, errors = _listing(request, queries.enterprise_list, ("place", "industry", "kind", "q", "tag"))
    return render(request, "enterprises/enterprise_list.html", {
        **_common(request), "page": page, "filters": filters, "errors": errors, "kinds": OrganisationKind.choices,
    })


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        enterprise = queries.enterprise_detail(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "enterprises/enterprise_detail.html", {"enterprise": enterprise})


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    page, filters, errors = _listing(request, queries.project_list,
                                     ("place", "industry", "stage", "land_status", "enterprise", "q"))
    return render(request, "enterprises/project_list.html", {
        **_common(request), "page": page, "filters": filters, "errors": errors,
        "stages": ProjectStage.choices, "land_statuses": LandStatus.choices,
    })


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = queries.project_detail(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "enterprises/project_detail.html", {"project": project})
