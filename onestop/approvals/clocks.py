"""Starting and stopping the clocks of applications, tasks and owed materials in bulk.

The values come from the worktime app's own rule: `worktime.clock.replay` over the clock's log, and the log
is `worktime.models.ClockEvent`, the same append-only table `worktime.actions` writes. What differs from
`worktime.actions.start_clock/stop_clock` is only the batching: an accepted application starts its own clock
and one per task (and per owed material) with one insert of events and the values set on the rows as they
are created, and the audit event is the application's (one per action, not one per clock). Pauses,
resumes and extensions, which are rare, go through `worktime.actions` itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from onestop import sql
from onestop.worktime import workdays
from onestop.worktime.clock import local_day, replay
from onestop.worktime.models import Clock, ClockEvent, EventKind, LimitUnit


@dataclass
class Ev:
    """An event in memory, in `replay`'s shape."""

    kind: str
    at: datetime
    day: date
    days: int | None = None
    legal_days: int | None = None
    unit: str = ""
    warn_days: int | None = None
    reason: str = ""


LOG_FIELDS = ("kind", "at", "day", "days", "legal_days", "unit", "warn_days", "reason")  # Ev's, in order


@dataclass
class Limit:
    days: int
    legal: int
    unit: str = LimitUnit.WORKDAY
    warn: int | None = None


def matter_limit(matter: Any) -> Limit:
    return Limit(matter.promised_limit, matter.legal_limit, matter.limit_unit or LimitUnit.WORKDAY, matter.warn_days)


def start_values(limit: Limit, at: datetime) -> tuple[dict[str, Any], Ev]:
    """The stored values of a clock started at `at` against `limit`, and its start event."""
    ev = Ev(EventKind.START, at, local_day(at), limit.days, max(limit.legal, limit.days), limit.unit, limit.warn)
    return replay([ev], workdays.current()), ev


EVENT_FIELDS = ("clock_type", "clock_id", "seq", "kind", "at", "day", "days", "legal_days", "unit", "warn_days",
                "reason", "note", "actor_id", "approver_id")


def start_rows(pairs: Iterable[tuple[Clock, Ev]], actor: Any) -> sql.Rows:
    """The start events of clocks just created, as rows to insert (`sql.Writes`)."""
    actor_id = getattr(actor, "pk", None)
    return ClockEvent, EVENT_FIELDS, [
        (clock._meta.label, clock.pk, 1, ev.kind, ev.at, ev.day, ev.days, ev.legal_days, ev.unit, ev.warn_days,
         ev.reason, "", actor_id, None) for clock, ev in pairs]


def log_of(clock: Clock) -> list[Ev]:
    """The clock's log in order, as plain values in `replay`'s shape (cheaper than model rows)."""
    return [Ev(*row) for row in sql.rows(ClockEvent, LOG_FIELDS, {"clock_type": clock._meta.label,
                                                                   "clock_id": clock.pk}, order="seq")]


def _log_join(model: type[Clock]) -> dict[str, Any]:
    """How a clock's log joins its row, for `sql.locked_with_log` and `sql.get_with_log`."""
    return {"log": ClockEvent, "log_names": LOG_FIELDS, "owner": "clock_id", "order": "seq",
            "fixed": {"clock_type": model._meta.label}}


def locked_with_log(model: type[Clock], names: tuple[str, ...], pk: int,
                    lock_also: tuple[str, ...] = ()) -> tuple[tuple, list[Ev]] | None:
    """A clock's row (`names`) locked, and its log, by one statement (`sql.locked_with_log`)."""
    found = sql.locked_with_log(model, names, pk, lock_also=lock_also, **_log_join(model))
    return None if found is None else (found[0], [Ev(*row) for row in found[1]])


def get_with_log(model: type[Clock], pk: int, related: tuple[str, ...] = ()) -> tuple[Clock, list[Ev]] | None:
    """A clock's whole row (and its `related` rows) locked, and its log, by one statement (`sql.get_with_log`)."""
    found = sql.get_with_log(model, pk, related=related, **_log_join(model))
    return None if found is None else (found[0], [Ev(*row) for row in found[1]])


def stop(clock: Clock, at: datetime, actor: Any, note: str = "",
         log: list[Ev] | None = None) -> tuple[dict[str, Any], ClockEvent]:
    """Stop an open clock: the values the stop changes (with `days_consumed`) and its stop event, which the
    caller stores together with the row's update (`sql.Writes`, carried by the action's audit event: one
    statement on PostgreSQL). `log` is the clock's log if the caller read it with the row
    (`locked_with_log`); else it is read here.

    Only what the stop changes is returned: on SQLite an UPDATE rewrites every index of every column it sets,
    and a clock has five indexed times that a stop leaves as they are. If the calendar changed since the
    values were stored, every value is returned, so the row is brought back in line with its log.
    """
    if log is None:
        log = log_of(clock)
    if log and at < log[-1].at:
        at = log[-1].at
    ev = Ev(EventKind.STOP, at, local_day(at))
    event = ClockEvent(clock_type=clock._meta.label, clock_id=clock.pk, seq=len(log) + 1, kind=ev.kind, at=ev.at,
                       day=ev.day, note=note, actor_id=getattr(actor, "pk", None))
    cal = workdays.current()
    after = replay([*log, ev], cal)
    if clock.calendar_version != cal.version:
        return after, event
    before = replay(log, cal)
    return {k: v for k, v in after.items() if v != before[k] or k == "days_consumed"}, event


def stop_values(clock: Clock, at: datetime, actor: Any, note: str = "") -> dict[str, Any]:
    """`stop` with its event stored at once, for the stops that write their row in their own way."""
    values, event = stop(clock, at, actor, note)
    sql.insert_new(event, EVENT_FIELDS)
    return values
