"""Routing a help request to the nearest agent (就近分派): grid, then village, then town.

Walk up from the request's place; at the first level where active agents (grid workers, help agents) are
attached, take the one with the fewest open requests (ties: the lowest id, so routing is deterministic).
"""
from __future__ import annotations

from django.db.models import Count, Q

from onestop.org.models import Account, Place, ServiceCentre
from onestop.outreach.access import AGENT_ROLES
from onestop.outreach.models import OPEN_HELP_STATES


def ancestors(place: Place) -> list[Place]:
    """The place itself and every place above it, nearest first (one query on the path prefixes)."""
    parts = place.path.strip("/").split("/")
    paths = ["/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]
    found = {p.path: p for p in Place.objects.filter(path__in=paths)}
    return [found[p] for p in paths if p in found]


def nearest_agent(place: Place) -> Account | None:
    """The least-loaded agent at the nearest level that has one; None if no level has any."""
    for level in ancestors(place):
        agent = (Account.objects.filter(place=level, role__in=AGENT_ROLES, is_active=True)
                 .annotate(load=Count("help_queue", filter=Q(help_queue__state__in=OPEN_HELP_STATES)))
                 .order_by("load", "pk").first())
        if agent is not None:
            return agent
    return None


def nearest_centre(place: Place, *, village_level: bool) -> ServiceCentre | None:
    """The service centre that takes an application filed for a request at `place`.

    A village-level matter (村内办理) is handled at the nearest service point (the village's own); any
    other matter at the nearest town or district centre above the place.
    """
    levels = ancestors(place)
    centres = ServiceCentre.objects.filter(place__in=levels)
    if not village_level:
        centres = centres.exclude(level="village")
    by_place: dict[int, ServiceCentre] = {}
    for centre in centres.order_by("pk"):
        by_place.setdefault(centre.place_id, centre)
    return next((by_place[p.pk] for p in levels if p.pk in by_place), None)
