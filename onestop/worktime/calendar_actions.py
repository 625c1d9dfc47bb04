"""Changing the official calendar (an administrator publishes a new year, or corrects one).

Every change, whatever its path (a file import, `replace_year`, the admin), ends in `calendar_changed`:
the version moves on (so every process's cached tables reload), every open clock touching the changed
years is recomputed under the new calendar, and one audit event names the version, the years and how
many clocks changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Iterable

from django.db import transaction
from django.db.models import F, Q

from onestop.audit.actions import record
from onestop.errors import Forbidden, InvalidInput
from onestop.worktime import workdays
from onestop.worktime.clock import IDLE_VALUES, end_of, midnight, replay, stored_values
from onestop.worktime.imports import check_rows, parse_file
from onestop.worktime.models import (
    CalendarDay, CalendarSource, CalendarVersion, CalendarYear, ClockEvent, ClockState, clock_models,
)

CALENDAR_AGGREGATE = ("worktime.Calendar", "official")
CHUNK = 500


@dataclass(frozen=True)
class Change:
    version: int
    years: tuple[int, ...]
    clocks_recomputed: int
    clocks_changed: int


def require_admin(actor: Any) -> None:
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == "administrator"):
        raise Forbidden("只有系统管理员可以修改官方日历。", "Only an administrator may change the official calendar.")


def year_snapshot(years: Iterable[int]) -> dict[str, Any]:
    """The years as they stand, for the audit event's before/after."""
    out: dict[str, Any] = {}
    for y in CalendarYear.objects.filter(year__in=list(years)).prefetch_related("days"):
        out[str(y.year)] = {"published": y.published, "notice": y.notice,
                            "days": [[d.date.isoformat(), d.kind, d.name] for d in y.days.all()]}
    return out


def _bump_version() -> CalendarVersion:
    version, _ = CalendarVersion.objects.select_for_update().get_or_create(pk=1, defaults={"number": 0})
    CalendarVersion.objects.filter(pk=1).update(number=F("number") + 1, token=CalendarVersion.new_token())
    version.refresh_from_db()
    return version


def recompute_open_clocks(years: Iterable[int], cal: workdays.WorkCalendar) -> tuple[int, int]:
    """Replay every open clock whose counting reaches into `years`; (recomputed, changed)."""
    years = sorted(years)
    lo, hi = midnight(date(years[0], 1, 1)), end_of(date(years[-1], 12, 31))
    touching = Q(due_at__gte=lo) | Q(legal_due_at__gte=lo) | Q(pause_due_at__gte=lo)
    recomputed = changed = 0
    for model in clock_models():
        ids = list(
            model.objects.filter(touching, clock_state__in=[ClockState.RUNNING, ClockState.PAUSED], started_at__lt=hi)
            .order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            clocks = list(model.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
            logs: dict[int, list[ClockEvent]] = {pk: [] for pk in chunk}
            for event in ClockEvent.objects.filter(clock_type=model._meta.label, clock_id__in=chunk).order_by("clock_id", "seq"):
                logs[event.clock_id].append(event)
            for clock in clocks:
                values = replay(logs[clock.pk], cal)
                old = stored_values(clock)
                if any(old[k] != v for k, v in values.items() if k != "calendar_version"):
                    changed += 1
                for name, value in values.items():
                    setattr(clock, name, value)
            if clocks:
                model.objects.bulk_update(clocks, list(IDLE_VALUES), batch_size=CHUNK)
            recomputed += len(clocks)
    return recomputed, changed


def calendar_changed(years: Iterable[int], actor: Any, *, before: dict[str, Any], reason: str = "") -> Change:
    """Record a change to `years` already written in this transaction: new version, clocks, one audit event."""
    years = tuple(sorted(set(years)))
    with transaction.atomic():
        version = _bump_version()
        cal = workdays.load()
        recomputed, changed = recompute_open_clocks(years, cal) if years else (0, 0)
        change = Change(version.number, years, recomputed, changed)
        record(
            CALENDAR_AGGREGATE, "worktime.calendar_changed", actor, before=before,
            after={"version": version.number, "years": list(years), "clocks_recomputed": recomputed,
                   "clocks_changed": changed, "calendar": year_snapshot(years)},
            reason=reason or f"calendar version {version.number}: {recomputed} open clocks recomputed, {changed} changed",
        )
        transaction.on_commit(lambda: workdays.install(None))
    return change


def _write_year(year: int, rows: list[tuple[date, str, str]], *, published: bool, notice: str, source: str) -> None:
    cy, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"published": published, "notice": notice, "source": source}
    )
    CalendarDay.objects.filter(year=cy).delete()
    CalendarDay.objects.bulk_create([CalendarDay(year=cy, date=d, kind=k, name=n) for d, k, n in rows])


def replace_year(
    year: int, rows: Iterable[tuple[Any, Any, Any]], actor: Any, *, published: bool = True, notice: str = "",
    source: str = CalendarSource.ADMIN, reason: str = "",
) -> Change:
    """Set a year's named days (date, kind, name) and whether it is published; every bad row is named."""
    require_admin(actor)
    if not isinstance(year, int) or not 2004 <= year <= 2099:
        raise InvalidInput("年份须在 2004 至 2099 之间。", "The year must be from 2004 to 2099.",
                           fields={"year": "must be from 2004 to 2099"})
    parsed = check_rows((n, d, k, name) for n, (d, k, name) in enumerate(rows, start=1))
    errors = dict(parsed.errors)
    for day, _, _ in parsed.rows:
        if day.year != year:
            errors[f"day {day}"] = f"{day} is not in {year}"
    if errors:
        raise InvalidInput("日历有误，未作任何修改。", "The calendar has errors; nothing was changed.", fields=errors)
    with transaction.atomic():
        before = year_snapshot([year])
        _write_year(year, parsed.rows, published=published, notice=notice, source=source)
        return calendar_changed([year], actor, before=before, reason=reason)


def import_calendar(upload: BinaryIO, filename: str, actor: Any, *, notice: str = "") -> Change:
    """Import the years in a CSV/.xlsx file (date, kind, name): each year replaced whole and published.

    Nothing is imported when any row is bad; the error names every bad row.
    """
    require_admin(actor)
    parsed = parse_file(upload, filename)
    if parsed.errors:
        raise InvalidInput("文件有误，未导入任何内容。", "The file has errors; nothing was imported.", fields=parsed.errors)
    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for row in parsed.rows:
        by_year.setdefault(row[0].year, []).append(row)
    with transaction.atomic():
        before = year_snapshot(by_year)
        for year, rows in by_year.items():
            _write_year(year, rows, published=True, notice=notice, source=CalendarSource.IMPORT)
        return calendar_changed(by_year, actor, before=before, reason=f"imported {filename}")


def set_published(year: int, published: bool, actor: Any) -> Change:
    """Publish (or withdraw) a year as it stands."""
    require_admin(actor)
    with transaction.atomic():
        before = year_snapshot([year])
        CalendarYear.objects.update_or_create(year=year, defaults={"published": published})
        return calendar_changed([year], actor, before=before)
