"""Public API of the official calendar (no login): deadlines and a year's calendar."""
from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from onestop.org.schemas import ErrorOut

from onestop.worktime import workdays
from onestop.worktime.queries import calendar_year_dict, check_deadline_query, explain_deadline, invalid

router = Router(tags=["worktime"])


class Skipped(Schema):
    date: str
    reason: str


class DeadlineOut(Schema):
    start: str
    days: int
    unit: str
    due_date: str
    provisional: bool
    skipped: list[Skipped]


class CalendarDayOut(Schema):
    date: str
    kind: str
    name: str


class CalendarOut(Schema):
    year: int
    published: bool
    provisional: bool
    version: int
    days: list[CalendarDayOut]


@router.get("/deadline", response={200: DeadlineOut, 400: ErrorOut}, auth=None)
def deadline(
    request: HttpRequest,
    start: str | None = Query(None, description="YYYY-MM-DD, 2004-01-01..2099-12-31", examples=["2026-02-13"]),
    days: str | None = Query(None, description="a whole number 0..1000", examples=["5"]),
    unit: str | None = Query(None, description="workday (default) or natural", examples=["workday"]),
) -> dict:
    """The due date of `days` working (or natural) days after `start` (截止日期计算), and the days skipped.

    `start` 2004-01-01..2099-12-31, `days` 0..1000, `unit` workday (default) or natural. A natural-day
    period whose last day is not a working day ends on the next working day (民法典 §203). `provisional`
    says a year on the way is not yet published and was computed by the weekend rule.
    """
    parsed = check_deadline_query(start, days, unit)
    if isinstance(parsed, dict):
        raise invalid(parsed)
    return explain_deadline(*parsed).as_dict()


@router.get("/calendar", response={200: CalendarOut, 400: ErrorOut}, auth=None)
def calendar(
    request: HttpRequest, year: str | None = Query(None, description="2004..2099", examples=["2026"])
) -> dict:
    """A year's holidays and working weekends (节假日与调休), and whether the year is published."""
    try:
        value = int(year or "")
    except ValueError:
        value = None
    if value is None or not workdays.INPUT_FIRST.year <= value <= workdays.INPUT_LAST.year:
        raise invalid({"year": ("年份须为 2004 至 2099。", "must be a year from 2004 to 2099")})
    return calendar_year_dict(value)
