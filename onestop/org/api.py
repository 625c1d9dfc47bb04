"""The organisation's API: the place tree, service centres, departments (public) and /me (logged in).

Places, service centres and departments are the published organisation of the hall (where to go, who
handles what, office phones): they carry no personal data and a citizen looking for the nearest service
point has no account, so they are readable without logging in, like `/api/summary`.
"""

from typing import Optional

from django.http import HttpRequest
from ninja import Router

from onestop.org import access, queries
from onestop.org.models import CentreLevel, HallRole, PlaceKind
from onestop.org.schemas import DepartmentOut, ErrorOut, MeOut, PlaceDetail, PlaceOut, ServiceCentreOut

router = Router(tags=["organisation"])


@router.get("/places", response={200: list[PlaceOut], 400: ErrorOut}, auth=None)
def list_places(request: HttpRequest, kind: Optional[PlaceKind] = None, parent: Optional[int] = None,
                within: Optional[int] = None, roots: bool = False, q: Optional[str] = None):
    """Places in tree order (by path). `parent`: its children; `within`: its whole subtree; `roots`: tops."""
    return list(queries.places(kind=kind, parent=parent, within=within, roots=roots, q=q))


@router.get("/places/{place_id}", response={200: PlaceDetail, 404: ErrorOut}, auth=None)
def get_place(request: HttpRequest, place_id: int):
    """One place with its ancestors (root first)."""
    return queries.place_detail(place_id)


@router.get("/service-centres", response={200: list[ServiceCentreOut], 400: ErrorOut}, auth=None)
def list_service_centres(request: HttpRequest, level: Optional[CentreLevel] = None, within: Optional[int] = None):
    """Service centres and village service points; `within`: those in a place's subtree."""
    return list(queries.service_centres(level=level, within=within))


@router.get("/departments", response={200: list[DepartmentOut], 400: ErrorOut}, auth=None)
def list_departments(request: HttpRequest, hall_role: Optional[HallRole] = None, within: Optional[int] = None):
    """Departments with their hall role (lead 牵头 / resident 常驻 / on demand 随驻)."""
    return list(queries.departments(hall_role=hall_role, within=within))


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest):
    """The caller's account, role, what its visibility rests on, and what it may create."""
    user = request.auth
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name or user.username,
        "role": user.role, "role_label": str(user.get_role_display()),
        "department": user.department, "service_centre": user.service_centre, "place": user.place,
        "organisation": user.organisation, "scope": access.scope_of(user),
        "may": {"register_enterprise": access.can_register_enterprise(user),
                "create_project": access.can_create_project(user),
                "administer_org": access.can_administer_org(user)},
    }
