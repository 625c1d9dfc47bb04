"""What each role works on, in one line, and the navigation each role gets (English msgids, zh-hans in .po).

The model choice labels (roles, place kinds, stages...) belong to their apps; they are repeated here with
`gettext_noop` so this app's catalogue translates every label its pages show even before those apps ship
their own translations.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from onestop.org.models import APPLICANT_ROLES, Account, HallRole, PlaceKind, Role

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

# One line per role: what later work adds to this page (only where it helps the reader).
COMING = {
    Role.WINDOW_CLERK: _("Intake, acceptance notices and one-window issue will be handled from this page."),
    Role.APPROVER: _("Your department's task queue will appear here."),
    Role.DEPARTMENT_HEAD: _("Extension requests and overdue ledger entries of your department will appear here."),
    Role.STEWARD: _("Battle plans, division-of-labour tables and liaison messages will appear with each project."),
    Role.COACH: _("Coaching records will be kept with each project."),
    Role.SUPERVISOR: _("The supervision board and the overdue ledger will appear here."),
    Role.HELP_AGENT: _("Help requests in your area will appear here."),
    Role.GRID_WORKER: _("Help requests in your grid will appear here."),
    Role.COMMISSIONER: _("Visit logs and enterprise demands will be recorded here."),
    Role.ENTERPRISE: _("Your applications, their progress and your ratings will appear here."),
    Role.EMPLOYER_UNIT: _("Your applications and sealed documents, such as appointment letters, will appear here."),
    Role.RESIDENT: _("Online applications and help requests will open here."),
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


# (path, label, who sees it): "all", "staff" (not an applicant), "organisation" or "admin".
_NAV = [
    ("/", pgettext_lazy("nav", "Home"), "all"),
    ("/catalog/", pgettext_lazy("nav", "Catalogue"), "all"),
    ("/enterprises/", pgettext_lazy("nav", "Enterprises"), "staff"),
    ("/enterprises/projects/", pgettext_lazy("nav", "Projects"), "staff_or_organisation"),
    ("/admin/", pgettext_lazy("nav", "Administration"), "admin"),
]


def _sees(account: Account, who: str) -> bool:
    staff = account.role not in APPLICANT_ROLES
    organisation = account.role in (Role.ENTERPRISE, Role.EMPLOYER_UNIT)
    return {
        "all": True,
        "staff": staff,
        "staff_or_organisation": staff or organisation,
        "admin": account.is_admin_role,
    }[who]


def navigation(account: Account, current_path: str) -> list[NavItem]:
    """The links `account` gets in the header; the one with the longest prefix of the path is active."""
    items = [(path, label) for path, label, who in _NAV if _sees(account, who)]
    matching = [path for path, _label in items if current_path == path or (path != "/" and current_path.startswith(path))]
    active = max(matching, key=len, default=None)
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
