"""Builders for tests: a small real organisation, accounts of every role, enterprises with valid codes.

Plain functions over the real models (no mocks); each builder takes keyword overrides.
"""
from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from onestop.enterprises.creditcode import make as make_credit_code
from onestop.enterprises.models import Enterprise, Project
from onestop.org.models import Account, CentreLevel, Department, HallRole, Place, PlaceKind, Role, ServiceCentre

_serial = itertools.count(1)


def place(kind: str = PlaceKind.DISTRICT, parent: Place | None = None, **kw: Any) -> Place:
    n = next(_serial)
    defaults = {"code": f"{kind[:1]}{n}", "name": f"{PlaceKind(kind).label}{n}", "latitude": Decimal("35.9"), "longitude": Decimal("119.9")}
    return Place.objects.create(kind=kind, parent=parent, **{**defaults, **kw})


def place_tree() -> dict[str, Place]:
    """district > town > community > village > grid, one of each, plus a second town."""
    district = place(PlaceKind.DISTRICT, name="西海岸新区", code="370211")
    town = place(PlaceKind.TOWN, district, name="泊里镇", code="boli")
    community = place(PlaceKind.COMMUNITY, town, name="泊里新村")
    village = place(PlaceKind.VILLAGE, community, name="东泊里村")
    grid = place(PlaceKind.GRID, village, name="东泊里村第一网格")
    other_town = place(PlaceKind.TOWN, district, name="大场镇", code="dachang")
    return {"district": district, "town": town, "community": community, "village": village, "grid": grid,
            "other_town": other_town}


def department(place_: Place, **kw: Any) -> Department:
    n = next(_serial)
    defaults = {"code": f"D{n}", "name": f"部门{n}", "hall_role": HallRole.RESIDENT}
    return Department.objects.create(place=place_, **{**defaults, **kw})


def service_centre(place_: Place, **kw: Any) -> ServiceCentre:
    n = next(_serial)
    defaults = {"name": f"便民服务中心{n}", "level": CentreLevel.TOWN}
    return ServiceCentre.objects.create(place=place_, **{**defaults, **kw})


def account(role: str, **kw: Any) -> Account:
    n = next(_serial)
    defaults = {"username": f"{role}{n}", "display_name": f"{Role(role).label}{n}", "email": f"{role}{n}@example.cn"}
    user = Account(role=role, **{**defaults, **kw})
    user.set_password("demo-pass-123")
    user.full_clean(exclude=["password"])
    user.save()
    return user


def enterprise(**kw: Any) -> Enterprise:
    n = next(_serial)
    defaults = {"name": f"测试企业{n}有限公司", "credit_code": make_credit_code("9", "1", "370211", n),
                "legal_representative": "张三"}
    return Enterprise.objects.create(**{**defaults, **kw})


def project(investor: Enterprise, place_: Place, **kw: Any) -> Project:
    n = next(_serial)
    defaults = {"code": f"P{n}", "name": f"测试项目{n}", "investment": Decimal("1000.00"), "industry": "制造业"}
    return Project.objects.create(investor=investor, place=place_, **{**defaults, **kw})
