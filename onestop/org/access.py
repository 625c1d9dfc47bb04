"""The permission table of DESIGN.md as code: who sees which enterprises and projects, who may change them.

Two questions, always asked in this order:

1. *Does the caller see it?* (`visible_enterprises`, `visible_projects`, `enterprise_for`, `project_for`).
   If not, the answer is 404 (`NotFound`): the thing's existence is not revealed.
2. *May the caller do this to it?* (the `can_*` predicates, enforced by `require`). If not, 403
   (`Forbidden`).

Who sees what (看得见的范围):

- administrator (系统管理员, or a Django superuser): everything.
- enterprise / employer unit (企业 / 机关事业单位): its own organisation, and the projects in which it is the
  investor or the project company. A resident (群众) has no organisation, so sees none.
- commissioner (企业特派员): the enterprises of its *current* assignments (`until` empty or not yet past),
  and those enterprises' projects (as investor or company).
- steward / coach (项目管家 / 项目辅导员): the projects it leads (`Project.lead_steward`) or coaches
  (`Project.coach`), and those projects' investors and companies.
- area roles: window clerk (its service centre's place), department approver and head (their department's
  place), supervisor, help agent and grid worker (their own `place`). They see every project located in
  that place's subtree (`Place.path` prefix, one indexed query), every enterprise registered there, and
  additionally the investors and companies of the projects they see: a clerk of 泊里镇 who sees a project
  in 泊里镇 must be able to open its investor even if the investor is registered in another town.
  A district-level centre or department therefore covers the whole district.
  Approvers see the whole area rather than "their department's tasks" because enterprises and projects
  carry no tasks; the approvals app narrows applications to the department's tasks on its own.
- anonymous or inactive callers: nothing.

Who may do what (may do):

- register an enterprise: window clerk (inside its area), administrator.
- update an enterprise: window clerk and administrator, any field; the organisation itself only the fields
  of `SELF_EDITABLE_ENTERPRISE_FIELDS` (its address and industry; name, code, legal representative and
  designations come from the registration authority).
- add a contact: administrator, window clerk, the organisation itself, its current commissioner.
- create a project: administrator, window clerk (inside its area), steward (who becomes its lead steward
  unless one is named), and an enterprise or employer unit for its own organisation as investor.
- edit a project's description (name, address, investment, industry, place, company): administrator,
  window clerk, its lead steward, and its investor.
- set the stage and record the land certificate: administrator, window clerk, its lead steward.
- assign the lead steward or coach: administrator, supervisor (inside its area).
- create accounts, places, departments, service centres: administrator.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from onestop.errors import Forbidden, NotFound
from onestop.org.models import AREA_ROLES, DEPARTMENT_ROLES, Account, Place, Role

#: Roles whose visibility is a subtree of places.
AREA_SCOPED_ROLES = frozenset({Role.WINDOW_CLERK, *DEPARTMENT_ROLES, *AREA_ROLES})
#: Roles that see what they lead or coach.
PROJECT_STAFF_ROLES = frozenset({Role.STEWARD, Role.COACH})
#: Roles that speak for an organisation.
ORGANISATION_ROLES = frozenset({Role.ENTERPRISE, Role.EMPLOYER_UNIT})
#: What an organisation may change about itself.
SELF_EDITABLE_ENTERPRISE_FIELDS = frozenset({"address", "industry"})
#: The descriptive fields of a project (as opposed to its stage, land status and staff).
PROJECT_DESCRIPTIVE_FIELDS = frozenset({"name", "address", "investment", "industry", "place", "company", "description"})

NOTHING = Q(pk__in=[])


def is_logged_in(account: Account | None) -> bool:
    return bool(account is not None and account.is_authenticated and account.is_active)


def is_admin(account: Account | None) -> bool:
    """Administrator role or Django superuser (系统管理员)."""
    return is_logged_in(account) and (account.is_superuser or account.role == Role.ADMINISTRATOR)


def has_role(account: Account | None, *roles: str) -> bool:
    return is_logged_in(account) and account.role in roles


def area_of(account: Account | None) -> Place | None:
    """The root of the caller's area (辖区), or None for a role without one.

    Clerk: its service centre's place; approver and head: its department's place; supervisor, help agent
    and grid worker: its own place.
    """
    if not is_logged_in(account):
        return None
    if account.role == Role.WINDOW_CLERK and account.service_centre_id:
        return account.service_centre.place
    if account.role in DEPARTMENT_ROLES and account.department_id:
        return account.department.place
    if account.role in AREA_ROLES:
        return account.place
    return None


def in_area(account: Account, place: Place | None) -> bool:
    """Whether `place` lies in the caller's area (administrators: everywhere)."""
    if is_admin(account):
        return True
    root = area_of(account)
    return bool(root and place and place.path.startswith(root.path))


def current_assignments(account: Account, today: date | None = None) -> Q:
    """The commissioner's current assignments, as a filter on CommissionerAssignment."""
    today = today or timezone.localdate()
    return Q(commissioner=account) & (Q(until__isnull=True) | Q(until__gte=today))


def _assigned_enterprise_ids(account: Account) -> QuerySet:
    from onestop.enterprises.models import CommissionerAssignment

    return CommissionerAssignment.objects.filter(current_assignments(account)).values("enterprise_id")


def _staffed_projects(account: Account) -> Q:
    """Projects the account leads or coaches, or helps on as a current helper steward (stewards.Assignment)."""
    from django.apps import apps

    helping = apps.get_model("stewards", "Assignment").objects.filter(steward=account, until__isnull=True)
    return Q(lead_steward=account) | Q(coach=account) | Q(pk__in=helping.values("project_id"))


def project_filter(account: Account | None) -> Q | None:
    """The filter on Project for what the caller sees; None means everything."""
    if not is_logged_in(account):
        return NOTHING
    if is_admin(account):
        return None
    role = account.role
    if role in ORGANISATION_ROLES:
        org = account.organisation_id
        return Q(investor_id=org) | Q(company_id=org) if org else NOTHING
    if role == Role.COMMISSIONER:
        ids = _assigned_enterprise_ids(account)
        return Q(investor_id__in=ids) | Q(company_id__in=ids)
    if role in PROJECT_STAFF_ROLES:
        return _staffed_projects(account)
    if role in AREA_SCOPED_ROLES:
        root = area_of(account)
        return Q(place__path__startswith=root.path) if root else NOTHING
    return NOTHING


def enterprise_filter(account: Account | None) -> Q | None:
    """The filter on Enterprise for what the caller sees; None means everything."""
    from onestop.enterprises.models import Project

    if not is_logged_in(account):
        return NOTHING
    if is_admin(account):
        return None
    role = account.role
    if role in ORGANISATION_ROLES:
        return Q(pk=account.organisation_id) if account.organisation_id else NOTHING
    if role == Role.COMMISSIONER:
        return Q(pk__in=_assigned_enterprise_ids(account))
    if role in PROJECT_STAFF_ROLES or role in AREA_SCOPED_ROLES:
        projects = Project.objects.filter(project_filter(account))
        of_projects = Q(pk__in=projects.values("investor_id")) | Q(pk__in=projects.values("company_id"))
        if role in PROJECT_STAFF_ROLES:
            return of_projects
        root = area_of(account)
        return (Q(place__path__startswith=root.path) | of_projects) if root else NOTHING
    return NOTHING


def visible_enterprises(account: Account | None) -> QuerySet:
    from onestop.enterprises.models import Enterprise

    q = enterprise_filter(account)
    return Enterprise.objects.all() if q is None else Enterprise.objects.filter(q)


def visible_projects(account: Account | None) -> QuerySet:
    from onestop.enterprises.models import Project

    q = project_filter(account)
    return Project.objects.all() if q is None else Project.objects.filter(q)


def enterprise_for(account: Account | None, pk: int, *, for_update: bool = False):
    """The enterprise if the caller sees it, else NotFound (404)."""
    found = visible_enterprises(account).filter(pk=pk).first()
    if found is None:
        raise NotFound("enterprise", "企业")
    # Lock by primary key alone: the visibility filter may outer-join, which FOR UPDATE refuses on PostgreSQL.
    return type(found).objects.select_for_update().get(pk=found.pk) if for_update else found


def project_for(account: Account | None, pk: int, *, for_update: bool = False):
    """The project if the caller sees it, else NotFound (404)."""
    found = visible_projects(account).filter(pk=pk).first()
    if found is None:
        raise NotFound("project", "项目")
    # Lock by primary key alone: the visibility filter may outer-join, which FOR UPDATE refuses on PostgreSQL.
    return type(found).objects.select_for_update().get(pk=found.pk) if for_update else found


def require(allowed: bool, zh: str = "您无权执行此操作。", en: str = "You may not do this.", **kw) -> None:
    """Raise Forbidden (403) unless `allowed`."""
    if not allowed:
        raise Forbidden(zh, en, **kw)


# --- may do -------------------------------------------------------------------------------------------


def _is_clerk(account: Account) -> bool:
    return has_role(account, Role.WINDOW_CLERK)


def can_register_enterprise(account: Account | None) -> bool:
    return is_admin(account) or _is_clerk(account)


def editable_enterprise_fields(account: Account | None, enterprise) -> frozenset[str] | None:
    """The fields the caller may change on a visible enterprise: None means all, empty means none."""
    if is_admin(account) or _is_clerk(account):
        return None
    if has_role(account, *ORGANISATION_ROLES) and account.organisation_id == enterprise.pk:
        return SELF_EDITABLE_ENTERPRISE_FIELDS
    return frozenset()


def is_current_commissioner(account: Account | None, enterprise) -> bool:
    from onestop.enterprises.models import CommissionerAssignment

    return has_role(account, Role.COMMISSIONER) and CommissionerAssignment.objects.filter(
        current_assignments(account), enterprise=enterprise
    ).exists()


def can_add_contact(account: Account | None, enterprise) -> bool:
    if is_admin(account) or _is_clerk(account):
        return True
    if has_role(account, *ORGANISATION_ROLES):
        return account.organisation_id == enterprise.pk
    return is_current_commissioner(account, enterprise)


def can_create_project(account: Account | None) -> bool:
    return is_admin(account) or has_role(account, Role.WINDOW_CLERK, Role.STEWARD, *ORGANISATION_ROLES)


def _leads(account: Account, project) -> bool:
    return has_role(account, Role.STEWARD) and project.lead_steward_id == account.pk


def can_edit_project(account: Account | None, project) -> bool:
    """Descriptive fields: administrator, clerk, lead steward, the investor."""
    if is_admin(account) or _is_clerk(account) or _leads(account, project):
        return True
    return has_role(account, *ORGANISATION_ROLES) and account.organisation_id == project.investor_id


def can_manage_project(account: Account | None, project) -> bool:
    """Stage and land certificate: administrator, clerk, lead steward."""
    return is_admin(account) or _is_clerk(account) or _leads(account, project)


def can_assign_project_staff(account: Account | None, project) -> bool:
    """Lead steward and coach: administrator, supervisor of the project's area."""
    return is_admin(account) or (has_role(account, Role.SUPERVISOR) and in_area(account, project.place))


def can_administer_org(account: Account | None) -> bool:
    """Accounts, places, departments, service centres."""
    return is_admin(account)


def scope_of(account: Account | None) -> dict:
    """What the caller's visibility rests on, for /api/me and the home page."""
    if is_admin(account):
        return {"kind": "all", "place": None}
    role = account.role if is_logged_in(account) else None
    if role in ORGANISATION_ROLES:
        return {"kind": "organisation", "place": None}
    if role == Role.COMMISSIONER:
        return {"kind": "assigned_enterprises", "place": None}
    if role in PROJECT_STAFF_ROLES:
        return {"kind": "staffed_projects", "place": None}
    if role in AREA_SCOPED_ROLES:
        return {"kind": "area", "place": area_of(account)}
    return {"kind": "none", "place": None}
