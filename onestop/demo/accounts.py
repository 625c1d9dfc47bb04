"""Accounts of every role, attached as Account.clean() requires, all sharing one password hash."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from onestop.demo.enterprises import Organisations
from onestop.demo.names import NameMaker
from onestop.demo.org import Organisation
from onestop.demo.places import PlaceTree
from onestop.org.models import Account, Role

SEED = 6606
STEWARDS, COACHES, COMMISSIONERS, RESIDENTS = 24, 6, 81, 40
TOWN_AGENTS, BOLI_CLERKS, DISTRICT_CLERKS = 6, 6, 4
# Departments whose staff serve as stewards, coaches and commissioners (机关干部).
STEWARD_DEPARTMENTS = ("BL-ZWFW", "BL-ZWFW", "BL-JFZX", "BL-GHJS", "BL-ZRZY")
COACH_DEPARTMENTS = ("BL-ZWFW", "BL-GHJS", "BL-ZRZY")
# One account per role for the printed table.
SHOWN = (
    "admin", "clerk_boli01", "approver_bl_ghjs1", "head_bl_ghjs", "steward01", "coach01", "supervisor_boli1",
    "agent_boli01", "grid_v001_g1", "commissioner01", "ent001", "unit01", "resident01",
)


@dataclass
class People:
    all: list[Account] = field(default_factory=list)

    def of(self, role: str) -> list[Account]:
        return [a for a in self.all if a.role == role]


class _Builder:
    def __init__(self, password_hash: str) -> None:
        self.names = NameMaker(SEED)
        self.rng = random.Random(SEED)
        self.password_hash = password_hash
        self.people = People()

    def add(self, username: str, role: str, display_name: str | None = None, **attached) -> Account:
        account = Account(
            username=username, role=role, display_name=display_name or self.names.person(),
            email=f"{username}@onestop.example", phone=self.names.mobile(), password=self.password_hash,
            is_active=True, **attached,
        )
        account.clean()  # the role's attachment is there
        self.people.all.append(account)
        return account


def build(tree: PlaceTree, org: Organisation, orgs: Organisations, password_hash: str) -> People:
    """Build (unsaved) then bulk-insert every demo account."""
    b = _Builder(password_hash)
    depts = org.departments
    b.add("admin", Role.ADMINISTRATOR, is_staff=True, is_superuser=True, place=tree.district)
    b.add("admin_boli", Role.ADMINISTRATOR, is_staff=True, place=tree.boli)
    for n in range(1, DISTRICT_CLERKS + 1):
        b.add(f"clerk_xha{n:02d}", Role.WINDOW_CLERK, service_centre=org.district_centre)
    for n in range(1, BOLI_CLERKS + 1):
        b.add(f"clerk_boli{n:02d}", Role.WINDOW_CLERK, service_centre=org.boli_centre)
    for town, centre in zip(tree.towns[1:], org.town_centres[1:]):
        for n in (1, 2):
            b.add(f"clerk_{town.code}{n:02d}", Role.WINDOW_CLERK, service_centre=centre)
    for village, point in zip(tree.villages[: len(tree.communities)], org.village_points):
        b.add(f"clerk_{village.code}", Role.WINDOW_CLERK, service_centre=point)
    for code, department in depts.items():
        slug = code.lower().replace("-", "_")
        b.add(f"head_{slug}", Role.DEPARTMENT_HEAD, department=department)
        for n in (1, 2):
            b.add(f"approver_{slug}{n}", Role.APPROVER, department=department)
    for n in range(1, STEWARDS + 1):
        b.add(f"steward{n:02d}", Role.STEWARD, department=depts[b.rng.choice(STEWARD_DEPARTMENTS)], place=tree.boli)
    for n in range(1, COACHES + 1):
        b.add(f"coach{n:02d}", Role.COACH, department=depts[COACH_DEPARTMENTS[(n - 1) % len(COACH_DEPARTMENTS)]])
    b.add("supervisor_xha", Role.SUPERVISOR, place=tree.district)
    for n in (1, 2):
        b.add(f"supervisor_boli{n}", Role.SUPERVISOR, place=tree.boli)
    for n in range(1, TOWN_AGENTS + 1):
        b.add(f"agent_boli{n:02d}", Role.HELP_AGENT, place=tree.boli, service_centre=org.boli_centre)
    for village, point in zip(tree.villages, org.village_points):
        b.add(f"agent_{village.code}", Role.HELP_AGENT, place=village, service_centre=point)
    villages_by_id = {v.pk: v for v in tree.villages}
    for grid in tree.grids:
        b.add(f"grid_{villages_by_id[grid.parent_id].code}_{grid.code}", Role.GRID_WORKER, place=grid)
    town_departments = [d for code, d in depts.items() if code.startswith("BL-")]
    for n in range(1, COMMISSIONERS + 1):
        b.add(f"commissioner{n:02d}", Role.COMMISSIONER, department=b.rng.choice(town_departments), place=tree.boli)
    for n, enterprise in enumerate(orgs.boli + orgs.others, start=1):
        b.add(f"ent{n:03d}", Role.ENTERPRISE, organisation=enterprise)
    for n, unit in enumerate(orgs.units, start=1):
        b.add(f"unit{n:02d}", Role.EMPLOYER_UNIT, organisation=unit)
    for n in range(1, RESIDENTS + 1):
        b.add(f"resident{n:02d}", Role.RESIDENT, place=b.rng.choice(tree.villages))
    Account.objects.bulk_create(b.people.all)
    return b.people
