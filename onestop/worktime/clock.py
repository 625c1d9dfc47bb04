"""The clock's rules (DESIGN.md, "The clock" and "Lights"), as pure functions of its events and a calendar.

Counting happens in "counted-day space": `cal.pos(day, unit)` numbers the counted days (working days, or
every day for natural days). With s the start day, b the budget (limit + extensions) and o the counted
days skipped by closed pauses (each pause from P to R skips the counted days in (P, R]), the last counted
day is the one at position pos(s) + b + o (the start day itself when that is pos(s): 即办), and a
natural-day period that ends on a non-working day ends on the next working day instead (民法典 §203).
So a pause moves the deadline by exactly the counted days in (P, R], and the pause day itself counts.
The warn point is W counted days before the deadline: W = max(1, ceil(20% of the limit)) unless the
clock (its matter) sets W.

`replay(events, cal)` gives every stored field of `models.Clock`; the actions store exactly that.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Protocol
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.worktime.models import ClockState, EventKind, LimitUnit
from onestop.worktime.workdays import WorkCalendar, warn_days

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Light(models.TextChoices):
    GREEN = "green", _("On time")  # 绿灯
    YELLOW = "yellow", _("Close to the limit")  # 黄灯
    RED = "red", _("Overdue")  # 红灯
    PAUSED = "paused", _("Paused")  # 暂停


SEVERITY = {Light.PAUSED: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


class EventLike(Protocol):
    kind: str
    at: datetime
    day: date
    days: int | None
    legal_days: int | None
    unit: str
    warn_days: int | None
    reason: str


def midnight(day: date) -> datetime:
    """00:00 Asia/Shanghai at the start of `day`."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def end_of(day: date) -> datetime:
    """The end of `day` in Asia/Shanghai, i.e. 00:00 of the next day: how a deadline is stored."""
    return midnight(day + timedelta(days=1))


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Period:
    """A budget of counted days from a start day, with the counted days skipped by pauses."""

    start: date
    budget: int
    skipped: int
    unit: str

    def last_day(self, cal: WorkCalendar) -> date:
        """The last counted day (the deadline is its end)."""
        p0 = cal.pos(self.start, self.unit)
        p = p0 + self.budget + self.skipped
        if p == p0:
            return self.start  # 即办: the start day itself
        day = cal.day_at(p, self.unit)
        return cal.roll(day) if self.unit == LimitUnit.NATURAL else day

    def warn_at(self, cal: WorkCalendar, w: int, started_at: datetime) -> datetime:
        """W counted days before the deadline (never before the clock started)."""
        last = self.last_day(cal)
        p0, p = cal.pos(self.start, self.unit), cal.pos(last, self.unit) - w
        if p < p0:
            return started_at
        if p == p0:
            return end_of(self.start)
        return end_of(cal.day_at(p, self.unit))


@dataclass
class _Run:
    """The state of a replay as it walks the log."""

    start: date
    started_at: datetime
    unit: str
    limit: int
    legal: int
    warn_override: int | None
    extended: int = 0
    skipped: int = 0
    consumed: int = 0
    paused_day: date | None = None
    paused_at: datetime | None = None
    pause_reason: str = ""
    pause_limit: int | None = None
    stopped_at: datetime | None = None

    def counted_to(self, cal: WorkCalendar, day: date) -> int:
        return cal.pos(day, self.unit) - cal.pos(self.start, self.unit) - self.skipped


IDLE_VALUES: dict[str, Any] = {
    "clock_state": ClockState.IDLE, "limit_unit": LimitUnit.WORKDAY, "limit_days": None, "legal_limit_days": None,
    "warn_days": None, "extended_days": 0, "started_at": None, "stopped_at": None, "paused": False,
    "paused_at": None, "pause_reason": "", "pause_due_at": None, "pause_warn_at": None, "days_consumed": 0,
    "due_at": None, "warn_at": None, "legal_due_at": None, "provisional": False, "calendar_version": 0,
}


def _apply(run: _Run | None, e: EventLike, cal: WorkCalendar) -> _Run:
    if e.kind == EventKind.START:
        limit = e.days or 0
        legal = e.legal_days if e.legal_days is not None else limit
        return _Run(e.day, e.at, e.unit or LimitUnit.WORKDAY, limit, legal, e.warn_days)
    if run is None:
        raise ValueError("a clock's log begins with its start")
    running = run.paused_day is None and run.stopped_at is None
    if e.kind == EventKind.PAUSE:
        run.consumed = run.counted_to(cal, e.day)
        run.paused_day, run.paused_at, run.pause_reason, run.pause_limit = e.day, e.at, e.reason, e.days
    elif e.kind == EventKind.RESUME:
        if run.paused_day is None:
            raise ValueError("a resume follows a pause")
        run.skipped += cal.pos(e.day, run.unit) - cal.pos(run.paused_day, run.unit)
        run.paused_day, run.paused_at, run.pause_reason, run.pause_limit = None, None, "", None
    elif e.kind == EventKind.EXTEND:
        run.extended += e.days or 0
        if running:
            run.consumed = run.counted_to(cal, e.day)
    elif e.kind == EventKind.STOP:
        if running:
            run.consumed = run.counted_to(cal, e.day)
        run.stopped_at = e.at
    return run


def replay(events: Iterable[EventLike], cal: WorkCalendar) -> dict[str, Any]:
    """Every stored value of the clock, from its log (in order) under the calendar `cal`."""
    run: _Run | None = None
    for e in events:
        run = _apply(run, e, cal)
    if run is None:
        return dict(IDLE_VALUES)
    budget, legal_budget = run.limit + run.extended, run.legal + run.extended
    w = run.warn_override if run.warn_override is not None else warn_days(budget)
    period = Period(run.start, budget, run.skipped, run.unit)
    legal_period = Period(run.start, legal_budget, run.skipped, run.unit)
    due_day, legal_day = period.last_day(cal), legal_period.last_day(cal)
    values = {
        **IDLE_VALUES,
        "clock_state": ClockState.STOPPED if run.stopped_at else (ClockState.PAUSED if run.paused_day else ClockState.RUNNING),
        "limit_unit": run.unit, "limit_days": run.limit, "legal_limit_days": run.legal, "warn_days": w,
        "extended_days": run.extended, "started_at": run.started_at, "stopped_at": run.stopped_at,
        "days_consumed": run.consumed, "due_at": end_of(due_day), "warn_at": period.warn_at(cal, w, run.started_at),
        "legal_due_at": end_of(legal_day), "calendar_version": cal.version,
    }
    horizon = max(due_day, legal_day)
    if run.paused_day is not None and run.stopped_at is None:
        values.update(paused=True, paused_at=run.paused_at, pause_reason=run.pause_reason)
        if run.pause_limit is not None:  # the pause's own clock, e.g. the applicant's time for 补正
            own = Period(run.paused_day, run.pause_limit, 0, run.unit)
            own_day = own.last_day(cal)
            values.update(pause_due_at=end_of(own_day), pause_warn_at=own.warn_at(cal, warn_days(run.pause_limit), run.paused_at))
            horizon = max(horizon, own_day)
    values["provisional"] = cal.provisional(run.start, horizon)
    return values


def stored_values(clock: Any) -> dict[str, Any]:
    """The clock's stored values, in `replay`'s shape (to compare the two)."""
    return {name: getattr(clock, name) for name in IDLE_VALUES}


# -- lights (DESIGN.md, "Lights"): computed from timestamps, never stored -----------------------------


def light(clock: Any, now: datetime) -> str | None:
    """green before warn_at, yellow until due_at, red after; paused while paused; None before it starts.

    A stopped clock keeps the light it had when it stopped (red if it was finished late).
    """
    state = clock.clock_state
    if state == ClockState.IDLE:
        return None
    if state == ClockState.PAUSED:
        return Light.PAUSED
    at = clock.stopped_at if state == ClockState.STOPPED else now
    if at >= clock.due_at:
        return Light.RED
    return Light.YELLOW if at >= clock.warn_at else Light.GREEN


def pause_light(clock: Any, now: datetime) -> str | None:
    """The light of a pause that carries its own limit (a clock of its own), else None."""
    if clock.clock_state != ClockState.PAUSED or clock.pause_due_at is None:
        return None
    if now >= clock.pause_due_at:
        return Light.RED
    return Light.YELLOW if now >= clock.pause_warn_at else Light.GREEN


def legal_limit_passed(clock: Any, now: datetime) -> bool:
    """Whether the legal limit (法定时限) is passed: a violation of its own, beside the red light."""
    if clock.clock_state in (ClockState.IDLE, ClockState.PAUSED) or clock.legal_due_at is None:
        return False
    at = clock.stopped_at if clock.clock_state == ClockState.STOPPED else now
    return at >= clock.legal_due_at


def worst(lights: Iterable[str | None]) -> str | None:
    """The light of something made of several clocks: red > yellow > green > paused."""
    present = [x for x in lights if x is not None]
    return max(present, key=lambda x: SEVERITY[x]) if present else None


def remaining_days(clock: Any, today: date, cal: WorkCalendar) -> int | None:
    """Counted days left after `today` up to the deadline; negative when overdue."""
    if clock.due_at is None:
        return None
    last = local_day(clock.due_at) - timedelta(days=1)
    return cal.pos(last, clock.limit_unit) - cal.pos(today, clock.limit_unit)
