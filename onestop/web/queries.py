"""Platform-wide reads: the public summary counts."""
from __future__ import annotations

from django.db.models import Count

from onestop.catalog.models import Bundle, Matter, MatterSource
from onestop.enterprises.models import Enterprise, OrganisationKind, Project
from onestop.org.models import Account, Department, Place, PlaceKind, Role


def public_summary() -> dict:
    """Counts over the whole database, with no personal data (GET /api/summary)."""
    per_kind = dict(Place.objects.values_list("kind").annotate(n=Count("id")))
    matters = dict(Matter.objects.filter(active=True).values_list("source").annotate(n=Count("id")))
    roles = dict(Account.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")))
    return {
        "places": {kind: per_kind.get(kind, 0) for kind in PlaceKind.values},
        "departments": Department.objects.count(),
        "matters": sum(matters.values()),
        "delegated_matters": matters.get(MatterSource.DELEGATED, 0),
        "village_matters": matters.get(MatterSource.VILLAGE, 0),
        "bundles": Bundle.objects.count(),
        "enterprises": Enterprise.objects.filter(kind=OrganisationKind.ENTERPRISE).count(),
        "projects": Project.objects.count(),
        "stewards": roles.get(Role.STEWARD, 0),
        "commissioners": roles.get(Role.COMMISSIONER, 0),
    }
