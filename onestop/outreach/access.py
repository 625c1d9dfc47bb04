"""Who sees and who may act on help requests, visits and demands (DESIGN.md, "Permissions").

Sees (else 404, the thing's existence is not revealed):
- administrator: everything.
- help agent / grid worker (帮办代办员 / 网格员): requests whose place lies in its area (`Account.place`
  subtree: a town agent sees the town, a village agent its village and grids, a grid worker its grid),
  and every request assigned to it.
- supervisor: requests, visits and demands in its area (the request's place, the enterprise's place).
- anyone: the requests it raised (a window clerk who took one at the counter, say).
- resident / enterprise / employer unit: the requests that name it as requester; an
  organisation also its own demands and the visits it received.
- commissioner: the visits and demands of the enterprises it is currently assigned, and those it recorded.
- department approver / head: the demands sent to its department.

May do (else 403): see the actions; agents act only on requests in their area or assigned to them.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from onestop.org.access import (
    NOTHING, ORGANISATION_ROLES, area_of, current_assignments, has_role, in_area, is_admin, is_logged_in,
)
from onestop.org.models import DEPARTMENT_ROLES, Role

AGENT_ROLES = frozenset({Role.HELP_AGENT, Role.GRID_WORKER})


def is_agent(actor: Any) -> bool:
    return has_role(actor, *AGENT_ROLES)


def request_filter(actor: Any) -> Q | None:
    """The filter on HelpRequest for what `actor` sees; None means everything. Anyone sees what it raised."""
    if not is_logged_in(actor):
        return NOTHING
    if is_admin(actor):
        return None
    return _role_filter(actor) | Q(raised_by=actor)


def _role_filter(actor: Any) -> Q:
    role = actor.role
    if role in AGENT_ROLES or role == Role.SUPERVISOR:
        root = area_of(actor)
        mine = Q(agent=actor) if role in AGENT_ROLES else NOTHING
        return (Q(place__path__startswith=root.path) | mine) if root else mine
    if role in ORGANISATION_ROLES:
        own = Q(requester_account=actor)
        return own | Q(requester_enterprise_id=actor.organisation_id) if actor.organisation_id else own
    if role == Role.RESIDENT:
        return Q(requester_account=actor)
    return NOTHING


def visible_requests(actor: Any) -> QuerySet:
    from onestop.outreach.models import HelpRequest

    q = request_filter(actor)
    return HelpRequest.objects.all() if q is None else HelpRequest.objects.filter(q)


def covers(agent: Any, place: Any) -> bool:
    """The agent's area contains the place (an agent acting outside it is refused)."""
    return is_agent(agent) and in_area(agent, place)


def may_handle(actor: Any, request: Any) -> bool:
    """The assigned agent, or an administrator."""
    return is_admin(actor) or (is_agent(actor) and request.agent_id == actor.pk)


def is_requester(actor: Any, request: Any) -> bool:
    if not is_logged_in(actor):
        return False
    if request.requester_account_id == actor.pk:
        return True
    return bool(actor.role in ORGANISATION_ROLES and actor.organisation_id
                and actor.organisation_id == request.requester_enterprise_id)


def supervises(actor: Any, place: Any) -> bool:
    return is_admin(actor) or (has_role(actor, Role.SUPERVISOR) and in_area(actor, place))


# --- commissioners -----------------------------------------------------------------------------------


def enterprise_scope(actor: Any) -> Q | None:
    """The filter on a model with an `enterprise` (Visit, Demand) for what `actor` sees; None: everything."""
    from onestop.enterprises.models import CommissionerAssignment

    if not is_logged_in(actor):
        return NOTHING
    if is_admin(actor):
        return None
    role = actor.role
    if role == Role.COMMISSIONER:
        assigned = CommissionerAssignment.objects.filter(current_assignments(actor)).values("enterprise_id")
        return Q(enterprise_id__in=assigned) | Q(commissioner=actor)
    if role in ORGANISATION_ROLES:
        return Q(enterprise_id=actor.organisation_id) if actor.organisation_id else NOTHING
    if role == Role.SUPERVISOR:
        root = area_of(actor)
        return Q(enterprise__place__path__startswith=root.path) if root else NOTHING
    return NOTHING


def demand_filter(actor: Any) -> Q | None:
    if is_logged_in(actor) and actor.role in DEPARTMENT_ROLES:
        return Q(department_id=actor.department_id) if actor.department_id else NOTHING
    return enterprise_scope(actor)


def visible_demands(actor: Any) -> QuerySet:
    from onestop.outreach.models import Demand

    q = demand_filter(actor)
    return Demand.objects.all() if q is None else Demand.objects.filter(q)


def visible_visits(actor: Any) -> QuerySet:
    from onestop.outreach.models import Visit

    q = enterprise_scope(actor)
    return Visit.objects.all() if q is None else Visit.objects.filter(q)


def may_work_demand(actor: Any, demand: Any) -> bool:
    """The enterprise's current commissioner, the target department's staff, an administrator."""
    from onestop.org.access import is_current_commissioner

    if is_admin(actor) or is_current_commissioner(actor, demand.enterprise):
        return True
    return bool(has_role(actor, *DEPARTMENT_ROLES) and demand.department_id
                and actor.department_id == demand.department_id)
