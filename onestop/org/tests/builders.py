"""A representative world for permission tests: one account of every role, each placed so that the
in-scope enterprise and project fall inside what that role sees, plus an out-of-scope pair nobody but an
administrator sees.

泊里镇 (town) > community > village > grid: the enterprise E and its project P are located in the grid, so
every area role of the town (clerk, approver, head, supervisor, help agent) and the grid worker see them.
E's own account, its commissioner, P's lead steward and coach see them through their assignment.
The employer unit U and the outside enterprise O with project Q are in 大场镇 (the other town).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from onestop import testing
from onestop.enterprises.models import CommissionerAssignment, Enterprise, OrganisationKind, Project
from onestop.org.models import Account, Department, Place, Role, ServiceCentre


@dataclass
class World:
    places: dict[str, Place]
    centre: ServiceCentre
    department: Department
    enterprise: Enterprise
    project: Project
    employer_unit: Enterprise
    outside_enterprise: Enterprise
    outside_project: Project
    accounts: dict[str, Account] = field(default_factory=dict)


def account_for(role: str, w: World, **kw) -> Account:
    """An account of `role` attached the way the world needs it."""
    attach = {
        Role.WINDOW_CLERK: {"service_centre": w.centre},
        Role.APPROVER: {"department": w.department},
        Role.DEPARTMENT_HEAD: {"department": w.department},
        Role.SUPERVISOR: {"place": w.places["town"]},
        Role.HELP_AGENT: {"place": w.places["town"]},
        Role.GRID_WORKER: {"place": w.places["grid"]},
        Role.ENTERPRISE: {"organisation": w.enterprise},
        Role.EMPLOYER_UNIT: {"organisation": w.employer_unit},
    }.get(role, {})
    return testing.account(role, **{**attach, **kw})


def world(places: dict[str, Place]) -> World:
    town, grid, other = places["town"], places["grid"], places["other_town"]
    w = World(
        places=places,
        centre=testing.service_centre(town, name="泊里镇便民服务中心"),
        department=testing.department(town, name="泊里镇经济发展和投资促进中心"),
        enterprise=testing.enterprise(name="青岛海之晨工业装备有限公司", place=grid, industry="智能制造"),
        project=None,  # set below
        employer_unit=testing.enterprise(name="大场镇中心小学", kind=OrganisationKind.EMPLOYER_UNIT, place=other),
        outside_enterprise=testing.enterprise(name="大场镇某食品有限公司", place=other, industry="食品加工"),
        outside_project=None,
    )
    for role in Role.values:
        w.accounts[role] = account_for(role, w)
    w.project = testing.project(w.enterprise, grid, name="青岛市氢能产业园", lead_steward=w.accounts[Role.STEWARD],
                                coach=w.accounts[Role.COACH])
    w.outside_project = testing.project(w.outside_enterprise, other, name="大场镇冷链仓储项目")
    CommissionerAssignment.objects.create(commissioner=w.accounts[Role.COMMISSIONER], enterprise=w.enterprise,
                                          since=date(2026, 1, 1))
    return w
