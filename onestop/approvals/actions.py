"""The write side of an application's life: apply, intake, tasks, the join, one-window issue.

Each function is one thing a person does, in one transaction: it checks that the caller sees the thing
(404) and may do this (403), that the state fits (409 with the state), writes, and records one audit event
on the application's own chain, so the chain is the application's timeline. Commitments, hand-overs,
coaching and simulated approval are in `followups.py`.

The join (并联审批的汇总): approving or rejecting a task locks the application's row, then decrements its
`open_tasks` with ONE conditional update (`WHERE state = 'in_review' AND open_tasks = <as read>`); the
update that takes it to zero also sets the decision. The lock makes two departments that finish at the
same instant queue on that row, so neither loses the other's result nor runs the join twice; without it
the second update would match no row and the action is refused rather than lost silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record
from onestop.catalog.models import Material, Matter, Stage
from onestop.enterprises.models import Enterprise, Project
from onestop.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from onestop.org.access import ORGANISATION_ROLES, is_admin, is_logged_in
from onestop.org.models import DEPARTMENT_ROLES, Role, ServiceCentre
from onestop.worktime import actions as clock_actions
from onestop.worktime.models import PauseReason

from . import clocks, documents, forms
from .models import (
    AppState, Application, Channel, IssueMethod, MaterialStatus, OPEN_TASK_STATES, SubmittedMaterial, Task,
    TaskState,
)
from .queries import sees

STATE_ZH = {
    "submitted": "待受理", "notified": "已一次性告知", "in_review": "并联审批中", "approved": "已准予",
    "rejected": "不予许可", "issued": "已出件办结", "stopped": "已终止", "withdrawn": "已撤回",
    "open": "待办", "claimed": "已签收", "supplement": "补正中", "simulated": "模拟审批",
}
APPLYING_ROLES = frozenset({Role.WINDOW_CLERK, Role.HELP_AGENT, Role.ENTERPRISE, Role.EMPLOYER_UNIT, Role.RESIDENT,
                            Role.ADMINISTRATOR})


def conflict(state: str, zh: str, en: str) -> Conflict:
    return Conflict(f"{zh}（当前状态：{STATE_ZH.get(state, state)}）", f"{en} (state: {state}).", state=state)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _lock(pk: int) -> Application:
    """The application's row, locked until the transaction ends (the join's lock)."""
    return Application.objects.select_for_update().only("id", "state", "open_tasks", "rejected_tasks").get(pk=pk)


def locked_application(actor: Any, pk: int) -> Application:
    """Lock the application and check the caller sees it (404 otherwise)."""
    app = (Application.objects.select_for_update(of=("self",)).select_related("stage", "matter", "project")
           .filter(pk=pk).first())
    if app is None or not sees(actor, app):
        raise NotFound("application", "办件")
    return app


def is_clerk_of(actor: Any, app: Application) -> bool:
    """The window that handles the application (its centre's clerks) or an administrator."""
    return is_admin(actor) or (is_logged_in(actor) and actor.role == Role.WINDOW_CLERK
                               and actor.service_centre_id == app.handled_at_id)


def require_clerk(actor: Any, app: Application) -> None:
    if not is_clerk_of(actor, app):
        raise Forbidden("只有受理该办件的综合窗口可以办理此操作。", "Only the window handling this application may do this.")


def is_applicant(actor: Any, app: Application) -> bool:
    if not is_logged_in(actor):
        return False
    if actor.role in ORGANISATION_ROLES and actor.organisation_id and actor.organisation_id in (
            app.applicant_id, getattr(app.project, "company_id", None) if app.project_id else None):
        return True
    return app.applicant_account_id == actor.pk or app.created_by_id == actor.pk


# -- applying ----------------------------------------------------------------------------------------


def _scope(matter_id: Any, stage_id: Any) -> tuple[Matter | None, Stage | None, list[Matter]]:
    if (matter_id is None) == (stage_id is None):
        raise InvalidInput("请选择一个事项或一个一件事阶段。", "Give either a matter or a bundle stage.",
                           fields={"matter_id": "give either matter_id or stage_id"})
    if matter_id is not None:
        matter = Matter.objects.select_related("department").filter(pk=matter_id, active=True).first()
        if matter is None:
            raise field_error("matter_id", "事项不存在或已停用。", "No such matter (or it is no longer active).",
                              code="unknown")
        return matter, None, [matter]
    stage = Stage.objects.select_related("bundle").filter(pk=stage_id).first()
    if stage is None:
        raise field_error("stage_id", "一件事阶段不存在。", "No such bundle stage.", code="unknown")
    return None, stage, list(stage.matters.filter(active=True).order_by("code"))


def _centre_for(actor: Any, centre_id: Any, project: Project | None) -> ServiceCentre | None:
    if actor.role == Role.WINDOW_CLERK and centre_id is None:
        return ServiceCentre(pk=actor.service_centre_id) if actor.service_centre_id else None
    if centre_id is not None:
        centre = ServiceCentre.objects.filter(pk=centre_id).first()
        if centre is None:
            raise field_error("centre_id", "服务中心不存在。", "No such service centre.", code="unknown")
        return centre
    place = project.place if project else getattr(actor, "place", None)
    while place is not None:  # the nearest centre above the project's place
        centre = ServiceCentre.objects.filter(place=place).order_by("pk").first()
        if centre:
            return centre
        place = place.parent
    return ServiceCentre.objects.order_by("pk").first()


def _applicant(actor: Any, applicant_id: Any, project: Project | None) -> Enterprise | None:
    if actor.role in ORGANISATION_ROLES:
        if applicant_id not in (None, actor.organisation_id):
            raise Forbidden("只能以本单位名义申报。", "You may apply only for your own organisation.")
        return actor.organisation
    if applicant_id is None:
        return project.company or project.investor if project else None
    found = Enterprise.objects.filter(pk=applicant_id).first()
    if found is None:
        raise field_error("applicant_id", "申请企业不存在。", "No such enterprise.", code="unknown")
    return found


def _project(actor: Any, project_id: Any) -> Project | None:
    if project_id is None:
        return None
    project = Project.objects.select_related("investor", "company", "place").filter(pk=project_id).first()
    if project is None:
        raise field_error("project_id", "项目不存在。", "No such project.", code="unknown")
    if actor.role in ORGANISATION_ROLES and actor.organisation_id not in (project.investor_id, project.company_id):
        raise field_error("project_id", "不是本单位的项目。", "Not a project of your organisation.", code="unknown")
    return project


def _channel(actor: Any, channel: str | None) -> str:
    default = {Role.WINDOW_CLERK: Channel.WINDOW, Role.HELP_AGENT: Channel.VILLAGE_AGENT}.get(actor.role, Channel.ONLINE)
    channel = channel or default
    if channel not in Channel.values:
        raise field_error("channel", "受理渠道不在列表中。", f"Must be one of {', '.join(Channel.values)}.")
    return channel


def submit_application(
    actor: Any, *, matter_id: int | None = None, stage_id: int | None = None, project_id: int | None = None,
    applicant_id: int | None = None, channel: str | None = None, form_data: dict | None = None,
    provided: Iterable[int] = (), simulated: bool = False, centre_id: int | None = None,
    previous: Application | None = None, resubmission_of: Application | None = None, at: datetime | None = None,
) -> Application:
    """申报: an application for a matter or a bundle stage, its one form filled from the records on file."""
    if not is_logged_in(actor) or actor.role not in APPLYING_ROLES:
        raise Forbidden("您不能提交申请。", "You may not submit applications.")
    matter, stage, matters = _scope(matter_id, stage_id)
    project = _project(actor, project_id)
    applicant = _applicant(actor, applicant_id, project)
    if simulated and (project is None or project.land_status != "none"):
        raise field_error("simulated", "模拟审批只适用于尚未取得用地的项目。",
                          "Simulated approval is for a project that has no land yet.")
    form = forms.fill(matters, applicant, project, form_data or {})
    materials = list(Material.objects.filter(matter__in=matters).order_by("matter__code", "position"))
    given = set(provided)
    unknown = given - {m.pk for m in materials}
    if unknown:
        raise field_error("provided", f"材料不属于该申请：{sorted(unknown)}", f"Not materials of this application: {sorted(unknown)}.")
    centre = _centre_for(actor, centre_id, project)
    account = actor if actor.role in (Role.RESIDENT, *ORGANISATION_ROLES) else None
    return _create(actor, matter, stage, materials, project, applicant, account, _channel(actor, channel), form,
                   given, simulated, centre, previous, resubmission_of, _now(at))


def _create(actor: Any, matter: Matter | None, stage: Stage | None, materials: list[Material], project: Project | None,
            applicant: Enterprise | None, account: Any, channel: str, form: dict, given: set[int], simulated: bool,
            centre: ServiceCentre | None, previous: Application | None, resubmission_of: Application | None,
            at: datetime) -> Application:
    with transaction.atomic():
        app = Application.objects.create(
            matter=matter, stage=stage, channel=channel, applicant=applicant, applicant_account=account,
            created_by=actor, project=project, form_data=form, taken_at=centre, handled_at=centre,
            simulated=simulated, submitted_at=at, previous=previous, resubmission_of=resubmission_of,
        )
        SubmittedMaterial.objects.bulk_create([
            SubmittedMaterial(application=app, material=m,
                              status=MaterialStatus.PROVIDED if m.pk in given else MaterialStatus.MISSING)
            for m in materials
        ])
        record(app, "approvals.submitted", actor, after={
            "matter": getattr(matter, "pk", None), "stage": getattr(stage, "pk", None), "channel": channel,
            "project": getattr(project, "pk", None), "applicant": getattr(applicant, "pk", None),
            "simulated": simulated, "centre": getattr(centre, "pk", None), "provided": sorted(given),
            "previous": getattr(previous, "pk", None), "resubmission_of": getattr(resubmission_of, "pk", None)})
    return app


# -- intake (无差别综合受理) -----------------------------------------------------------------------------


@dataclass
class _Material:
    name: str
    required: bool
    may_defer: bool
    may_commit: bool


@dataclass
class _Row:
    """A submitted material as the checklist needs it (read as plain values: cheaper than model rows)."""

    pk: int
    material_id: int
    status: str
    material: _Material


def _checklist(app: Application, provided: Iterable[int]) -> tuple[list[Any], set[int]]:
    rows = [_Row(pk, mid, status, _Material(*flags)) for pk, mid, status, *flags in app.materials.values_list(
        "pk", "material_id", "status", "material__name", "material__required", "material__may_defer",
        "material__may_commit").order_by("pk")]
    given = set(provided)
    unknown = given - {r.material_id for r in rows}
    if unknown:
        raise field_error("provided", f"材料不属于该申请：{sorted(unknown)}", f"Not materials of this application: {sorted(unknown)}.")
    return rows, given


def _missing(rows: list[SubmittedMaterial], given: set[int], deferred: dict[int, int]) -> list[SubmittedMaterial]:
    return [r for r in rows if r.material.required and r.material_id not in given and r.material_id not in deferred]


def _names(rows: Iterable[SubmittedMaterial]) -> str:
    return "、".join(r.material.name for r in rows)


def notify_missing(actor: Any, app_id: int, *, provided: Iterable[int], note: str = "",
                   at: datetime | None = None) -> Application:
    """一次性告知: one notice listing every required material missing from the checklist."""
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.state != AppState.SUBMITTED:
            raise conflict(app.state, "只有待受理的申请可以一次性告知", "Only an application awaiting intake can be notified")
        rows, given = _checklist(app, provided)
        missing = _missing(rows, given, {})
        if not missing:
            raise field_error("provided", "材料齐全，无需告知，请直接受理。", "Nothing required is missing: accept it.")
        notice = [{"material": r.material_id, "name": r.material.name} for r in missing]
        _mark(rows, given)
        Application.objects.filter(pk=app.pk).update(state=AppState.NOTIFIED, missing_notice=notice)
        record(app, "approvals.missing_notified", actor, before={"state": app.state},
               after={"state": AppState.NOTIFIED, "missing": notice}, reason=note)
    app.refresh_from_db()
    return app


def _mark(rows: list[SubmittedMaterial], given: set[int]) -> None:
    """Store the checklist: provided or missing (only rows that change)."""
    now_provided = [r.pk for r in rows if r.material_id in given and r.status != MaterialStatus.PROVIDED]
    now_missing = [r.pk for r in rows if r.material_id not in given and r.status == MaterialStatus.PROVIDED]
    if now_provided:
        SubmittedMaterial.objects.filter(pk__in=now_provided).update(status=MaterialStatus.PROVIDED)
    if now_missing:
        SubmittedMaterial.objects.filter(pk__in=now_missing).update(status=MaterialStatus.MISSING)


def resubmit(actor: Any, app_id: int, *, provided: Iterable[int], at: datetime | None = None) -> Application:
    """After the one-time notice, the applicant brings what was missing: back to intake."""
    with transaction.atomic():
        app = locked_application(actor, app_id)
        if not (is_applicant(actor, app) or is_clerk_of(actor, app)):
            raise Forbidden("只有申请人或受理窗口可以补齐材料。", "Only the applicant or the window may resubmit.")
        if app.state != AppState.NOTIFIED:
            raise conflict(app.state, "只有已一次性告知的申请可以补齐后再次提交", "Only a notified application can be resubmitted")
        rows, given = _checklist(app, provided)
        _mark(rows, given)
        Application.objects.filter(pk=app.pk).update(state=AppState.SUBMITTED)
        record(app, "approvals.resubmitted", actor, before={"state": app.state},
               after={"state": AppState.SUBMITTED, "provided": sorted(given)})
    app.refresh_from_db()
    return app


def _check_deferred(rows: list[SubmittedMaterial], deferred: dict[int, int], commitment: str) -> None:
    by_id = {r.material_id: r for r in rows}
    for material_id, days in deferred.items():
        row = by_id.get(material_id)
        if row is None:
            raise field_error("deferred", f"材料不属于该申请：{material_id}", f"Not a material of this application: {material_id}.")
        if not (row.material.may_defer or row.material.may_commit):
            raise field_error("deferred", f"“{row.material.name}”不允许容缺受理。",
                              f"“{row.material.name}” may not be supplied later.")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise field_error("deferred", "补交期限须为 1 至 365 天。", "The deadline must be 1 to 365 days.")
    if deferred and not commitment.strip():
        raise field_error("commitment", "容缺受理须有申请人签署的告知承诺。",
                          "Accepting with missing materials needs the applicant's signed commitment.", code="required")


def _limit(app: Application, matters: list[Matter]) -> clocks.Limit:
    if app.stage_id:
        stage = app.stage
        legal = max([m.legal_limit for m in matters] or [stage.promised_limit])
        return clocks.Limit(stage.promised_limit, max(legal, stage.promised_limit), stage.limit_unit)
    return clocks.matter_limit(app.matter)


def accept_application(
    actor: Any, app_id: int, *, provided: Iterable[int], deferred: dict[int, int] | None = None,
    commitment: str = "", at: datetime | None = None, seal_id: int | None = None,
) -> Application:
    """受理 (or 容缺受理): every matter becomes a task in its department's queue, every clock starts."""
    deferred = dict(deferred or {})
    at = _now(at)
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.state != AppState.SUBMITTED:
            raise conflict(app.state, "只有待受理的申请可以受理", "Only an application awaiting intake can be accepted")
        rows, given = _checklist(app, provided)
        _check_deferred(rows, deferred, commitment)
        missing = _missing(rows, given, deferred)
        if missing:
            raise InvalidInput(f"缺少必要材料：{_names(missing)}", "Required materials are missing: "
                               + ", ".join(r.material.name for r in missing) + ".",
                               code="missing_materials",
                               fields={"materials": "missing: " + ", ".join(r.material.name for r in missing)})
        matters = [app.matter] if app.matter_id else list(app.stage.matters.filter(active=True))
        _mark([r for r in rows if r.material_id not in deferred], given)
        started = _start_tasks(app, matters, at, actor)
        started += _defer(rows, deferred, at)
        values, ev = clocks.start_values(_limit(app, matters), at)
        started.append((app, ev))
        clocks.save_starts(started, actor)
        number = f"SL{clocks.local_day(at):%Y%m%d}{app.pk:06d}"
        changes = {"state": AppState.IN_REVIEW, "accepted_at": at, "acceptance_no": number,
                   "commitment": commitment.strip(), "open_tasks": len(matters), "rejected_tasks": 0, **values}
        Application.objects.filter(pk=app.pk).update(**changes)
        before = app.state
        _set(app, changes)
        if seal_id is not None:  # the sealed acceptance notice's number is the acceptance number
            owed = [r.material.name for r in rows if r.material_id in deferred]
            app.acceptance_no = documents.seal_acceptance(actor, app, seal_id, owed=owed)
            Application.objects.filter(pk=app.pk).update(acceptance_no=app.acceptance_no)
            number = app.acceptance_no
        record(app, "approvals.accepted", actor, before={"state": before}, after={
            "state": AppState.IN_REVIEW, "acceptance_no": number, "tasks": len(matters),
            "deferred": {str(k): v for k, v in deferred.items()}, "due_at": values["due_at"]},
            reason=commitment.strip())
    return app


def _set(instance: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)


def _start_tasks(app: Application, matters: list[Matter], at: datetime, actor: Any) -> list[tuple[Any, Any]]:
    tasks, events = [], []
    for m in matters:
        values, ev = clocks.start_values(clocks.matter_limit(m), at)
        tasks.append(Task(application=app, matter=m, department_id=m.department_id, **values))
        events.append(ev)
    return list(zip(Task.objects.bulk_create(tasks), events))


def _defer(rows: list[SubmittedMaterial], deferred: dict[int, int], at: datetime) -> list[tuple[Any, Any]]:
    started = []
    for row in rows:
        if row.material_id in deferred:
            values, ev = clocks.start_values(clocks.Limit(deferred[row.material_id], deferred[row.material_id]), at)
            status = MaterialStatus.DEFERRED if row.material.may_defer else MaterialStatus.COMMITTED
            SubmittedMaterial.objects.filter(pk=row.pk).update(status=status, **values)
            started.append((SubmittedMaterial(pk=row.pk), ev))
    return started


# -- department tasks ------------------------------------------------------------------------------------


def _locked_task(actor: Any, task_id: int) -> Task:
    """Lock the task; 404 if the caller does not see its application, 403 if it is another department's.

    A department's own staff see the application through this very task, so that needs no query.
    """
    task = Task.objects.select_for_update(of=("self",)).select_related("matter").filter(pk=task_id).first()
    if task is None:
        raise NotFound("task", "审批任务")
    mine = actor.role in DEPARTMENT_ROLES and actor.department_id == task.department_id if is_logged_in(actor) else False
    if not (mine or is_admin(actor)):
        if not sees(actor, Application.objects.get(pk=task.application_id)):
            raise NotFound("task", "审批任务")
        raise Forbidden("只能办理本部门的审批任务。", "You may act only on your own department's tasks.")
    return task


def _task_conflict(task: Task, allowed: Iterable[str], zh: str, en: str, *, app_state: bool = True) -> None:
    """409 unless the task is in one of `allowed` (and its application in review, unless the join checks it)."""
    if task.state not in allowed:
        raise conflict(task.state, zh, en)
    if app_state and task.application.state != AppState.IN_REVIEW:
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
        task = _locked_task(actor, task_id)
        _task_conflict(task, [TaskState.OPEN, TaskState.CLAIMED], "只有待办或已签收的任务可以办结",
                       "Only a waiting or claimed task can be decided", app_state=False)  # the join checks it
        values = clocks.stop_values(task, at, actor, note=outcome)
        changes = {"state": outcome, "opinion": opinion, "decided_by_id": actor.pk, "decided_at": at,
                   "claimed_by_id": task.claimed_by_id or actor.pk, **values}
        Task.objects.filter(pk=task.pk).update(**changes)
        decision = join(task.application_id, outcome == TaskState.REJECTED, at)
        before_state = task.state
        for name, value in changes.items():
            setattr(task, name, value)
        record(("approvals.Application", task.application_id), f"approvals.task_{outcome}", actor,
               before={"task": task.pk, "state": before_state},
               after={"task": task.pk, "state": outcome, "matter": task.matter.name, "department": task.department_id,
                      "decision": decision, "days_consumed": values["days_consumed"]}, reason=opinion)
        if decision == AppState.APPROVED:
            open_next_stage(task.application_id, at)
    return task


def join(app_id: int, rejected: bool, at: datetime) -> str | None:
    """汇总: one task less open; the last one decides the application. Returns the decision, if made."""
    app = _lock(app_id)
    left = app.open_tasks - 1
    values: dict[str, Any] = {"open_tasks": left, "rejected_tasks": app.rejected_tasks + int(rejected)}
    decision = None
    if left == 0:
        decision = AppState.REJECTED if values["rejected_tasks"] else AppState.APPROVED
        values.update(state=decision, decided_at=at)
    changed = Application.objects.filter(pk=app_id, state=AppState.IN_REVIEW, open_tasks=app.open_tasks).update(**values)
    if changed != 1:
        raise conflict(app.state, "办件状态已被同时修改，请重试", "The application changed meanwhile; try again")
    return decision


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


# -- the next stage, one-window issue, re-application ------------------------------------------------------


def open_next_stage(app_id: int, at: datetime) -> Application | None:
    """一件事: an approved stage opens the next one by itself, pre-filled from the one form."""
    app = Application.objects.select_related("stage", "project", "created_by").get(pk=app_id)
    if not app.stage_id or app.simulated:
        return None
    nxt = Stage.objects.filter(bundle_id=app.stage.bundle_id, position__gt=app.stage.position).order_by("position").first()
    if nxt is None:
        return None
    project = app.project
    applicant = (project.company if project and project.company_id else app.applicant)
    matters = list(nxt.matters.filter(active=True).order_by("code"))
    form = {**forms.on_record(applicant, project), **app.form_data}
    if applicant is not None:  # the project company applies from the registration stage on
        form.update(forms.on_record(applicant, None))
    materials = list(Material.objects.filter(matter__in=matters).order_by("matter__code", "position"))
    opened = _create(app.created_by, None, nxt, materials, project, applicant, app.applicant_account, app.channel,
                     form, set(), False, app.handled_at, app, None, at)
    record(app, "approvals.next_stage_opened", None, after={"application": opened.pk, "stage": nxt.pk})
    return opened


def issue_results(actor: Any, app_id: int, *, method: str = IssueMethod.WINDOW, at: datetime | None = None,
                  seal_id: int | None = None) -> Application:
    """一窗统一出件: every department's result is issued together and the application is closed."""
    if method not in IssueMethod.values:
        raise field_error("method", "出件方式不在列表中。", f"Must be one of {', '.join(IssueMethod.values)}.")
    at = _now(at)
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.simulated:
            raise conflict("simulated", "模拟审批的结果须在转为正式办件后出件", "A simulated application is issued once it is formal")
        if app.state not in (AppState.APPROVED, AppState.REJECTED):
            raise conflict(app.state, "只有已办结审批的办件可以出件", "Only a decided application can be issued")
        tasks = list(app.tasks.select_related("matter", "department").order_by("id"))
        results = [{"task": t.pk, "matter": t.matter.name, "department": t.department.name, "result": t.state,
                    "opinion": t.opinion, "decided_at": t.decided_at.isoformat() if t.decided_at else None,
                    "carried_over": t.carried_over} for t in tasks]
        if seal_id is not None:
            documents.seal_results(actor, app, results, seal_id)
        values = clocks.stop_values(app, at, actor, note="issued")
        land_days = None
        if app.state == AppState.APPROVED and app.project_id and app.project.land_certificate_on:
            land_days = (clocks.local_day(at) - app.project.land_certificate_on).days
        changes = {"state": AppState.ISSUED, "issued_at": at, "issue_method": method, "results": results,
                   "land_to_permit_days": land_days, **values}
        Application.objects.filter(pk=app.pk).update(**changes)
        decision = app.state
        _set(app, changes)
        record(app, "approvals.issued", actor, before={"state": decision},
               after={"state": AppState.ISSUED, "decision": decision, "method": method, "results": results,
                      "land_to_permit_days": land_days, "days_consumed": values["days_consumed"]})
    return app


def reapply(actor: Any, app_id: int, *, form_data: dict | None = None, provided: Iterable[int] = (),
            at: datetime | None = None) -> Application:
    """重新申报 after a rejection: a new application for the same scope, linked to the rejected one."""
    old = Application.objects.select_related("project").filter(pk=app_id).first()
    if old is None or not sees(actor, old):
        raise NotFound("application", "办件")
    if not (is_applicant(actor, old) or is_clerk_of(actor, old)):
        raise Forbidden("只有申请人或受理窗口可以重新申报。", "Only the applicant or the window may reapply.")
    rejected = old.state == AppState.REJECTED or (old.state == AppState.ISSUED and old.rejected_tasks)
    if not rejected:
        raise conflict(old.state, "只有被驳回的办件可以重新申报", "Only a rejected application can be reapplied for")
    return submit_application(
        actor, matter_id=old.matter_id, stage_id=old.stage_id, project_id=old.project_id,
        applicant_id=None if actor.role in ORGANISATION_ROLES else old.applicant_id, channel=old.channel,
        form_data={**old.form_data, **(form_data or {})}, provided=provided, centre_id=old.handled_at_id,
        resubmission_of=old, previous=old.previous, at=at)
