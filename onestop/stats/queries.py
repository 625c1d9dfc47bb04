"""统计: the figures of a period for an area, always counted from the records, never typed in.

Who: an administrator (everywhere, or one place and what lies under it) and a supervisor (its own town or
district, or a place inside it); anyone else is refused. The period is whole days in Asia/Shanghai,
`date_from` to `date_to` inclusive (default: 1 January of this year to today).

What is counted (MISSION.md, "The statistics page"):
- applications received (formal ones, submitted in the period) by month, channel and matter or stage, and
  those issued and closed in the period;
- enterprises newly registered (registration day in the period);
- satisfaction: the ratings given in the period (好差评); satisfied means any level but 不满意 and 非常不满意;
- time saved against the legal limits, over the applications issued in the period: the legal days, the
  days used, the days saved and the share saved (提速率), and how many kept to the promised limit;
- trips saved: applications that needed no trip to the hall (online, by the village agent, cross-region);
- lights per department: the open tasks green, yellow, red and paused now (the supervision board's counts);
- help requests (帮办代办) raised and done, demands (诉求) raised and resolved.

An application lies in an area when its project or the centre that took it does; an enterprise, a help
request or a place-bound thing by its own place; a rating by its project's or its recipient's place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from onestop.approvals.models import Application, AppState, Channel
from onestop.enterprises.models import Enterprise
from onestop.errors import Forbidden, InvalidInput, field_error
from onestop.feedback.models import BAD_LEVELS, Level, Rating
from onestop.lights.queries import Filters, counts_by_department, parse_filters
from onestop.org.access import area_of, has_role, is_admin
from onestop.org.models import Account, Place, PlaceKind, Role
from onestop.outreach.models import Demand, DemandState, HelpRequest, HelpState
from onestop.worktime.clock import SHANGHAI, midnight

NO_TRIP_CHANNELS = (Channel.ONLINE, Channel.VILLAGE_AGENT, Channel.CROSS_REGION)  # 零跑动
LONGEST_PERIOD = timedelta(days=3660)  # ten years: a bound on what one page computes
TOP_ITEMS = 15


@dataclass(frozen=True)
class Period:
    """Whole days in Asia/Shanghai, both ends included."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return midnight(self.start)

    @property
    def until(self) -> datetime:
        """The first instant after the period."""
        return midnight(self.end + timedelta(days=1))

    def q(self, field: str) -> Q:
        """Rows whose time `field` falls in the period."""
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})


def parse_period(params: Mapping[str, Any], today: date | None = None) -> Period:
    """`date_from` and `date_to` as YYYY-MM-DD, read as the supervision board reads them (a bad one is a 400
    naming it); by default 1 January of this year to today."""
    today = today or timezone.localdate()
    given = parse_filters({name: params.get(name) for name in ("date_from", "date_to")})
    period = Period(given.date_from or date(today.year, 1, 1), given.date_to or today)
    if period.end < period.start:  # only the start was given, after today
        raise field_error("date_to", "统计期间的结束日期不能早于开始日期。", "must not be before date_from")
    if period.end - period.start > LONGEST_PERIOD:
        raise field_error("date_to", "统计期间最长十年。", "the period may be at most ten years")
    return period


def may_see(actor: Account | None) -> bool:
    return is_admin(actor) or (has_role(actor, Role.SUPERVISOR) and area_of(actor) is not None)


def _own_area(actor: Account) -> Place | None:
    """The caller's own area; None for an administrator (everywhere)."""
    return None if is_admin(actor) else area_of(actor)


def area_for(actor: Account | None, place_id: Any = None) -> Place | None:
    """The area the figures cover: the place asked for (inside the caller's own area), else the caller's
    own area; None for an administrator who asks for no place (everywhere)."""
    if not may_see(actor):
        raise Forbidden("只有督办人员和管理员可以查看统计。", "Only supervisors and administrators see the statistics.")
    own = _own_area(actor)
    if place_id in (None, ""):
        return own
    place = Place.objects.filter(pk=int(place_id)).first() if str(place_id).isdigit() else None
    if place is None:
        raise InvalidInput("没有这个地区。", "No such place.", fields={"place": f"no such place: {place_id!r}"})
    if own is not None and not place.path.startswith(own.path):
        raise InvalidInput("只能统计本辖区内的地区。", "Choose a place inside your own area.",
                           fields={"place": "outside your area"})
    return place


def places_for(actor: Account) -> QuerySet[Place]:
    """The places the page offers to narrow the figures to: the caller's area and what lies under it, down to
    the villages (a grid is too small to count on its own; the API takes any place in the area)."""
    own = _own_area(actor)
    qs = Place.objects.exclude(kind=PlaceKind.GRID)
    return (qs if own is None else qs.filter(path__startswith=own.path)).order_by("path")


def _within(area: Place | None, *paths: str) -> Q:
    """Rows whose place (reached by any of `paths`, each ending at a Place's `path`) lies in the area."""
    q = Q()
    if area is not None:
        for path in paths:
            q |= Q(**{f"{path}__startswith": area.path})
    return q


def ratio(part: int, whole: int, scale: int = 1) -> Decimal | None:
    """scale × part / whole, one decimal rounded half up; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(scale * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    return ratio(part, whole, 100)


def _applications(area: Place | None) -> QuerySet[Application]:
    return Application.objects.filter(simulated=False).filter(
        _within(area, "project__place__path", "taken_at__place__path"))


def _issued(area: Place | None, period: Period) -> QuerySet[Application]:
    return _applications(area).filter(period.q("issued_at"), state=AppState.ISSUED)


def application_figures(area: Place | None, period: Period) -> dict[str, Any]:
    received = _applications(area).filter(period.q("submitted_at"))
    by_channel = dict(received.order_by().values_list("channel").annotate(n=Count("id")))
    months = (received.order_by().annotate(month=TruncMonth("submitted_at", tzinfo=SHANGHAI))
              .values_list("month").annotate(n=Count("id")).order_by("month"))
    items = (received.order_by().values("matter__name", "stage__bundle__name", "stage__name")
             .annotate(n=Count("id")).order_by("-n", "matter__name", "stage__name")[:TOP_ITEMS])
    return {
        "received": sum(by_channel.values()),
        "issued": _issued(area, period).count(),
        "by_channel": [{"channel": c.value, "label": str(c.label), "count": by_channel.get(c.value, 0)}
                       for c in Channel],
        "by_month": [{"month": m.astimezone(SHANGHAI).strftime("%Y-%m"), "count": n} for m, n in months],
        "by_item": [{"name": r["matter__name"] or f"{r['stage__bundle__name']} · {r['stage__name']}", "count": r["n"]}
                    for r in items],
    }


def enterprise_figures(area: Place | None, period: Period) -> dict[str, Any]:
    new = Enterprise.objects.filter(_within(area, "place__path"), registered_on__gte=period.start,
                                    registered_on__lte=period.end)
    return {"registered": new.count()}


def satisfaction_figures(area: Place | None, period: Period) -> dict[str, Any]:
    ratings = Rating.objects.filter(period.q("created_at")).filter(
        _within(area, "service__project__place__path", "service__recipient_organisation__place__path"))
    by_level = dict(ratings.order_by().values_list("level").annotate(n=Count("id")))
    total = sum(by_level.values())
    satisfied = sum(n for level, n in by_level.items() if level not in BAD_LEVELS)
    mean = ratings.aggregate(points=Sum("score"))["points"]
    return {
        "ratings": total, "satisfied": satisfied, "rate": percent(satisfied, total),
        "mean_score": ratio(mean or 0, total),
        "by_level": [{"level": lv.value, "label": str(lv.label), "count": by_level.get(lv.value, 0)} for lv in Level],
    }


def time_figures(area: Place | None, period: Period) -> dict[str, Any]:
    """Over the applications issued in the period that have a legal limit; within the promise means no more
    days used than the promised limit (the legal one where none was promised)."""
    issued = _issued(area, period).filter(legal_limit_days__isnull=False)
    sums = issued.aggregate(cases=Count("id"), legal=Sum("legal_limit_days"), used=Sum("days_consumed"))
    legal, used = sums["legal"] or 0, sums["used"] or 0
    on_time = issued.filter(days_consumed__lte=Coalesce("limit_days", "legal_limit_days")).count()
    return {"cases": sums["cases"], "legal_days": legal, "used_days": used, "saved_days": legal - used,
            "saved_rate": percent(legal - used, legal), "within_promise": on_time,
            "within_promise_rate": percent(on_time, sums["cases"])}


def trip_figures(applications: dict[str, Any]) -> dict[str, Any]:
    """From `application_figures`: the applications received by a channel that needs no trip to the hall."""
    rows = [r for r in applications["by_channel"] if r["channel"] in NO_TRIP_CHANNELS]
    return {"saved": sum(r["count"] for r in rows), "by_channel": rows}


def help_figures(area: Place | None, period: Period) -> dict[str, Any]:
    requests = HelpRequest.objects.filter(_within(area, "place__path"))
    demands = Demand.objects.filter(_within(area, "enterprise__place__path", "department__place__path"))
    raised = requests.filter(period.q("raised_at")).count()
    done = requests.filter(period.q("finished_at"), state=HelpState.DONE).count()
    asked = demands.filter(period.q("raised_at")).count()
    resolved = demands.filter(period.q("finished_at"), state=DemandState.RESOLVED).count()
    return {"help_raised": raised, "help_done": done, "demands_raised": asked, "demands_resolved": resolved}


def light_figures(actor: Account, area: Place | None, now: datetime | None = None) -> list[dict[str, Any]]:
    """Open tasks per department by light, now (the board's own counts, in the caller's board scope)."""
    rows = counts_by_department(actor, Filters(town=area), now)
    return [{k: r[k] for k in ("department", "green", "yellow", "red", "paused")} for r in rows]


def statistics(actor: Account, period: Period, area: Place | None, now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the page, for `period` in `area` (as `area_for` gave it)."""
    applications = application_figures(area, period)
    return {
        "period": {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()},
        "area": area.name if area else "",
        "applications": applications,
        "enterprises": enterprise_figures(area, period),
        "satisfaction": satisfaction_figures(area, period),
        "time": time_figures(area, period),
        "trips": trip_figures(applications),
        "help": help_figures(area, period),
        "lights": light_figures(actor, area, now),
    }
