"""Department tasks: claim, approve (opinion), reject (reasons), ask for a supplement (补正), and the join.

The join (并联审批的汇总): approving or rejecting a task locks the application's row (in the task's own
locking read: `JOIN_LOCK`), then decrements its `open_tasks` with ONE conditional update (`WHERE state =
'in_review' AND open_tasks = <as read>`); the update that takes it to zero also sets the decision. The lock
makes two departments that finish at the same instant queue on that row, so neither loses the other's result
nor runs the join twice; without it the second update would match no row and the action is refused rather
than lost silently."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from onestop import sql
from onestop.audit.actions import record
from onestop.catalog.models import Matter
from onestop.errors import Forbidden, NotFound, field_error
from onestop.org.access import is_admin, is_logged_in
from onestop.org.models import DEPARTMENT_ROLES
from onestop.worktime import actions as clock_actions
from onestop.worktime.models import PauseReason

from . import clocks
from .actions import _now, conflict, is_applicant, is_clerk_of, next_stage, open_next_stage
from .models import AppState, Application, Task, TaskState
from .queries import sees


# What deciding a task reads of it (its clock's values are recomputed from its log) and of its application.
DECIDING = ("id", "state", "application_id", "department_id", "matter_id", "claimed_by_id", "calendar_version")
JOINING = ("id", "state", "open_tasks", "rejected_tasks", "stage_id", "simulated")
READ = (*DECIDING, "matter__name", *(f"application__{name}" for name in JOINING))
JOIN_LOCK = ("application",)  # the join's lock: the application's row, locked by the task's own read


# -- department tasks ------------------------------------------------------------------------------------


def _locked_task(actor: Any, task_id: int) -> Task:
    """Lock the task; 404 if the caller does not see its application, 403 if it is another department's."""
    task = Task.objects.select_for_update(of=("self",)).select_related("matter").filter(pk=task_id).first()
    if task is None:
        raise NotFound("task", "审批任务")
    _check_department(actor, task)
    return task


def _task_to_decide(actor: Any, task_id: int) -> tuple[Task, Application, list[clocks.Ev]]:
    """`_locked_task` narrowed to what deciding needs, with the application's row for the join and the task's
    clock log: every department's decision goes through here, so the three are one statement (`onestop.sql`),
    locking the task and the application."""
    found = clocks.locked_with_log(Task, READ, task_id, lock_also=JOIN_LOCK)
    if found is None:
        raise NotFound("task", "审批任务")
    values, log = found
    k = len(DECIDING)
    task = sql.build(Task, DECIDING, values[:k])
    task.matter = sql.build(Matter, ("id", "name"), (task.matter_id, values[k]))
    task.application = sql.build(Application, JOINING, values[k + 1:])
    _check_department(actor, task)
    return task, task.application, log


def _check_department(actor: Any, task: Task) -> None:
    """A department's own staff see the application through this very task, so that needs no query."""
    mine = actor.role in DEPARTMENT_ROLES and actor.department_id == task.department_id if is_logged_in(actor) else False
    if not (mine or is_admin(actor)):
        if not sees(actor, Application.objects.get(pk=task.application_id)):
            raise NotFound("task", "审批任务")
        raise Forbidden("只能办理本部门的审批任务。", "You may act only on your own department's tasks.")


def _task_conflict(task: Task, allowed: Iterable[str], zh: str, en: str) -> None:
    """409 unless the task is in one of `allowed` and its application in review."""
    if task.state not in allowed:
        raise conflict(task.state, zh, en)
    if task.application.state != AppState.IN_REVIEW:
        raise conflict(task.application.state, zh, en)


def claim_task(actor: Any, task_id: int, *, at: datetime | None = None) -> Task:
    """签收: the task is the caller's to handle."""
    with transaction.atomic():
        task = _locked_task(actor, task_id)
        _task_conflict(task, [TaskState.OPEN], "只有待办任务可以签收", "Only a waiting task can be claimed")
        Task.objects.filter(pk=task.pk).update(state=TaskState.CLAIMED, claimed_by=actor)
        record(task.application, "approvals.task_claimed", actor, before={"task": task.pk, "state": task.state},
               after={"task": task.pk, "state": TaskState.CLAIMED, "matter": task.matter.name})
    task.refresh_from_db()
    return task


def approve_task(actor: Any, task_id: int, *, opinion: str = "", at: datetime | None = None) -> Task:
    """同意 (with an opinion); the last task decided runs the join."""
    return _decide(actor, task_id, TaskState.APPROVED, opinion.strip(), _now(at))


def reject_task(actor: Any, task_id: int, *, reasons: str, at: datetime | None = None) -> Task:
    """不予许可: the reasons are required; the application will be rejected, every result kept."""
    if not (reasons or "").strip():
        raise field_error("reasons", "不予许可须写明理由。", "Give the reasons for the rejection.", code="required")
    return _decide(actor, task_id, TaskState.REJECTED, reasons.strip(), at or timezone.now())


def _decide(actor: Any, task_id: int, outcome: str, opinion: str, at: datetime) -> Task:
    with transaction.atomic():
        task, app, log = _task_to_decide(actor, task_id)
        _task_conflict(task, [TaskState.OPEN, TaskState.CLAIMED], "只有待办或已签收的任务可以办结",
                       "Only a waiting or claimed task can be decided")
        values, stopped = clocks.stop(task, at, actor, note=outcome, log=log)
        changes = {"state": outcome, "opinion": opinion, "decided_by_id": actor.pk, "decided_at": at,
                   "claimed_by_id": task.claimed_by_id or actor.pk, **values}
        decision, joining = join(app, outcome == TaskState.REJECTED, at)
        writes = sql.Writes(stopped, clocks.EVENT_FIELDS, [(Task, changes, {"id": task.pk}), joining])
        record(("approvals.Application", task.application_id), f"approvals.task_{outcome}", actor,
               before={"task": task.pk, "state": task.state},
               after={"task": task.pk, "state": outcome, "matter": task.matter.name, "department": task.department_id,
                      "decision": decision, "days_consumed": values["days_consumed"]}, reason=opinion,
               along=writes)  # the stop event, the task's update, the join's and the event: one statement
        if writes.changed[1] != 1:  # the application changed since it was read: only without the join's lock
            raise conflict(app.state, "办件状态已被同时修改，请重试", "The application changed meanwhile; try again")
        for name, value in changes.items():
            setattr(task, name, value)
        if decision == AppState.APPROVED and app.stage_id and not app.simulated:
            nxt = next_stage(app.stage_id)  # most stages decided are the last of their bundle: one query then
            if nxt is not None:
                open_next_stage(app.pk, at, nxt)
    return task


def join(app: Application, rejected: bool, at: datetime) -> tuple[str | None, sql.Change]:
    """汇总: one task less open; the last one decides the application. `app` is its row as read under the
    join's lock (its `JOINING` fields). Returns the decision, if made, and the application's conditional
    update, which the caller writes with the task's own (one statement on PostgreSQL)."""
    left = app.open_tasks - 1
    values: dict[str, Any] = {"open_tasks": left, "rejected_tasks": app.rejected_tasks + int(rejected)}
    decision = None
    if left == 0:
        decision = AppState.REJECTED if values["rejected_tasks"] else AppState.APPROVED
        values.update(state=decision, decided_at=at)
    return decision, (Application, values, {"id": app.pk, "state": AppState.IN_REVIEW, "open_tasks": app.open_tasks})


def request_supplement(actor: Any, task_id: int, *, what: str, days: int, at: datetime | None = None) -> Task:
    """补正: the task's clock pauses, with the applicant's own time limit to supply what is asked."""
    if not (what or "").strip():
        raise field_error("what", "请写明需补正的内容。", "Say what must be supplied.", code="required")
    with transaction.atomic():
        task = _locked_task(actor, task_id)
        _task_conflict(task, [TaskState.OPEN, TaskState.CLAIMED], "只有待办或已签收的任务可以要求补正",
                       "Only a waiting or claimed task can ask for a supplement")
        clock_actions.pause_clock(task, actor, reason=PauseReason.SUPPLEMENT, limit_days=days, note=what.strip(), at=at)
        Task.objects.filter(pk=task.pk).update(state=TaskState.SUPPLEMENT, supplement_request=what.strip(),
                                               claimed_by=task.claimed_by_id or actor.pk)
        record(task.application, "approvals.supplement_requested", actor, before={"task": task.pk, "state": task.state},
               after={"task": task.pk, "state": TaskState.SUPPLEMENT, "days": days, "matter": task.matter.name,
                      "pause_due_at": task.pause_due_at}, reason=what.strip())
    task.refresh_from_db()
    return task


def supply_supplement(actor: Any, task_id: int, *, note: str = "", at: datetime | None = None) -> Task:
    """The applicant (or the window for it) supplies what was asked: the task's clock resumes."""
    with transaction.atomic():
        task = Task.objects.select_for_update(of=("self",)).select_related("application", "matter").filter(pk=task_id).first()
        if task is None or not sees(actor, task.application):
            raise NotFound("task", "审批任务")
        if not (is_applicant(actor, task.application) or is_clerk_of(actor, task.application)):
            raise Forbidden("只有申请人或受理窗口可以提交补正材料。", "Only the applicant or the window may supply it.")
        _task_conflict(task, [TaskState.SUPPLEMENT], "只有补正中的任务可以提交补正", "Only a task waiting for a supplement can be supplied")
        clock_actions.resume_clock(task, actor, note=note, at=at)
        back = TaskState.CLAIMED if task.claimed_by_id else TaskState.OPEN
        Task.objects.filter(pk=task.pk).update(state=back)
        record(task.application, "approvals.supplement_supplied", actor, before={"task": task.pk, "state": task.state},
               after={"task": task.pk, "state": back, "matter": task.matter.name, "due_at": task.due_at}, reason=note)
    task.refresh_from_db()
    return task
