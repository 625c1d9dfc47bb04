"""What each role works on, in one line, and the navigation each role gets (English msgids, zh-hans in .po).

The model choice labels (roles, place kinds, stages...) belong to their apps; they are repeated here with
`gettext_noop` so this app's catalogue translates every label its pages show even before those apps ship
their own translations.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from onestop.org.models import APPLICANT_ROLES, Account, HallRole, Role

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
    ("/", _("Home"), "all"),
    ("/catalog/", _("Catalogue"), "all"),
    ("/enterprises/", _("Enterprises"), "staff"),
    ("/enterprises/projects/", _("Projects"), "staff_or_organisation"),
    ("/admin/", _("Administration"), "admin"),
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


# Labels of other apps' choices shown on the home pages (translated in this app's catalogue too).
_LABELS = (
    gettext_noop("Window clerk"), gettext_noop("Department approver"), gettext_noop("Department head"),
    gettext_noop("Project steward"), gettext_noop("Project coach"), gettext_noop("Supervisor"),
    gettext_noop("Help agent"), gettext_noop("Grid worker"), gettext_noop("Enterprise commissioner"),
    gettext_noop("Administrator"), gettext_noop("Enterprise"), gettext_noop("Employer unit"),
    gettext_noop("Resident"),
    gettext_noop("District"), gettext_noop("Town"), gettext_noop("Community"), gettext_noop("Village"),
    gettext_noop("Grid"),
    gettext_noop("District administrative service centre"), gettext_noop("Town service centre"),
    gettext_noop("Village service point"),
    gettext_noop("No land yet"), gettext_noop("Land certificate obtained"),
    gettext_noop("Planning"), gettext_noop("Approval / filing"), gettext_noop("Registration"),
    gettext_noop("Construction"), gettext_noop("Completion acceptance"), gettext_noop("Landed"),
)
