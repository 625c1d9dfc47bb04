"""What waits for each role (待办), shown at the top of its home page.

Nothing here decides what is due or late: every list comes from the query function of the app that owns
the work (approvals, lights, stewards, outreach, feedback), and every light from that app's clocks. This
module only picks the first few rows, and the page where the whole list lives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onestop.org.models import Account, Role

WAITING_ROWS = 5  # rows a home shows per list; the list's own page has them all


@dataclass
class Row:
    text: str
    href: str = ""
    light: str | None = None  # green / yellow / red / paused, as the owning app's clock has it
    note: str = ""


@dataclass
class Panel:
    """One list of what waits: a title, how many in all, the first rows, and the page with all of them."""

    key: str
    title: str
    count: int
    link: str
    rows: list[Row] = field(default_factory=list)


def _application_rows(apps: list[Any]) -> list[Row]:
    from onestop.worktime.clock import light

    now = timezone.now()
    return [Row(f"{a.number} {a.title}", reverse("approvals:application", args=[a.pk]), light(a, now),
                a.get_state_display()) for a in apps]


def _intake(account: Account) -> list[Panel]:
    """综合窗口: applications awaiting intake at the clerk's centre (approvals decides which it sees)."""
    from onestop.approvals.queries import application_list

    waiting = application_list(account, "submitted").order_by("submitted_at", "id")
    return [Panel("intake", _("Awaiting intake"), waiting.count(), reverse("approvals:list") + "?state=submitted",
                  _application_rows(list(waiting[:WAITING_ROWS])))]


def _queue(account: Account) -> list[Panel]:
    """部门: the department's queue, most urgent first; a head also its open overdue-ledger entries."""
    from onestop.approvals.queries import department_queue
    from onestop.worktime.clock import light

    now, tasks = timezone.now(), department_queue(account)
    rows = [Row(f"{t.application.number} {t.matter.name}", reverse("approvals:task", args=[t.pk]), light(t, now),
                t.get_state_display()) for t in tasks[:WAITING_ROWS]]
    panels = [Panel("queue", _("Your department's queue"), tasks.count(), reverse("approvals:queue"), rows)]
    if account.role == Role.DEPARTMENT_HEAD:
        panels += _ledger(account)
    return panels


def _ledger(account: Account) -> list[Panel]:
    """挂账: open overdue-ledger entries the account sees (lights decides which)."""
    from onestop.lights.models import LedgerState
    from onestop.lights.queries import ledger

    entries = ledger(account, LedgerState.OPEN)
    rows = [Row(f"{e.number} {e.title}", reverse("lights:entry", args=[e.pk]), "red", _department_note(e))
            for e in entries[:WAITING_ROWS]]
    return [Panel("ledger", _("Open overdue ledger entries"), entries.count(), reverse("lights:ledger"), rows)]


def _department_note(entry: Any) -> str:
    """The entry's department, unless its title already names it."""
    name = entry.department.name if entry.department else ""
    return "" if name in entry.title else name


def _steward(account: Account) -> list[Panel]:
    """管家: its projects with their lights and what is open on each (stewards' desk, in short)."""
    from onestop.stewards.queries import steward_home

    rows = steward_home(account)["rows"]
    if not rows:
        return []
    shown = [Row(r.project.name, reverse("stewards:project", args=[r.project.pk]), r.light,
                 _note(r.open_items, r.unread))
             for r in rows[:WAITING_ROWS]]
    return [Panel("stewarded", _("Projects you steward, with their lights"), len(rows), reverse("stewards:home"),
                  shown)]


def _note(open_items: int, unread: int) -> str:
    items = ngettext("%(n)d open work item", "%(n)d open work items", open_items) % {"n": open_items}
    messages = ngettext("%(n)d unread message", "%(n)d unread messages", unread) % {"n": unread}
    return f"{items} · {messages}"


def _supervisor(account: Account) -> list[Panel]:
    """督办: open ledger entries of the area, and public comments waiting for moderation."""
    from onestop.feedback.queries import pending_comments

    comments = pending_comments(account)
    rows = [Row(c.project.name, reverse("feedback:supervision")) for c in comments[:WAITING_ROWS]]
    return [*_ledger(account), Panel("comments", _("Public comments to moderate"), comments.count(),
                                     reverse("feedback:supervision"), rows)]


def _agent(account: Account) -> list[Panel]:
    """帮办代办 / 网格员: its open help requests, the most urgent first (outreach's queue)."""
    from onestop.outreach.queries import agent_queue

    requests = agent_queue(account)
    rows = [Row(f"{r.matter.name} · {r.place.name}", reverse("outreach:queue"), r.light, r.get_state_display())
            for r in requests[:WAITING_ROWS]]
    return [Panel("help", _("Your open help requests"), len(requests), reverse("outreach:queue"), rows)]


def _commissioner(account: Account) -> list[Panel]:
    """企业特派员: its enterprises with open demands (outreach's list), the most demands first."""
    from onestop.outreach.queries import commissioner_enterprises

    with_demands = [r for r in commissioner_enterprises(account) if r["open_demands"]]
    rows = [Row(r["enterprise"].name, reverse("outreach:enterprises"), r["light"],
                ngettext("%(n)d open demand", "%(n)d open demands", r["open_demands"]) % {"n": r["open_demands"]})
            for r in with_demands[:WAITING_ROWS]]
    return [Panel("demands", _("Enterprises with open demands"), len(with_demands), reverse("outreach:enterprises"),
                  rows)]


def _applicant(account: Account) -> list[Panel]:
    """企业 / 单位 / 群众: its applications, the latest first, with their state (approvals decides which)."""
    from onestop.approvals.queries import application_list

    apps = application_list(account).order_by("-submitted_at", "-id")
    return [Panel("applications", _("Your applications"), apps.count(), reverse("approvals:list"),
                  _application_rows(list(apps[:WAITING_ROWS])))]


_BY_ROLE: dict[str, Callable[[Account], list[Panel]]] = {
    Role.WINDOW_CLERK: _intake,
    Role.APPROVER: _queue,
    Role.DEPARTMENT_HEAD: _queue,
    Role.STEWARD: _steward,
    Role.COACH: _steward,
    Role.SUPERVISOR: _supervisor,
    Role.HELP_AGENT: _agent,
    Role.GRID_WORKER: _agent,
    Role.COMMISSIONER: _commissioner,
    Role.ADMINISTRATOR: _ledger,
    Role.ENTERPRISE: _applicant,
    Role.EMPLOYER_UNIT: _applicant,
    Role.RESIDENT: _applicant,
}


def waiting_for(account: Account) -> list[Panel]:
    """The lists of what waits for `account`'s role, from the apps that own that work."""
    reader = _BY_ROLE.get(account.role)
    return reader(account) if reader else []
