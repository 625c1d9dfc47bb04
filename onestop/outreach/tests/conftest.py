"""A small real world for the outreach tests: a town with a village and two grids, agents at each level."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onestop import testing as t
from onestop.catalog.models import Matter
from onestop.enterprises.models import CommissionerAssignment
from onestop.org.models import CentreLevel, PlaceKind, Role

SH = ZoneInfo("Asia/Shanghai")


def day(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@dataclass
class World:
    p: dict
    grid2: Any
    village2: Any
    town_agents: list
    village_agent: Any
    grid_worker: Any
    other_agent: Any
    supervisor: Any
    resident: Any
    enterprise: Any
    enterprise_user: Any
    commissioner: Any
    other_commissioner: Any
    department: Any
    approver: Any
    village_matter: Matter
    town_matter: Matter
    village_point: Any
    town_centre: Any
    admin: Any


@pytest.fixture
def w(db) -> World:
    return build_world()


def build_world() -> World:
    p = t.place_tree()
    grid2 = t.place(PlaceKind.GRID, p["village"], name="东泊里村第二网格")
    village2 = t.place(PlaceKind.VILLAGE, p["community"], name="西泊里村")
    town_centre = t.service_centre(p["town"], name="泊里镇便民服务中心")
    village_point = t.service_centre(p["village"], name="东泊里村便民服务点", level=CentreLevel.VILLAGE)
    dept = t.department(p["town"], name="泊里镇社会事务办", code="BL-SHSW")
    village_matter = Matter.objects.create(code="V001", name="老年人优待证办理", department=dept, promised_limit=1,
                                           legal_limit=5, lowest_level="village", source="village")
    town_matter = Matter.objects.create(code="T001", name="个体工商户设立登记", department=dept, promised_limit=3,
                                        legal_limit=15, lowest_level="town", source="delegated")
    ent = t.enterprise(name="泊里食品有限公司", place=p["town"])
    commissioner = t.account(Role.COMMISSIONER, display_name="王特派", department=dept, place=p["town"])
    CommissionerAssignment.objects.create(commissioner=commissioner, enterprise=ent, since=day(2026, 1, 1).date())
    return World(
        p=p, grid2=grid2, village2=village2,
        town_agents=[t.account(Role.HELP_AGENT, display_name=f"镇帮办{n}", place=p["town"], service_centre=town_centre)
                     for n in (1, 2)],
        village_agent=t.account(Role.HELP_AGENT, display_name="村帮办", place=p["village"], service_centre=village_point),
        grid_worker=t.account(Role.GRID_WORKER, display_name="网格员甲", place=p["grid"]),
        other_agent=t.account(Role.HELP_AGENT, display_name="大场帮办", place=p["other_town"]),
        supervisor=t.account(Role.SUPERVISOR, place=p["town"]),
        resident=t.account(Role.RESIDENT, display_name="李大娘", place=p["village"]),
        enterprise=ent, enterprise_user=t.account(Role.ENTERPRISE, organisation=ent),
        commissioner=commissioner,
        other_commissioner=t.account(Role.COMMISSIONER, display_name="赵特派", department=dept, place=p["town"]),
        department=dept, approver=t.account(Role.APPROVER, department=dept),
        village_matter=village_matter, town_matter=town_matter, village_point=village_point, town_centre=town_centre,
        admin=t.account(Role.ADMINISTRATOR, is_superuser=True, is_staff=True),
    )
