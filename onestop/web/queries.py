"""Platform-wide reads: the public summary counts and what each role's home page shows (工作台).

`home_for(account)` returns the section to render and its data, read from what exists today: the
organisation, the catalogue, enterprises and projects. Nothing here writes.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from onestop.catalog.models import Bundle, HandlingLevel, Matter, MatterSource
from onestop.enterprises.models import CommissionerAssignment, Enterprise, OrganisationKind, Project
from onestop.org.models import Account, Department, Place, PlaceKind, Role, ServiceCentre

HOME_LIST_LIMIT = 50  # a home page lists at most this many rows; the full lists live on their own pages

# Which home section each role sees (one template per section under web/home/).
SECTION_OF_ROLE = {
    Role.WINDOW_CLERK: "clerk",
    Role.APPROVER: "department",
    Role.DEPARTMENT_HEAD: "department",
    Role.STEWARD: "steward",
    Role.COACH: "steward",
    Role.SUPERVISOR: "area",
    Role.HELP_AGENT: "area",
    Role.GRID_WORKER: "area",
    Role.COMMISSIONER: "commissioner",
    Role.ADMINISTRATOR: "admin",
    Role.ENTERPRISE: "organisation",
    Role.EMPLOYER_UNIT: "organisation",
    Role.RESIDENT: "resident",
}

# A matter whose lowest handling level is L may be handled at L and at every level above it.
_LEVEL_DEPTH = {HandlingLevel.DISTRICT: 0, HandlingLevel.TOWN: 1, HandlingLevel.VILLAGE: 2}


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


def home_for(account: Account) -> dict[str, Any]:
    """The section name and data of `account`'s home page (an administrator for a role-less superuser)."""
    section = SECTION_OF_ROLE.get(account.role)
    if section is None and account.is_superuser:
        section = "admin"
    reader = _READERS.get(section)
    data = reader(account) if reader else {}
    return {"section": section or "none", **data}


def matters_handled_at(level: str) -> QuerySet[Matter]:
    """Active matters a centre of `level` may take: those whose lowest handling level is `level` or below."""
    depth = _LEVEL_DEPTH.get(level, 0)
    allowed = [lvl for lvl, d in _LEVEL_DEPTH.items() if d >= depth]
    return Matter.objects.filter(active=True, lowest_level__in=allowed)


def _clerk(account: Account) -> dict[str, Any]:
    """A window clerk (综合窗口受理员): its service centre and what the centre may take."""
    centre: ServiceCentre | None = account.service_centre
    if centre is None:
        return {"centre": None}
    matters = matters_handled_at(centre.level)
    return {
        "centre": centre,
        "centre_place": centre.place,
        "matter_count": matters.count(),
        "delegated_count": matters.filter(source=MatterSource.DELEGATED).count(),
        "village_count": matters.filter(source=MatterSource.VILLAGE).count(),
        "bundles": list(Bundle.objects.annotate(stage_count=Count("stages"))),
        "colleagues": Account.objects.filter(service_centre=centre, is_active=True).count(),
    }


def _department(account: Account) -> dict[str, Any]:
    """An approver or department head (部门审批人员 / 部门负责人): its department and that department's matters."""
    dept: Department | None = account.department
    if dept is None:
        return {"department": None}
    matters = Matter.objects.filter(department=dept, active=True).annotate(material_count=Count("materials"))
    return {
        "department": dept,
        "matter_count": matters.count(),
        "matters": list(matters[:HOME_LIST_LIMIT]),
        "staff_count": Account.objects.filter(department=dept, is_active=True).count(),
        "bundle_count": Bundle.objects.filter(stages__matters__department=dept).distinct().count(),
    }


def _steward(account: Account) -> dict[str, Any]:
    """A steward or coach (项目管家 / 项目辅导员): the projects it leads or coaches."""
    projects = Project.objects.filter(Q(lead_steward=account) | Q(coach=account)).select_related(
        "investor", "company", "place"
    )
    return {"projects": list(projects[:HOME_LIST_LIMIT]), "project_count": projects.count()}


def _commissioner(account: Account) -> dict[str, Any]:
    """An enterprise commissioner (企业特派员): the enterprises currently assigned to it."""
    enterprises = (
        Enterprise.objects.filter(pk__in=_current_assignments().filter(commissioner=account).values("enterprise_id"))
        .select_related("place")
        .annotate(project_count=Count("invested_projects", distinct=True))
    )
    return {"enterprises": list(enterprises[:HOME_LIST_LIMIT]), "enterprise_count": enterprises.count()}


def _area(account: Account) -> dict[str, Any]:
    """A supervisor, help agent or grid worker (督办 / 帮办代办 / 网格员): its area, with counts."""
    root: Place | None = account.place
    if root is None:
        return {"area": None}
    inside = Q(place__path__startswith=root.path)
    per_kind = dict(
        Place.objects.filter(path__startswith=root.path).exclude(pk=root.pk)
        .values_list("kind").annotate(n=Count("id"))
    )
    below = [kind for kind in PlaceKind.values if _place_depth(kind) > _place_depth(root.kind)]
    projects = Project.objects.filter(inside).select_related("investor", "place")
    return {
        "area": root,
        "area_ancestors": _ancestors(root),
        "place_counts": [_place_count(kind, per_kind.get(kind, 0)) for kind in below],
        "enterprise_count": Enterprise.objects.filter(inside).count(),
        "project_count": projects.count(),
        "centre_count": ServiceCentre.objects.filter(inside).count(),
        "department_count": Department.objects.filter(inside).count(),
        "projects": list(projects[:HOME_LIST_LIMIT]) if account.role == Role.SUPERVISOR else [],
    }


def _admin(account: Account) -> dict[str, Any]:
    """An administrator (系统管理员): the platform summary."""
    summary = public_summary()
    return {
        "summary": summary,
        "place_counts": [_place_count(kind, n) for kind, n in summary["places"].items()],
        "account_count": Account.objects.filter(is_active=True).count(),
    }


def _organisation(account: Account) -> dict[str, Any]:
    """An enterprise or employer unit (企业 / 机关事业单位): its organisation and its projects."""
    org: Enterprise | None = account.organisation
    if org is None:
        return {"organisation": None}
    projects = Project.objects.filter(Q(investor=org) | Q(company=org)).select_related("place", "lead_steward")
    assignment = _current_assignments().filter(enterprise=org).select_related("commissioner").first()
    return {
        "organisation": org,
        "projects": list(projects[:HOME_LIST_LIMIT]),
        "project_count": projects.count(),
        "commissioner": assignment.commissioner if assignment else None,
    }


def _resident(account: Account) -> dict[str, Any]:
    """A resident (群众): where to start: the village convenience matters and the bundles."""
    return {
        "village_count": Matter.objects.filter(active=True, source=MatterSource.VILLAGE).count(),
        "matter_count": Matter.objects.filter(active=True).count(),
        "bundles": list(Bundle.objects.all()[:HOME_LIST_LIMIT]),
    }


def _current_assignments() -> QuerySet[CommissionerAssignment]:
    """Commissioner assignments in force today: `until` empty or not yet past (as org.access has it)."""
    today = timezone.localdate()
    return CommissionerAssignment.objects.filter(Q(until__isnull=True) | Q(until__gte=today))


def _place_count(kind: str, n: int) -> dict[str, Any]:
    from onestop.web.roles import PLACE_COUNT_LABELS

    return {"kind": kind, "label": PLACE_COUNT_LABELS[kind], "n": n}


def _place_depth(kind: str) -> int:
    return PlaceKind.values.index(kind)


def _ancestors(place: Place) -> list[Place]:
    """The places above `place`, top down (for a breadcrumb such as 西海岸新区 › 泊里镇)."""
    chain: list[Place] = []
    node = place.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


_READERS = {
    "clerk": _clerk,
    "department": _department,
    "steward": _steward,
    "commissioner": _commissioner,
    "area": _area,
    "admin": _admin,
    "organisation": _organisation,
    "resident": _resident,
}
