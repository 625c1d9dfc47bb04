"""The write side of the organisation: places, service centres, departments and accounts (administrators).

Each action checks the caller (403), validates (400 naming the field), writes in one transaction and
appends an audit event to the chain of the thing created (the account for accounts).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from onestop.audit.actions import record, snapshot
from onestop.errors import field_error
from onestop.org import access
from onestop.org.cleaning import clean_or_raise, lookup
from onestop.org.models import PLACE_DEPTH, Account, Department, Place, PlaceKind, ServiceCentre

#: What an account's audit snapshot shows (never the password hash).
ACCOUNT_FIELDS = ["username", "display_name", "email", "phone", "role", "department", "service_centre", "place",
                  "organisation", "is_active", "is_staff", "is_superuser"]


def _require_admin(actor: Account) -> None:
    access.require(access.can_administer_org(actor), "只有系统管理员可以维护组织机构和账号。",
                   "Only administrators may maintain the organisation and accounts.")


def _place(pk: Any, field: str = "place_id") -> Place | None:
    return None if pk is None else lookup(Place.objects.all(), pk, field, "地点", "place")


def create_place(actor: Account, *, kind: str, code: str, name: str, latitude: Decimal, longitude: Decimal,
                 parent_id: int | None = None) -> Place:
    """新增地点: a place one level below its parent (a district has none)."""
    _require_admin(actor)
    if kind not in PlaceKind.values:
        raise field_error("kind", "地点层级无效。", f"must be one of {', '.join(PlaceKind.values)}")
    parent = _place(parent_id, "parent_id")
    depth = PLACE_DEPTH[kind]
    if (parent is None) != (depth == 0) or (parent and PLACE_DEPTH[parent.kind] != depth - 1):
        expected = "none" if depth == 0 else PlaceKind.values[depth - 1]
        raise field_error("parent_id", "上级地点的层级不对。", f"the parent of a {kind} must be: {expected}")
    if not -90 <= Decimal(latitude) <= 90:
        raise field_error("latitude", "纬度应在-90到90之间。", "must be between -90 and 90")
    if not -180 <= Decimal(longitude) <= 180:
        raise field_error("longitude", "经度应在-180到180之间。", "must be between -180 and 180")
    with transaction.atomic():
        if Place.objects.filter(parent=parent, code=code).exists():
            raise field_error("code", "同一上级下地点编码重复。", "code already used under this parent", code="duplicate")
        place = Place(kind=kind, code=code, name=name, parent=parent, latitude=latitude, longitude=longitude)
        place.path = (parent.path if parent else "") + code + "/"
        clean_or_raise(place, validate_unique=False)
        place.save()
        record(place, "place.created", actor, after=snapshot(place))
    return place


def create_service_centre(actor: Account, *, name: str, level: str, place_id: int, address: str = "",
                          phone: str = "") -> ServiceCentre:
    """新增服务中心 / 便民服务点."""
    _require_admin(actor)
    place = _place(place_id)
    if place is None:
        raise field_error("place_id", "请选择地点。", "a place is required", code="required")
    with transaction.atomic():
        if ServiceCentre.objects.filter(name=name).exists():
            raise field_error("name", "服务中心名称重复。", "name already used", code="duplicate")
        centre = ServiceCentre(name=name, level=level, place=place, address=address, phone=phone)
        clean_or_raise(centre, validate_unique=False)
        centre.save()
        record(centre, "service_centre.created", actor, after=snapshot(centre))
    return centre


def create_department(actor: Account, *, code: str, name: str, hall_role: str, place_id: int,
                      phone: str = "") -> Department:
    """新增部门, with its hall role (牵头 / 常驻 / 随驻)."""
    _require_admin(actor)
    place = _place(place_id)
    if place is None:
        raise field_error("place_id", "请选择地点。", "a place is required", code="required")
    with transaction.atomic():
        if Department.objects.filter(code=code).exists():
            raise field_error("code", "部门编码重复。", "code already used", code="duplicate")
        department = Department(code=code, name=name, hall_role=hall_role, place=place, phone=phone)
        clean_or_raise(department, validate_unique=False)
        department.save()
        record(department, "department.created", actor, after=snapshot(department))
    return department


def create_account(actor: Account, *, username: str, role: str, display_name: str, password: str | None = None,
                   email: str = "", phone: str = "", department_id: int | None = None,
                   service_centre_id: int | None = None, place_id: int | None = None,
                   organisation_id: int | None = None) -> Account:
    """新增账号: the role's attachment (department, centre, place, organisation) is required by `Account.clean`."""
    from onestop.enterprises.models import Enterprise

    _require_admin(actor)
    account = Account(
        username=username, role=role, display_name=display_name, email=email, phone=phone,
        department=None if department_id is None else lookup(
            Department.objects.all(), department_id, "department_id", "部门", "department"),
        service_centre=None if service_centre_id is None else lookup(
            ServiceCentre.objects.all(), service_centre_id, "service_centre_id", "服务中心", "service centre"),
        place=_place(place_id),
        organisation=None if organisation_id is None else lookup(
            Enterprise.objects.all(), organisation_id, "organisation_id", "单位", "organisation"),
    )
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()
    with transaction.atomic():
        if Account.objects.filter(username=username).exists():
            raise field_error("username", "用户名已被使用。", "username already taken", code="duplicate")
        clean_or_raise(account, exclude=["password"], validate_unique=False)
        account.save()
        record(account, "account.created", actor, after=snapshot(account, ACCOUNT_FIELDS))
    return account
