"""The organisation page (组织机构): the place tree down to communities with village and grid counts, the
service centres and the departments by hall role. Public, like the API's organisation reads."""
from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.org import queries
from onestop.org.models import HallRole, Place, PlaceKind


def organisation(request: HttpRequest) -> HttpResponse:
    upper = Place.objects.filter(kind__in=[PlaceKind.DISTRICT, PlaceKind.TOWN, PlaceKind.COMMUNITY]).order_by("path")
    counts = {}
    for place in upper:
        below = Place.objects.filter(path__startswith=place.path)
        counts[place.pk] = below.aggregate(villages=Count("pk", filter=Q(kind=PlaceKind.VILLAGE)),
                                           grids=Count("pk", filter=Q(kind=PlaceKind.GRID)))
    tree = [{"place": p, "depth": p.path.count("/") - 1, **counts[p.pk]} for p in upper]
    departments = list(queries.departments())
    by_role = [(label, [d for d in departments if d.hall_role == value]) for value, label in HallRole.choices]
    return render(request, "org/organisation.html", {
        "tree": tree, "centres": queries.service_centres(), "departments_by_role": by_role,
    })
