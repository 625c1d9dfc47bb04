"""The battle plan (作战计划表) and the division-of-labour table (分工明细表): the write side.

Milestones are on the common clock: adding one starts its clock on the planned start with the natural days
to the planned end as its limit; recording the actual end stops it (late if after the deadline, so the
light and the overdue ledger see it like a task). Every change is audited on the project's chain.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.errors import Conflict, NotFound, field_error
from onestop.org import access as org_access
from onestop.org.models import Account, Department
from onestop.stewards import access
from onestop.stewards.actions import refuse_unknown
from onestop.stewards.models import Milestone, WorkItem, WorkState
from onestop.worktime import actions as clock_actions
from onestop.worktime.clock import SHANGHAI
from onestop.worktime.models import ClockState, LimitUnit

MILESTONE_FIELDS = {"name", "planned_start", "planned_end", "owner_id", "department_id", "depends_on", "note",
                    "position"}
WORK_FIELDS = {"title", "department_id", "owner_id", "deadline", "state", "note"}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _require_plan(actor: Account, project) -> None:
    org_access.require(access.can_plan(actor, project), "只有项目管家可以修改计划。",
                       "Only the project's stewards may change its plan.")


def _date(value: Any, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise field_error(field, "请填写日期。", "A date is required.", code="required")
    return value


def _owner(pk: Any, field: str = "owner_id") -> Account | None:
    if pk is None:
        return None
    found = Account.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None
    if found is None or found.is_applicant:
        raise field_error(field, "责任人须为在岗工作人员。", "Must be an active staff account.")
    return found


def _department(pk: Any) -> Department | None:
    if pk is None:
        return None
    found = Department.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise field_error("department_id", "部门不存在。", "No such department.")
    return found


def _dependencies(project, ids: Iterable[int], planned_start: date, own: int | None = None) -> list[Milestone]:
    ids = list(dict.fromkeys(ids or []))
    found = list(Milestone.objects.filter(project=project, pk__in=ids).exclude(pk=own))
    if len(found) != len(ids):
        raise field_error("depends_on", "前置节点须为本项目的其他节点。", "Must name other milestones of this project.")
    late = [m.name for m in found if m.planned_end > planned_start]
    if late:
        raise field_error("depends_on", f"计划开始早于前置节点的计划完成：{'、'.join(late)}。",
                          "The planned start is before a dependency's planned end.")
    return found


def add_milestone(actor: Account, project_id: int, **data: Any) -> Milestone:
    """增加计划节点: a steward adds a milestone; its clock starts on the planned start."""
    refuse_unknown(data, MILESTONE_FIELDS)
    name = (data.get("name") or "").strip()
    if not name:
        raise field_error("name", "请填写节点名称。", "A name is required.", code="required")
    start, end = _date(data.get("planned_start"), "planned_start"), _date(data.get("planned_end"), "planned_end")
    if end < start:
        raise field_error("planned_end", "计划完成不得早于计划开始。", "Must not be before the planned start.")
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        _require_plan(actor, project)
        deps = _dependencies(project, data.get("depends_on") or [], start)
        position = data.get("position")
        if position is None:
            position = Milestone.objects.filter(project=project).count() + 1
        milestone = Milestone.objects.create(
            project=project, name=name[:128], planned_start=start, planned_end=end, position=position,
            owner=_owner(data.get("owner_id")), department=_department(data.get("department_id")),
            note=(data.get("note") or "")[:255],
        )
        milestone.depends_on.set(deps)
        clock_actions.start_clock(milestone, actor, limit_days=(end - start).days, unit=LimitUnit.NATURAL,
                                  at=_at(start, 0))
        record(project, "stewards.milestone_added", actor,
               after={**snapshot(milestone, ["name", "planned_start", "planned_end", "owner", "department"]),
                      "milestone": milestone.pk, "depends_on": [d.pk for d in deps]})
    return milestone


def _milestone_for(actor: Account, milestone_id: int) -> Milestone:
    row = Milestone.objects.filter(pk=milestone_id).values_list("project_id", flat=True).first()
    if row is None:
        raise NotFound("milestone", "计划节点")
    project = access.project_for(actor, row, for_update=True)
    return Milestone.objects.select_for_update().get(pk=milestone_id, project=project)


def record_progress(actor: Account, milestone_id: int, *, actual_start: date | None = None,
                    actual_end: date | None = None, note: str = "") -> Milestone:
    """登记实际进度: the actual start and/or end; the end stops the milestone's clock (on time or late)."""
    today = timezone.localdate()
    for field, value in (("actual_start", actual_start), ("actual_end", actual_end)):
        if value is not None:
            _date(value, field)
            if value > today:
                raise field_error(field, "实际日期不能晚于今天。", "An actual date may not be in the future.")
    if actual_start is None and actual_end is None:
        raise field_error("actual_end", "请填写实际开始或实际完成日期。", "Give an actual start or end.", code="required")
    with transaction.atomic():
        milestone = _milestone_for(actor, milestone_id)
        _require_plan(actor, milestone.project)
        if milestone.actual_end is not None:
            raise Conflict("该节点已完成。", "This milestone is already complete.", state="done")
        start = actual_start or milestone.actual_start
        if actual_end is not None and start is not None and actual_end < start:
            raise field_error("actual_end", "实际完成不得早于实际开始。", "Must not be before the actual start.")
        before = snapshot(milestone, ["actual_start", "actual_end"])
        milestone.actual_start = start or actual_end
        milestone.actual_end = actual_end
        milestone.save(update_fields=["actual_start", "actual_end"])
        if actual_end is not None and milestone.clock_state in (ClockState.RUNNING, ClockState.PAUSED):
            stop_at = max(_at(actual_end, 12), milestone.started_at)
            clock_actions.stop_clock(milestone, actor, note=note or "milestone complete", at=stop_at)
        record(milestone.project, "stewards.milestone_progress", actor, before=before,
               after={**snapshot(milestone, ["actual_start", "actual_end"]), "milestone": milestone.pk}, reason=note)
    return milestone


# --- the division-of-labour table ---------------------------------------------------------------------


def _state(value: Any) -> str:
    if value not in WorkState.values:
        raise field_error("state", "状态无效。", f"Must be one of {', '.join(WorkState.values)}.")
    return value


def add_work_item(actor: Account, project_id: int, **data: Any) -> WorkItem:
    """增加分工任务: a task for a department and/or a person, with a deadline."""
    refuse_unknown(data, WORK_FIELDS)
    title = (data.get("title") or "").strip()
    if not title:
        raise field_error("title", "请填写任务。", "A task is required.", code="required")
    deadline = _date(data.get("deadline"), "deadline")
    state = _state(data.get("state") or WorkState.TODO)
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        _require_plan(actor, project)
        department, owner = _department(data.get("department_id")), _owner(data.get("owner_id"))
        if department is None and owner is None:
            raise field_error("owner_id", "请指定责任部门或责任人。", "Name a department or an owner.", code="required")
        item = WorkItem.objects.create(project=project, title=title[:200], department=department, owner=owner,
                                       deadline=deadline, state=state, note=(data.get("note") or "")[:255])
        record(project, "stewards.work_item_added", actor, after={**snapshot(item), "work_item": item.pk})
    return item


def update_work_item(actor: Account, item_id: int, changes: dict[str, Any]) -> WorkItem:
    """修改分工任务: stewards any field; the owner or its department only the state and the note."""
    refuse_unknown(changes, WORK_FIELDS)
    with transaction.atomic():
        pid = WorkItem.objects.filter(pk=item_id).values_list("project_id", flat=True).first()
        if pid is None:
            raise NotFound("task", "分工任务")
        project = access.project_for(actor, pid, for_update=True)
        item = WorkItem.objects.select_for_update().get(pk=item_id, project=project)
        org_access.require(access.can_update_work_item(actor, item), "您不能修改该任务。", "You may not change this task.")
        if not access.can_plan(actor, project) and not set(changes) <= {"state", "note"}:
            org_access.require(False, "您只能修改状态和备注。", "You may change only the state and the note.",
                               fields={f: "not allowed" for f in sorted(set(changes) - {"state", "note"})})
        before = snapshot(item)
        if "title" in changes:
            title = (changes["title"] or "").strip()
            if not title:
                raise field_error("title", "请填写任务。", "A task is required.", code="required")
            item.title = title[:200]
        if "deadline" in changes:
            item.deadline = _date(changes["deadline"], "deadline")
        if "state" in changes:
            item.state = _state(changes["state"])
        if "note" in changes:
            item.note = (changes["note"] or "")[:255]
        if "owner_id" in changes:
            item.owner = _owner(changes["owner_id"])
        if "department_id" in changes:
            item.department = _department(changes["department_id"])
        if item.owner_id is None and item.department_id is None:
            raise field_error("owner_id", "请指定责任部门或责任人。", "Name a department or an owner.", code="required")
        after = snapshot(item)
        if after != before:
            item.save()
            record(project, "stewards.work_item_updated", actor, before=before, after={**after, "work_item": item.pk})
    return item


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)
