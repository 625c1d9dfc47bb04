"""The write side of the clock: start, pause, resume, extend, stop (计时、暂停、恢复、延期、办结).

Each is one transaction: it locks the clock's row, checks the clock's state (409 with the state when the
action does not fit), appends one `ClockEvent`, stores the values that replaying the whole log gives, and
writes the audit event. Whoever owns the clocked thing (a task, an application...) checks who may act on
it before calling these; an extension is checked here too, as it needs an approver who may approve it.
The calendar's own actions (publishing or changing a year) are in `calendar_actions`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record
from onestop.errors import Conflict, Forbidden, InvalidInput, field_error
from onestop.worktime import workdays
from onestop.worktime.clock import IDLE_VALUES, local_day, replay, stored_values
from onestop.worktime.models import Clock, ClockEvent, ClockState, EventKind, LimitUnit, PauseReason

EXTENSION_APPROVER_ROLES = frozenset({"department_head", "supervisor", "administrator"})

_STATE_ZH = {"idle": "未开始计时", "running": "计时中", "paused": "已暂停", "stopped": "已办结"}


def _conflict(clock: Clock, zh: str, en: str) -> Conflict:
    state = clock.clock_state
    return Conflict(f"{zh}（当前状态：{_STATE_ZH.get(state, state)}）", f"{en} (the clock is {state}).", state=state)


def _lock(clock: Clock) -> Clock:
    return type(clock).objects.select_for_update().get(pk=clock.pk)


def events_of(clock: Clock) -> list[ClockEvent]:
    """The clock's log, in order."""
    return list(ClockEvent.objects.filter(clock_type=clock._meta.label, clock_id=clock.pk).order_by("seq"))


def _when(at: datetime | None, log: list[ClockEvent]) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise field_error("at", "时间须带时区。", "The time needs a time zone.")
    if log and at < log[-1].at:
        raise field_error("at", "时间早于该时限的上一条记录。", "The time is before the clock's previous event.")
    day = local_day(at)
    if not workdays.FIRST <= day <= workdays.INPUT_LAST:
        raise field_error("at", "日期超出日历范围。", f"The date is outside {workdays.FIRST}..{workdays.INPUT_LAST}.")
    return at


def _days(value: Any, field: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= workdays.MAX_DAYS:
        raise field_error(field, f"天数须为 {least} 至 {workdays.MAX_DAYS} 的整数。",
                          f"Must be a whole number from {least} to {workdays.MAX_DAYS}.")
    return value


def _append(clock: Clock, log: list[ClockEvent], kind: str, at: datetime, actor: Any, **fields: Any) -> ClockEvent:
    event = ClockEvent.objects.create(
        clock_type=clock._meta.label, clock_id=clock.pk, seq=len(log) + 1, kind=kind, at=at, day=local_day(at),
        actor=actor if getattr(actor, "pk", None) else None, **fields,
    )
    log.append(event)
    return event


def _settle(locked: Clock, given: Clock, log: list[ClockEvent], action: str, actor: Any, reason: str = "") -> Clock:
    """Store what the log replays to, audit the change, and refresh the caller's instance."""
    before = stored_values(locked)
    try:
        values = replay(log, workdays.current())
    except workdays.OutOfRange as exc:
        raise InvalidInput("时限超出日历范围。", f"The deadline falls outside the calendar: {exc}.") from None
    for name, value in values.items():
        setattr(locked, name, value)
        setattr(given, name, value)
    locked.save(update_fields=list(IDLE_VALUES))
    record(locked, action, actor, before=before, after=values, reason=reason)
    return given


def start_clock(
    clock: Clock,
    actor: Any = None,
    *,
    limit_days: int | None = None,
    legal_limit_days: int | None = None,
    unit: str | None = None,
    warn_days: int | None = None,
    matter: Any = None,
    at: datetime | None = None,
) -> Clock:
    """Start counting (开始计时) against the promised limit; a matter supplies its limits and warn point."""
    if matter is not None:
        limit_days = matter.promised_limit if limit_days is None else limit_days
        legal_limit_days = matter.legal_limit if legal_limit_days is None else legal_limit_days
        unit = unit or matter.limit_unit
        warn_days = matter.warn_days if warn_days is None else warn_days
    unit = unit or LimitUnit.WORKDAY
    if unit not in LimitUnit.values:
        raise field_error("unit", "单位须为 workday 或 natural。", "Must be workday or natural.")
    limit = _days(limit_days, "limit_days")
    legal = limit if legal_limit_days is None else _days(legal_limit_days, "legal_limit_days")
    if legal < limit:
        raise field_error("legal_limit_days", "法定时限不得短于承诺时限。", "Must not be shorter than the promised limit.")
    if warn_days is not None:
        _days(warn_days, "warn_days")
    with transaction.atomic():
        locked = _lock(clock)
        if locked.clock_state != ClockState.IDLE:
            raise _conflict(locked, "该时限已开始计时", "This clock has already started")
        log = events_of(locked)
        at = _when(at, log)
        _append(locked, log, EventKind.START, at, actor, days=limit, legal_days=legal, unit=unit, warn_days=warn_days)
        return _settle(locked, clock, log, "worktime.clock_started", actor)


def pause_clock(
    clock: Clock, actor: Any = None, *, reason: str, limit_days: int | None = None, note: str = "",
    at: datetime | None = None,
) -> Clock:
    """Pause (暂停计时) for 补正, 公示, 专家评审, 现场勘验, 听证, 检验检测 or another reason.

    The pause day still counts; `limit_days` gives a pause that waits on the applicant its own limit.
    """
    if reason not in PauseReason.values:
        raise field_error("reason", "暂停原因不在列表中。", f"Must be one of {', '.join(PauseReason.values)}.")
    if reason == PauseReason.OTHER and not note.strip():
        raise field_error("note", "“其他”原因须写明。", "Say what the other reason is.")
    if limit_days is not None:
        _days(limit_days, "limit_days", least=1)
    with transaction.atomic():
        locked = _lock(clock)
        if locked.clock_state != ClockState.RUNNING:
            raise _conflict(locked, "只有计时中的时限可以暂停", "Only a running clock can be paused")
        log = events_of(locked)
        at = _when(at, log)
        _append(locked, log, EventKind.PAUSE, at, actor, reason=reason, days=limit_days, note=note)
        return _settle(locked, clock, log, "worktime.clock_paused", actor, reason=note or reason)


def resume_clock(clock: Clock, actor: Any = None, *, note: str = "", at: datetime | None = None) -> Clock:
    """Resume (恢复计时): counting starts again the day after the resume day."""
    with transaction.atomic():
        locked = _lock(clock)
        if locked.clock_state != ClockState.PAUSED:
            raise _conflict(locked, "只有已暂停的时限可以恢复", "Only a paused clock can be resumed")
        log = events_of(locked)
        at = _when(at, log)
        _append(locked, log, EventKind.RESUME, at, actor, note=note)
        return _settle(locked, clock, log, "worktime.clock_resumed", actor, reason=note)


def extend_clock(
    clock: Clock, actor: Any = None, *, days: int, reason: str, approver: Any, at: datetime | None = None
) -> Clock:
    """Extend the limit (延长时限) by `days` in the clock's unit, with the reason and who approved it."""
    _days(days, "days", least=1)
    if not reason or not reason.strip():
        raise field_error("reason", "请写明延期理由。", "Give the reason for the extension.")
    if approver is None or getattr(approver, "pk", None) is None:
        raise field_error("approver", "延期须有批准人。", "An extension needs an approver.")
    if not (approver.role in EXTENSION_APPROVER_ROLES or approver.is_superuser):
        raise Forbidden("批准人无权批准延期。", "The approver may not approve extensions.")
    with transaction.atomic():
        locked = _lock(clock)
        if locked.clock_state not in (ClockState.RUNNING, ClockState.PAUSED):
            raise _conflict(locked, "只有未办结的时限可以延期", "Only an open clock can be extended")
        log = events_of(locked)
        at = _when(at, log)
        _append(locked, log, EventKind.EXTEND, at, actor, days=days, note=reason.strip(), approver=approver)
        return _settle(locked, clock, log, "worktime.clock_extended", actor, reason=reason.strip())


def stop_clock(clock: Clock, actor: Any = None, *, note: str = "", at: datetime | None = None) -> Clock:
    """Stop the clock (办结/终止): its values stay as they are at the stop."""
    with transaction.atomic():
        locked = _lock(clock)
        if locked.clock_state not in (ClockState.RUNNING, ClockState.PAUSED):
            raise _conflict(locked, "只有未办结的时限可以停止", "Only an open clock can be stopped")
        log = events_of(locked)
        at = _when(at, log)
        _append(locked, log, EventKind.STOP, at, actor, note=note)
        return _settle(locked, clock, log, "worktime.clock_stopped", actor, reason=note)
