"""Who sees which ledger entries and boards (DESIGN.md, "Permissions").

- administrator: everything; supervisor: what lies in its area (the department's place, or the project's);
- department head and approver: their department's entries and board;
- steward: the entries of the projects it leads or is assigned to now. Everyone else: nothing (404 on an entry).
Only a supervisor closes an entry (销号); only the department head answers it.
"""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q

from onestop.errors import Forbidden
from onestop.org.access import NOTHING, area_of, is_admin, is_logged_in
from onestop.org.models import DEPARTMENT_ROLES, Role

BOARD_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR, *DEPARTMENT_ROLES})


def entry_filter(actor: Any) -> Q | None:
    """Filter on LedgerEntry for what `actor` sees; None means everything."""
    if not is_logged_in(actor):
        return NOTHING
    if is_admin(actor):
        return None
    if actor.role == Role.SUPERVISOR:
        root = area_of(actor)
        if root is None:
            return NOTHING
        return Q(department__place__path__startswith=root.path) | Q(project__place__path__startswith=root.path)
    if actor.role in DEPARTMENT_ROLES:
        return Q(department_id=actor.department_id) if actor.department_id else NOTHING
    if actor.role == Role.STEWARD:
        return _stewarded(actor)
    return NOTHING


def _stewarded(actor: Any) -> Q:
    """Entries of the projects the steward leads, or helps on now (the stewards app's assignments, looked up
    through the app registry: lights does not import stewards). The red notice goes to both, so both open it."""
    mine = Q(project__lead_steward=actor)
    if apps.is_installed("onestop.stewards"):
        assignments = apps.get_model("stewards", "Assignment").objects.filter(steward=actor, until__isnull=True)
        mine |= Q(project_id__in=assignments.values("project_id"))
    return mine


def board_scope(actor: Any) -> Q | None:
    """Filter on Task for the board: supervisors their area, departments their own; else Forbidden."""
    if not is_logged_in(actor) or (actor.role not in BOARD_ROLES and not is_admin(actor)):
        raise Forbidden("只有督办人员、部门人员和管理员可以查看督办看板。",
                        "Only supervisors, department staff and administrators see the supervision board.")
    if is_admin(actor):
        return None
    if actor.role == Role.SUPERVISOR:
        root = area_of(actor)
        return Q(department__place__path__startswith=root.path) if root else NOTHING
    return Q(department_id=actor.department_id)


def area_path(actor: Any) -> str:
    root = area_of(actor)
    return root.path if root else "\x00"
