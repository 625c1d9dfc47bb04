"""The read side: lists, the agent's queue, the commissioner's enterprises, the supervisor's overview.

Every query starts from what the caller sees (`outreach.access`); the periodic review is in `review`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from onestop.enterprises.models import CommissionerAssignment
from onestop.errors import NotFound, field_error
from onestop.org.access import current_assignments, is_admin, visible_enterprises
from onestop.outreach import access
from onestop.outreach.models import (
    OPEN_DEMAND_STATES, OPEN_HELP_STATES, Demand, DemandState, HelpRequest, HelpState, Verdict,
)
from onestop.worktime.clock import light, midnight

REQUEST_RELATED = ("matter__department", "place", "agent", "requester_enterprise", "requester_account")


def light_of(obj: Any, now: datetime | None = None) -> str | None:
    return light(obj, now or timezone.now()) if obj.due_at else None


def request_list(actor: Any, *, state: str | None = None, place: int | None = None, agent: int | None = None,
                 matter: int | None = None, late: bool = False) -> QuerySet[HelpRequest]:
    qs = access.visible_requests(actor).select_related(*REQUEST_RELATED)
    if state:
        if state not in HelpState.values:
            raise field_error("state", "状态无效。", f"Must be one of {', '.join(HelpState.values)}.")
        qs = qs.filter(state=state)
    if place:
        from onestop.org.models import Place

        root = Place.objects.filter(pk=place).first()
        if root is None:
            raise field_error("place", "地点不存在。", "No such place.", code="unknown")
        qs = qs.filter(place__path__startswith=root.path)
    if agent:
        qs = qs.filter(agent_id=agent)
    if matter:
        qs = qs.filter(matter_id=matter)
    if late:
        qs = qs.filter(late_q(timezone.now()))
    return qs


def late_q(now: datetime) -> Q:
    """Late: finished on or after its deadline, or still open past it (逾期)."""
    return Q(state__in=OPEN_HELP_STATES, due_at__lte=now) | Q(finished_at__isnull=False, due_at__lte=F("finished_at"))


def request_detail(actor: Any, pk: int) -> HelpRequest:
    found = access.visible_requests(actor).select_related(*REQUEST_RELATED, "application").filter(pk=pk).first()
    if found is None:
        raise NotFound("help request", "帮办请求")
    return found


def agent_queue(actor: Any, include_done: bool = False) -> list[HelpRequest]:
    """The agent's queue (我的待办): its open requests, the most urgent first, each with its light."""
    qs = access.visible_requests(actor).filter(agent=actor).select_related(*REQUEST_RELATED)
    if not include_done:
        qs = qs.filter(state__in=OPEN_HELP_STATES)
    now = timezone.now()
    rows = list(qs.order_by("due_at", "pk")[:200])
    for r in rows:
        r.light = light_of(r, now)
    return rows


def demand_list(actor: Any, *, state: str | None = None, enterprise: int | None = None,
                category: str | None = None) -> QuerySet[Demand]:
    qs = access.visible_demands(actor).select_related("enterprise", "department", "commissioner")
    if state:
        if state not in DemandState.values:
            raise field_error("state", "状态无效。", f"Must be one of {', '.join(DemandState.values)}.")
        qs = qs.filter(state=state)
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    if category:
        qs = qs.filter(category=category)
    return qs


def demand_detail(actor: Any, pk: int) -> Demand:
    found = demand_list(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("demand", "诉求")
    return found


def visit_list(actor: Any, enterprise: int | None = None) -> QuerySet:
    qs = access.visible_visits(actor).select_related("enterprise", "commissioner")
    return qs.filter(enterprise_id=enterprise) if enterprise else qs


def commissioner_enterprises(actor: Any) -> list[dict[str, Any]]:
    """A commissioner's enterprises (我联系的企业): open demands, the worst light, the last visit."""
    if is_admin(actor):
        ids = CommissionerAssignment.objects.filter(until__isnull=True).values("enterprise_id")
    else:
        ids = CommissionerAssignment.objects.filter(current_assignments(actor)).values("enterprise_id")
    enterprises = (visible_enterprises(actor).filter(pk__in=ids).select_related("place")
                   .annotate(open_demands=Count("demands", filter=Q(demands__state__in=OPEN_DEMAND_STATES),
                                                distinct=True),
                             last_visit=Max("commissioner_visits__visited_on"))
                   .order_by("-open_demands", "name"))
    now = timezone.now()
    open_by_enterprise: dict[int, list[Demand]] = {}
    for d in Demand.objects.filter(enterprise_id__in=ids, state__in=OPEN_DEMAND_STATES).order_by("due_at"):
        open_by_enterprise.setdefault(d.enterprise_id, []).append(d)
    from onestop.worktime.clock import worst

    rows = []
    for e in enterprises:
        demands = open_by_enterprise.get(e.pk, [])
        rows.append({"enterprise": e, "open_demands": e.open_demands, "last_visit": e.last_visit,
                     "demands": demands, "light": worst(light_of(d, now) for d in demands) if demands else None})
    return rows


def month_bounds(day: date) -> tuple[datetime, datetime]:
    first = day.replace(day=1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return midnight(first), midnight(nxt)


def supervisor_overview(actor: Any, today: date | None = None) -> dict[str, int]:
    """督办总览: this month's requests handled, demands resolved, enterprises visited, and what is open."""
    today = today or timezone.localdate()
    start, end = month_bounds(today)
    now = timezone.now()
    requests = access.visible_requests(actor)
    demands = access.visible_demands(actor)
    visits = access.visible_visits(actor)
    return {
        "requests_raised": requests.filter(raised_at__gte=start, raised_at__lt=end).count(),
        "requests_handled": requests.filter(state=HelpState.DONE, finished_at__gte=start, finished_at__lt=end).count(),
        "requests_open": requests.filter(state__in=OPEN_HELP_STATES).count(),
        "requests_late": requests.filter(state__in=OPEN_HELP_STATES, due_at__lte=now).count(),
        "demands_resolved": demands.filter(state=DemandState.RESOLVED, finished_at__gte=start,
                                           finished_at__lt=end).count(),
        "demands_open": demands.filter(state__in=OPEN_DEMAND_STATES).count(),
        "demands_late": demands.filter(state__in=OPEN_DEMAND_STATES, due_at__lte=now).count(),
        "demands_disputed": demands.filter(verdict=Verdict.DISPUTED).count(),
        "enterprises_visited": visits.filter(visited_on__gte=today.replace(day=1), visited_on__lte=today).values("enterprise_id").distinct().count(),
    }


def help_form_choices() -> dict[str, Any]:
    """What the applicant's help-request form offers: active matters, and the villages and grids (the
    places agents serve), in tree order."""
    from onestop.catalog.models import Matter
    from onestop.org.models import Place, PlaceKind

    return {
        "matters": Matter.objects.filter(active=True).only("pk", "code", "name").order_by("code"),
        "places": Place.objects.filter(kind__in=[PlaceKind.VILLAGE, PlaceKind.GRID]).only("pk", "name", "kind")
        .order_by("path"),
    }
