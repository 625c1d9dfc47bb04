"""The read side of the organisation: the place tree, service centres, departments.

These are the published organisation of a government hall (公开信息): readable without logging in.
"""
from __future__ import annotations

from django.db.models import Count, QuerySet

from onestop.org.cleaning import lookup
from onestop.org.models import Department, Place, ServiceCentre


def places(*, kind: str | None = None, parent: int | None = None, within: int | None = None,
           roots: bool = False, q: str | None = None) -> QuerySet[Place]:
    """Places ordered by path (a depth-first walk of the tree, so a flat list can be drawn as a tree).

    `parent`: the children of one place; `within`: the whole subtree below a place (itself excluded);
    `roots`: only places without a parent; `kind`: one level; `q`: name contains.
    """
    qs = Place.objects.annotate(children_count=Count("children")).order_by("path")
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=lookup(Place.objects.all(), parent, "parent", "地点", "place"))
    if within is not None:
        root = lookup(Place.objects.all(), within, "within", "地点", "place")
        qs = qs.filter(path__startswith=root.path).exclude(pk=root.pk)
    if roots:
        qs = qs.filter(parent__isnull=True)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs


def place_detail(pk: int) -> Place:
    from onestop.errors import NotFound

    place = places().select_related("parent").filter(pk=pk).first()
    if place is None:
        raise NotFound("place", "地点")
    place.ancestors = list(Place.objects.filter(path__in=_ancestor_paths(place.path)).order_by("path"))
    return place


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def service_centres(*, level: str | None = None, within: int | None = None) -> QuerySet[ServiceCentre]:
    qs = ServiceCentre.objects.select_related("place")
    if level:
        qs = qs.filter(level=level)
    if within is not None:
        root = lookup(Place.objects.all(), within, "within", "地点", "place")
        qs = qs.filter(place__path__startswith=root.path)
    return qs


def departments(*, hall_role: str | None = None, within: int | None = None) -> QuerySet[Department]:
    qs = Department.objects.select_related("place")
    if hall_role:
        qs = qs.filter(hall_role=hall_role)
    if within is not None:
        root = lookup(Place.objects.all(), within, "within", "地点", "place")
        qs = qs.filter(place__path__startswith=root.path)
    return qs
