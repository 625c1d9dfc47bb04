"""What each role works on, in one line, and the navigation each role gets (English msgids, zh-hans in .po).

The model choice labels (roles, place kinds, stages...) belong to their apps; they are repeated here with
`gettext_noop` so this app's catalogue translates every label its pages show even before those apps ship
their own translations.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from onestop.org.models import APPLICANT_ROLES, DEPARTMENT_ROLES, Account, HallRole, PlaceKind, Role

# One line per role: what this person works on (shown under the home page's heading).
WORKS_ON = {
    Role.WINDOW_CLERK: _(
        "You take applications at the comprehensive window of your service centre: check the materials, "
        "tell the applicant once what is missing, accept, and issue the results together."
    ),
    Role.APPROVER: _("You handle your department's tasks in parallel approval."),
    Role.DEPARTMENT_HEAD: _(
        "You lead your department's approvals: extensions, and answers to overdue ledger entries."
    ),
    Role.STEWARD: _("You walk the enterprises of your projects through landing, from approval to operation."),
    Role.COACH: _("You give pre-application guidance on the projects you coach."),
    Role.SUPERVISOR: _("You oversee everything in your area: time limits, overdue items and return visits."),
    Role.HELP_AGENT: _("You take help requests in your area and run errands for applicants."),
    Role.GRID_WORKER: _("You are the first contact in your grid: help requests and enterprise visits."),
    Role.COMMISSIONER: _("You serve the enterprises assigned to you: visits and their demands."),
    Role.ADMINISTRATOR: _("You keep the platform running: the catalogue, the calendar, accounts and seals."),
    Role.ENTERPRISE: _("Your enterprise, its projects, and the matters you can apply for."),
    Role.EMPLOYER_UNIT: _("Your unit and the matters you can apply for."),
    Role.RESIDENT: _("Find the matter you need and where to handle it; many are handled inside your village."),
}

# A department's place in the hall. "Resident" is also a role (群众), hence the context.
HALL_ROLE_LABELS = {
    HallRole.LEAD: pgettext_lazy("hall role", "Lead"),
    HallRole.RESIDENT: pgettext_lazy("hall role", "Resident"),
    HallRole.ON_DEMAND: pgettext_lazy("hall role", "On demand"),
}


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    active: bool = False


_R = Role
_DEPT = DEPARTMENT_ROLES
_APPLICANTS = APPLICANT_ROLES
_ADMIN = frozenset({_R.ADMINISTRATOR})

# (url name, label, roles that see it[, what the account must also have]) in header order. Each link points at a page the role works on and
# may open (the rules are those of the app behind the page: approvals, lights, stewards, outreach...).
_NAV = [
    ("web:home", pgettext_lazy("nav", "Home"), frozenset(_R.values)),
    ("approvals:apply", pgettext_lazy("nav", "Intake"), frozenset({_R.WINDOW_CLERK, _R.HELP_AGENT})),
    ("approvals:apply", pgettext_lazy("nav", "Apply online"), _APPLICANTS),
    ("approvals:queue", pgettext_lazy("nav", "Department queue"), _DEPT),
    ("approvals:list", pgettext_lazy("nav", "Applications"), frozenset({_R.WINDOW_CLERK, *_DEPT})),
    ("approvals:list", pgettext_lazy("nav", "My applications"), _APPLICANTS),
    ("stewards:home", pgettext_lazy("nav", "Steward's desk"), frozenset({_R.STEWARD, _R.COACH})),
    ("outreach:queue", pgettext_lazy("nav", "My help requests"), frozenset({_R.HELP_AGENT, _R.GRID_WORKER})),
    ("outreach:ask", pgettext_lazy("nav", "Ask for help"), _APPLICANTS),
    ("outreach:enterprises", pgettext_lazy("nav", "My enterprises"), frozenset({_R.COMMISSIONER})),
    ("lights:index", pgettext_lazy("nav", "Supervision board"), frozenset({_R.SUPERVISOR, *_ADMIN})),
    ("lights:ledger", pgettext_lazy("nav", "Overdue ledger"),
     frozenset({_R.DEPARTMENT_HEAD, _R.SUPERVISOR, *_ADMIN})),
    ("feedback:supervision", pgettext_lazy("nav", "Comments and visits"), frozenset({_R.SUPERVISOR})),
    ("feedback:stars", pgettext_lazy("nav", "Steward stars"), frozenset({_R.SUPERVISOR})),
    ("outreach:overview", pgettext_lazy("nav", "Help and demands"), frozenset({_R.SUPERVISOR})),
    ("stats:index", pgettext_lazy("nav", "Statistics"), frozenset({_R.SUPERVISOR, *_ADMIN}), lambda a: _sees_statistics(a)),
    ("feedback:desk", pgettext_lazy("nav", "Ratings"), _APPLICANTS),
    ("worktime:deadline", pgettext_lazy("nav", "Deadline calculator"), frozenset({_R.WINDOW_CLERK})),
    ("seals:verify", pgettext_lazy("nav", "Verify a seal"), frozenset({_R.WINDOW_CLERK})),
    ("seals:batch_new", pgettext_lazy("nav", "Batch sealing"), frozenset({_R.WINDOW_CLERK, *_DEPT, *_ADMIN}),
     lambda a: _holds_a_seal(a)),
    ("seals:manage", pgettext_lazy("nav", "Seal management"), frozenset({_R.ENTERPRISE, _R.EMPLOYER_UNIT, *_ADMIN}),
     lambda a: _manages_seals(a)),
    ("catalog:list", pgettext_lazy("nav", "Catalogue"), frozenset(_R.values)),
    ("enterprises:list", pgettext_lazy("nav", "Enterprises"), frozenset({_R.COMMISSIONER, _R.STEWARD, *_ADMIN})),
    ("enterprises:projects", pgettext_lazy("nav", "Projects"),
     frozenset({_R.SUPERVISOR, _R.ENTERPRISE, _R.EMPLOYER_UNIT, *_ADMIN})),
    ("worktime:calendar-index", pgettext_lazy("nav", "Calendar"), _ADMIN),
    ("admin:seals_seal_changelist", pgettext_lazy("nav", "Seals"), _ADMIN, lambda a: a.has_perm("seals.view_seal")),
    ("admin:index", pgettext_lazy("nav", "Administration"), _ADMIN, lambda a: a.is_staff),
]


def _holds_a_seal(account: Account) -> bool:
    """批量签章 is offered to whoever may use a seal (用印授权)."""
    from onestop.seals.queries import usable_seals

    return usable_seals(account).exists()


def _manages_seals(account: Account) -> bool:
    """印章管理 is offered to administrators and to an applicant organisation's own account."""
    from onestop.seals.queries import may_manage_seals

    return may_manage_seals(account)


def _sees_statistics(account: Account) -> bool:
    """统计 is offered to administrators and to supervisors with an area."""
    from onestop.stats.queries import may_see

    return may_see(account)


def _roles_of(account: Account) -> set[str]:
    """The role whose links `account` gets; a role-less superuser gets the administrator's."""
    roles = {account.role} if account.role else set()
    if account.is_admin_role:
        roles.add(Role.ADMINISTRATOR)
    return roles


# Pages the header links to, not the navigation: no navigation link is active on them (the inbox lives
# under /lights/, which is the supervision board's link).
HEADER_PAGES = ("lights:inbox",)


def navigation(account: Account, current_path: str) -> list[NavItem]:
    """The links `account` gets in the header; the one with the longest prefix of the path is active.

    The Django admin (and its seals pages) only for an account the admin site lets in (is_staff, permission).
    """
    roles = _roles_of(account)
    items = [(reverse(name), label) for name, label, who, *check in _NAV
             if roles & who and all(may(account) for may in check)]
    matching = [path for path, _label in items if current_path == path or (path != "/" and current_path.startswith(path))]
    header = any(current_path.startswith(reverse(name)) for name in HEADER_PAGES)
    active = None if header else max(matching, key=len, default=None)
    return [NavItem(path, str(label), path == active) for path, label in items]


# The role names this app shows (header, home headings), with a context so that they stay the terms of
# DESIGN.md whatever other catalogues make of the bare English words ("Resident" is also a hall role).
ROLE_LABELS = {
    Role.WINDOW_CLERK: pgettext_lazy("role", "Window clerk"),
    Role.APPROVER: pgettext_lazy("role", "Department approver"),
    Role.DEPARTMENT_HEAD: pgettext_lazy("role", "Department head"),
    Role.STEWARD: pgettext_lazy("role", "Project steward"),
    Role.COACH: pgettext_lazy("role", "Project coach"),
    Role.SUPERVISOR: pgettext_lazy("role", "Supervisor"),
    Role.HELP_AGENT: pgettext_lazy("role", "Help agent"),
    Role.GRID_WORKER: pgettext_lazy("role", "Grid worker"),
    Role.COMMISSIONER: pgettext_lazy("role", "Enterprise commissioner"),
    Role.ADMINISTRATOR: pgettext_lazy("role", "Administrator"),
    Role.ENTERPRISE: pgettext_lazy("role", "Enterprise"),
    Role.EMPLOYER_UNIT: pgettext_lazy("role", "Employer unit"),
    Role.RESIDENT: pgettext_lazy("role", "Resident"),
}

# How many places of a kind: 新区 / 镇 / 社区 / 自然村 / 网格 (plural in English).
PLACE_COUNT_LABELS = {
    PlaceKind.DISTRICT: pgettext_lazy("place count", "Districts"),
    PlaceKind.TOWN: pgettext_lazy("place count", "Towns"),
    PlaceKind.COMMUNITY: pgettext_lazy("place count", "Communities"),
    PlaceKind.VILLAGE: pgettext_lazy("place count", "Villages"),
    PlaceKind.GRID: pgettext_lazy("place count", "Grids"),
}

# Labels of other apps' choices shown on the home pages (translated in this app's catalogue too, as a
# fallback while those apps have none; an app listed earlier in INSTALLED_APPS wins).
_LABELS = (
    gettext_noop("District administrative service centre"), gettext_noop("Town service centre"),
    gettext_noop("Village service point"),
    gettext_noop("No land yet"), gettext_noop("Land certificate obtained"),
    gettext_noop("Planning"), gettext_noop("Approval / filing"), gettext_noop("Registration"),
    gettext_noop("Construction"), gettext_noop("Completion acceptance"), gettext_noop("Landed"),
)
