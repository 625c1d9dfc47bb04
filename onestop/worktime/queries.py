"""The read side: deadline explanations, the calendar of a year, clock filters for lists and sweeps."""
from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q

from onestop.errors import InvalidInput
from onestop.worktime import workdays
from onestop.worktime.models import CalendarDay, CalendarYear, ClockState, DayKind

# Field problems as (Chinese, English); the API puts the English text in `fields`, pages show either.
Problems = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Deadline:
    start: date
    days: int
    unit: str
    due_date: date
    provisional: bool
    skipped: list[tuple[date, str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(), "days": self.days, "unit": self.unit,
            "due_date": self.due_date.isoformat(), "provisional": self.provisional,
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
        }


def _date_problem(text: str | None) -> tuple[date | None, tuple[str, str] | None]:
    if not text:
        return None, ("请填写日期。", "required, as YYYY-MM-DD")
    try:
        if len(text) != 10:
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        return None, ("日期格式须为 YYYY-MM-DD。", f"{text!r} is not a date as YYYY-MM-DD")
    if not workdays.INPUT_FIRST <= value <= workdays.INPUT_LAST:
        return None, ("日期须在 2004-01-01 至 2099-12-31 之间。", "must be from 2004-01-01 to 2099-12-31")
    return value, None


def _days_problem(text: str | int | None) -> tuple[int | None, tuple[str, str] | None]:
    if text is None or text == "":
        return None, ("请填写天数。", f"required, a whole number from 0 to {workdays.MAX_DAYS}")
    try:
        value = int(str(text).strip())
    except ValueError:
        return None, ("天数须为整数。", f"{text!r} is not a whole number")
    if not 0 <= value <= workdays.MAX_DAYS:
        return None, (f"天数须在 0 至 {workdays.MAX_DAYS} 之间。", f"must be from 0 to {workdays.MAX_DAYS}")
    return value, None


def check_deadline_query(start: str | None, days: str | int | None, unit: str | None) -> tuple[date, int, str] | Problems:
    """The parsed (start, days, unit), or the problem of every bad parameter."""
    problems: Problems = {}
    start_value, problem = _date_problem(start)
    if problem:
        problems["start"] = problem
    days_value, problem = _days_problem(days)
    if problem:
        problems["days"] = problem
    unit = unit or workdays.WORKDAY
    if unit not in workdays.UNITS:
        problems["unit"] = ("单位须为 workday（工作日）或 natural（自然日）。", "must be workday or natural")
    if problems:
        return problems
    return start_value, days_value, unit  # type: ignore[return-value]


def invalid(problems: Problems) -> InvalidInput:
    return InvalidInput("输入有误，请检查标出的参数。", "Invalid input; see the parameters named.",
                        fields={k: en for k, (_, en) in problems.items()})


def explain_deadline(start: date, days: int, unit: str = workdays.WORKDAY, cal: workdays.WorkCalendar | None = None) -> Deadline:
    """The due date and every non-working day passed over to reach it (weekends too), with the reason.

    For working days that is every non-working day after the start up to the due date; for natural days
    (which count weekends) it is the non-working days a last day rolled over (民法典 §203).
    """
    cal = cal or workdays.current()
    due = cal.add(start, days, unit)
    if unit == workdays.NATURAL and days > 0:
        nominal = date.fromordinal(start.toordinal() + days)
        skipped = cal.non_workdays(date.fromordinal(nominal.toordinal() - 1), due)
    else:
        skipped = cal.non_workdays(start, due)
    return Deadline(start, days, unit, due, cal.provisional(start, due), skipped)


@dataclass(frozen=True)
class YearView:
    year: int
    published: bool
    notice: str
    days: list[CalendarDay]
    months: list[dict[str, Any]]


def calendar_year(year: int, cal: workdays.WorkCalendar | None = None) -> YearView:
    """A year's named days, whether it is published, and month grids (weeks Monday first) for the page."""
    cal = cal or workdays.current()
    record = CalendarYear.objects.filter(year=year).first()
    published = bool(record and record.published)
    # an unpublished year follows the weekend rule: its draft rows, if any, are not shown as in force
    days = list(CalendarDay.objects.filter(year=record).order_by("date")) if published else []
    named = {d.date: d for d in days}
    months = []
    grid = stdlib_calendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells = []
            for day in week:
                entry = named.get(day)
                kind = entry.kind if entry else ("weekend" if day.weekday() >= 5 else "")
                cells.append({"date": day, "in_month": day.month == month, "kind": kind,
                              "name": entry.name if entry else "", "workday": cal.is_workday(day)})
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return YearView(year, published, record.notice if record else "", days, months)


def calendar_year_dict(year: int) -> dict[str, Any]:
    view = calendar_year(year)
    return {
        "year": year, "published": view.published, "provisional": not view.published,
        "version": workdays.current().version,
        "days": [{"date": d.date.isoformat(), "kind": d.kind, "name": d.name} for d in view.days],
    }


# -- clock filters (the lights, the sweeper and lists build on these) ---------------------------------

OPEN = Q(clock_state__in=[ClockState.RUNNING, ClockState.PAUSED])


def red_q(now: datetime) -> Q:
    return Q(clock_state=ClockState.RUNNING, due_at__lte=now)


def yellow_q(now: datetime) -> Q:
    return Q(clock_state=ClockState.RUNNING, warn_at__lte=now, due_at__gt=now)


def green_q(now: datetime) -> Q:
    return Q(clock_state=ClockState.RUNNING, warn_at__gt=now)


def legal_passed_q(now: datetime) -> Q:
    return Q(clock_state=ClockState.RUNNING, legal_due_at__lte=now)


HOLIDAY, WORKING_WEEKEND = DayKind.HOLIDAY, DayKind.WORKDAY
