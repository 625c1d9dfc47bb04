"""Typed API schemas of the organisation (also reused by enterprises for references to places and people)."""
from __future__ import annotations

from typing import Optional

from ninja import Schema

from onestop.org.models import PLACE_DEPTH


class ErrorMessage(Schema):
    zh: str
    en: str


class ErrorOut(Schema):
    """DESIGN.md's one error shape."""

    error: str
    message: ErrorMessage
    fields: dict[str, str] = {}
    state: Optional[str] = None


class PlaceRef(Schema):
    id: int
    kind: str
    code: str
    name: str


class PlaceOut(Schema):
    """A place; `path` and `depth` let a flat list ordered by path be drawn as a tree."""

    id: int
    kind: str
    kind_label: str
    code: str
    name: str
    parent_id: Optional[int]
    path: str
    depth: int
    latitude: float
    longitude: float
    children_count: int = 0

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_depth(obj) -> int:
        return PLACE_DEPTH.get(obj.kind, 0)


class PlaceDetail(PlaceOut):
    ancestors: list[PlaceRef]


class ServiceCentreOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    place: PlaceRef
    address: str
    phone: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class DepartmentOut(Schema):
    """A department with its hall role: lead 牵头, resident 常驻, on demand 随驻."""

    id: int
    code: str
    name: str
    hall_role: str
    hall_role_label: str
    place: PlaceRef
    phone: str

    @staticmethod
    def resolve_hall_role_label(obj) -> str:
        return str(obj.get_hall_role_display())


class AccountRef(Schema):
    id: int
    display_name: str
    role: str


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class CentreRef(Schema):
    id: int
    name: str
    level: str


class OrganisationRef(Schema):
    id: int
    kind: str
    name: str
    credit_code: str


class ScopeOut(Schema):
    """What the caller's visibility rests on: all, organisation, assigned_enterprises, staffed_projects,
    area (with its root place) or none."""

    kind: str
    place: Optional[PlaceRef]


class MayOut(Schema):
    register_enterprise: bool
    create_project: bool
    administer_org: bool


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    department: Optional[DepartmentRef]
    service_centre: Optional[CentreRef]
    place: Optional[PlaceRef]
    organisation: Optional[OrganisationRef]
    scope: ScopeOut
    may: MayOut
