"""A small real world for the steward and feedback tests: a town, its supervisor, stewards, enterprises,
projects with lead stewards assigned through the stewards' action, and a department."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from onestop.org.models import Role
from onestop.stewards import actions
from onestop.testing import account, department, enterprise, project
from onestop.worktime.clock import SHANGHAI


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Asia/Shanghai."""
    return datetime.combine(date(y, m, d), time(hour, minute), tzinfo=SHANGHAI)


@dataclass
class World:
    places: dict
    admin: object = None
    supervisor: object = None
    outsider_supervisor: object = None
    approver: object = None
    department: object = None
    stewards: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)
    users: list = field(default_factory=list)  # one enterprise account per enterprise
    projects: list = field(default_factory=list)
    outsider: object = None  # an enterprise account of an enterprise without these projects


def build(places: dict, *, n_stewards: int = 3, n_projects: int = 3, since: datetime | None = None) -> World:
    """Project i (investor enterprise i) is led by steward i, assigned by the administrator at `since`."""
    w = World(places)
    town = places["town"]
    w.admin = account(Role.ADMINISTRATOR)
    w.supervisor = account(Role.SUPERVISOR, place=town)
    w.outsider_supervisor = account(Role.SUPERVISOR, place=places["other_town"])
    w.department = department(town, name="规划建设办公室")
    w.approver = account(Role.APPROVER, department=w.department)
    w.stewards = [account(Role.STEWARD, display_name=f"管家{i + 1}") for i in range(n_stewards)]
    for i in range(n_projects):
        ent = enterprise(name=f"海之晨{i + 1}有限公司")
        w.enterprises.append(ent)
        w.users.append(account(Role.ENTERPRISE, organisation=ent))
        proj = project(ent, town, name=f"项目{i + 1}")
        w.projects.append(proj)
        if i < n_stewards:
            actions.assign_lead(w.admin, proj.pk, w.stewards[i].pk, at=since or at(2026, 9, 1))
    other = enterprise(name="外人有限公司")
    w.outsider = account(Role.ENTERPRISE, organisation=other)
    return w
