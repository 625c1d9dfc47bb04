"""The write side of 企业特派员: visits, demands (诉求) on the legal clock, verdicts, reassignment.

A demand's limit is the setting `ONESTOP_DEMAND_DAYS` (working days, default 15). States: raised →
assigned (to a department) → in progress → resolved (with the resolution text) or unresolvable (with the
explanation); the enterprise then confirms or disputes. A disputed resolution stays on record and shows on
the supervisor's overview; a new demand may be raised for what is still owed.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.enterprises.models import CommissionerAssignment, Enterprise
from onestop.errors import Conflict, NotFound, field_error
from onestop.org.access import (
    ORGANISATION_ROLES, enterprise_for, has_role, is_admin, is_current_commissioner, require,
)
from onestop.org.models import Account, Department, Role
from onestop.outreach import access
from onestop.outreach.actions import text
from onestop.outreach.models import (
    OPEN_DEMAND_STATES, Demand, DemandCategory, DemandState, Verdict, Visit,
)
from onestop.worktime import actions as clock
from onestop.worktime.clock import local_day

DEFAULT_DEMAND_DAYS = 15
_STATE_ZH = {"raised": "已提出", "assigned": "已交办", "in_progress": "办理中", "resolved": "已解决",
             "unresolvable": "无法解决"}


def demand_days() -> int:
    """Working days a demand has: setting `ONESTOP_DEMAND_DAYS` (default 15)."""
    return int(getattr(settings, "ONESTOP_DEMAND_DAYS", DEFAULT_DEMAND_DAYS))


def _conflict(d: Demand, zh: str, en: str) -> Conflict:
    return Conflict(f"{zh}（当前状态：{_STATE_ZH.get(d.state, d.state)}）", f"{en} (the demand is {d.state}).",
                    state=d.state)


def _commissioned(actor: Account, enterprise_id: Any) -> Enterprise:
    """The enterprise, if the caller sees it (404), and is its current commissioner or an admin (403)."""
    if not isinstance(enterprise_id, int) or isinstance(enterprise_id, bool):
        raise field_error("enterprise_id", "企业不存在。", "No such enterprise.", code="unknown")
    enterprise = enterprise_for(actor, enterprise_id)
    require(is_admin(actor) or is_current_commissioner(actor, enterprise),
            "只有该企业的特派员可以记录。", "Only the enterprise's commissioner may record this.")
    return enterprise


def log_visit(actor: Account, *, enterprise_id: int, visited_on: date, met: str, discussed: str,
              at: datetime | None = None) -> Visit:
    """记录走访: the date, who was met, what was discussed."""
    at = at or timezone.now()
    if not isinstance(visited_on, date) or visited_on > local_day(at):
        raise field_error("visited_on", "走访日期无效或晚于今天。", "Must be a date not in the future.")
    met, discussed = text(met, "met", required=True, limit=200), text(discussed, "discussed", required=True)
    with transaction.atomic():
        enterprise = _commissioned(actor, enterprise_id)
        visit = Visit.objects.create(enterprise=enterprise, commissioner=actor, visited_on=visited_on, met=met,
                                     discussed=discussed, created_at=at)
        record(visit, "outreach.visit_logged", actor, after=snapshot(visit))
    return visit


def _department(department_id: Any) -> Department | None:
    if department_id is None:
        return None
    found = Department.objects.filter(pk=department_id).first() if isinstance(department_id, int) else None
    if found is None:
        raise field_error("department_id", "部门不存在。", "No such department.", code="unknown")
    return found


def raise_demand(actor: Account, *, enterprise_id: int, category: str, description: str,
                 department_id: int | None = None, visit_id: int | None = None, at: datetime | None = None) -> Demand:
    """记录诉求: its clock starts; naming the department assigns it at once."""
    if category not in DemandCategory.values:
        raise field_error("category", "诉求类别无效。", f"Must be one of {', '.join(DemandCategory.values)}.")
    description = text(description, "description", required=True)
    department = _department(department_id)
    at = at or timezone.now()
    with transaction.atomic():
        enterprise = _commissioned(actor, enterprise_id)
        visit = None
        if visit_id is not None:
            visit = Visit.objects.filter(pk=visit_id, enterprise=enterprise).first()
            if visit is None:
                raise field_error("visit_id", "该企业没有这次走访。", "No such visit to this enterprise.", code="unknown")
        demand = Demand.objects.create(
            enterprise=enterprise, commissioner=actor, visit=visit, category=category, description=description,
            department=department, state=DemandState.ASSIGNED if department else DemandState.RAISED, raised_at=at)
        record(demand, "outreach.demand_raised", actor, after=snapshot(demand))
        days = demand_days()
        clock.start_clock(demand, actor, limit_days=days, legal_limit_days=days, at=at)
    return demand


def _locked(actor: Account, pk: int) -> Demand:
    found = access.visible_demands(actor).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("demand", "诉求")
    return found


def _working(actor: Account, pk: int, states: tuple[str, ...], zh: str, en: str) -> Demand:
    demand = _locked(actor, pk)
    require(access.may_work_demand(actor, demand), "您不能办理该诉求。", "You may not work on this demand.")
    if demand.state not in states:
        raise _conflict(demand, zh, en)
    return demand


def assign_demand(actor: Account, pk: int, *, department_id: int, at: datetime | None = None) -> Demand:
    """交办: the demand goes to a department."""
    department = _department(department_id)
    if department is None:
        raise field_error("department_id", "请选择部门。", "Choose a department.", code="required")
    at = at or timezone.now()
    with transaction.atomic():
        demand = _working(actor, pk, OPEN_DEMAND_STATES, "该诉求已办结", "The demand is finished")
        before = snapshot(demand, ["state", "department"])
        demand.department = department
        if demand.state == DemandState.RAISED:
            demand.state = DemandState.ASSIGNED
        demand.save(update_fields=["department", "state"])
        record(demand, "outreach.demand_assigned", actor, before=before, after=snapshot(demand, ["state", "department"]))
    return demand


def start_demand(actor: Account, pk: int, *, at: datetime | None = None) -> Demand:
    """开始办理: the department (or the commissioner) is working on it."""
    with transaction.atomic():
        demand = _working(actor, pk, (DemandState.ASSIGNED,), "诉求须先交办部门", "The demand is not assigned")
        demand.state = DemandState.IN_PROGRESS
        demand.save(update_fields=["state"])
        record(demand, "outreach.demand_started", actor, before={"state": DemandState.ASSIGNED},
               after={"state": demand.state})
    return demand


def _finish(actor: Account, pk: int, state: str, field: str, value: str, at: datetime | None) -> Demand:
    at = at or timezone.now()
    with transaction.atomic():
        demand = _working(actor, pk, OPEN_DEMAND_STATES, "该诉求已办结", "The demand is finished")
        before = demand.state
        demand.state, demand.finished_at = state, at
        setattr(demand, field, value)
        demand.save(update_fields=["state", "finished_at", field])
        record(demand, f"outreach.demand_{state}", actor, before={"state": before},
               after={"state": state, field: value})
        clock.stop_clock(demand, actor, note=value[:200], at=at)
    return demand


def resolve_demand(actor: Account, pk: int, *, resolution: str, at: datetime | None = None) -> Demand:
    """已解决: refused without the resolution text."""
    resolution = text(resolution, "resolution", required=True)
    return _finish(actor, pk, DemandState.RESOLVED, "resolution", resolution, at)


def declare_unresolvable(actor: Account, pk: int, *, explanation: str, at: datetime | None = None) -> Demand:
    """无法解决: refused without the explanation given to the enterprise."""
    explanation = text(explanation, "explanation", required=True)
    return _finish(actor, pk, DemandState.UNRESOLVABLE, "explanation", explanation, at)


def give_verdict(actor: Account, pk: int, *, verdict: str, note: str = "", at: datetime | None = None) -> Demand:
    """企业确认或提出异议: once, by the enterprise, after the demand is finished; a dispute needs a note."""
    if verdict not in (Verdict.CONFIRMED, Verdict.DISPUTED):
        raise field_error("verdict", "请选择确认或异议。", "Must be confirmed or disputed.")
    note = text(note, "note", required=verdict == Verdict.DISPUTED)
    at = at or timezone.now()
    with transaction.atomic():
        demand = _locked(actor, pk)
        require(has_role(actor, *ORGANISATION_ROLES) and actor.organisation_id == demand.enterprise_id,
                "只有该企业可以确认。", "Only the enterprise may confirm or dispute.")
        if demand.state in OPEN_DEMAND_STATES or demand.verdict:
            raise _conflict(demand, "诉求尚未办结或已确认", "The demand is not awaiting the enterprise's verdict")
        demand.verdict, demand.verdict_note, demand.verdict_at = verdict, note, at
        demand.save(update_fields=["verdict", "verdict_note", "verdict_at"])
        record(demand, "outreach.demand_verdict", actor, after={"verdict": verdict, "note": note})
    return demand


def reassign_commissioner(actor: Account, *, enterprise_id: int, commissioner_id: int,
                          on: date | None = None) -> CommissionerAssignment:
    """改派特派员: the current assignment ends the day before `on`, a new one starts on `on` (history kept)."""
    on = on or timezone.localdate()
    if not isinstance(on, date):
        raise field_error("on", "日期无效。", "Must be a date.")
    commissioner = Account.objects.filter(pk=commissioner_id, role=Role.COMMISSIONER, is_active=True).first() \
        if isinstance(commissioner_id, int) else None
    if commissioner is None:
        raise field_error("commissioner_id", "特派员不存在。", "No such commissioner.", code="unknown")
    with transaction.atomic():
        enterprise = enterprise_for(actor, enterprise_id, for_update=True) if isinstance(enterprise_id, int) \
            else None
        if enterprise is None:
            raise field_error("enterprise_id", "企业不存在。", "No such enterprise.", code="unknown")
        require(access.supervises(actor, enterprise.place) if enterprise.place_id else is_admin(actor),
                "只有督办人员或管理员可以改派特派员。", "Only a supervisor or an administrator may reassign.")
        current = CommissionerAssignment.objects.select_for_update().filter(enterprise=enterprise,
                                                                            until__isnull=True).first()
        if current is not None and current.commissioner_id == commissioner.pk:
            raise Conflict("该特派员已负责此企业。", "This commissioner is already assigned.", state="assigned")
        before = snapshot(current) if current else {}
        if current is not None:
            current.until = max(current.since, on - timedelta(days=1))
            current.save(update_fields=["until"])
        new = CommissionerAssignment.objects.create(commissioner=commissioner, enterprise=enterprise, since=on)
        record(enterprise, "outreach.commissioner_reassigned", actor, before=before, after=snapshot(new))
    return new
