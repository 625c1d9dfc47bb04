"""The audit trail of the demo history (`demo.load_history`): each application's chain holds the events its
actions would have recorded (submitted, accepted, each department's supplement request and decision, the
next stage opened, issued), at their times and by the accounts that would have acted, so its timeline tells
its story and `verify` checks it like any other chain."""
from __future__ import annotations

from typing import Any

from onestop.audit.actions import Past, record_history
from onestop.org.models import Account
from onestop.worktime.models import EventKind

from .models import AppState, Application, Task, TaskState

DECIDED = (TaskState.APPROVED, TaskState.REJECTED)


def write_trail(w: Any, apps: list[Application], plans: list[Any], stories: list[tuple], tasks: list[Task]) -> int:
    """Every application's chain, from the plans and stories `demo._write` stored; the events written."""
    accounts = Account.objects.in_bulk({*w.clerks.values(), *w.approvers.values(), w.any_clerk} - {None})
    trails: list[list[Past]] = []
    rest = iter(tasks)
    for app, plan, (fields, specs, _) in zip(apps, plans, stories):
        clerk = accounts.get(app.created_by_id)
        own = [(next(rest), spec) for spec in specs]
        trails.append(_submitted(app, plan, clerk, w.materials) + _reviewed(app, fields, own, clerk, accounts, w.approvers))
    for app, plan in zip(apps, plans):
        if plan.previous is not None:  # 一件事: the stage before opened this one by itself
            trails[plan.previous].append(Past(app.submitted_at, "approvals.next_stage_opened",
                                              after={"application": app.pk, "stage": plan.stage.pk}))
    return record_history(zip(apps, trails))


def _submitted(app: Application, plan: Any, clerk: Any, materials: dict[int, list[int]]) -> list[Past]:
    provided = [] if app.state == AppState.SUBMITTED else [mid for m in plan.matters for mid in materials.get(m.pk, [])]
    return [Past(app.submitted_at, "approvals.submitted", clerk, after={
        "matter": app.matter_id, "stage": app.stage_id, "channel": app.channel, "project": app.project_id,
        "applicant": app.applicant_id, "simulated": app.simulated, "centre": app.taken_at_id,
        "provided": sorted(provided), "previous": app.previous_id, "resubmission_of": app.resubmission_of_id})]


def _reviewed(app: Application, fields: dict, own: list[tuple[Task, dict]], clerk: Any, accounts: dict,
              approvers: dict[int, int]) -> list[Past]:
    if app.state == AppState.SUBMITTED:
        return []
    trail = [Past(app.accepted_at, "approvals.accepted", clerk, before={"state": AppState.SUBMITTED}, after={
        "state": AppState.IN_REVIEW, "acceptance_no": app.acceptance_no, "tasks": len(own), "deferred": {},
        "due_at": app.due_at})]
    decision = (AppState.REJECTED if app.rejected_tasks else AppState.APPROVED) if app.state == AppState.ISSUED else None
    joined = max((k for k, (_, spec) in enumerate(own) if spec["decided_at"]),  # the decision that ran the join
                 key=lambda k: own[k][1]["decided_at"], default=None)
    for k, (task, spec) in enumerate(own):
        approver, matter = accounts.get(approvers.get(task.department_id)), spec["matter"].name
        pause = next((e for e in spec["events"] if e.kind == EventKind.PAUSE), None)
        if pause is not None:
            trail.append(Past(pause.at, "approvals.supplement_requested", approver,
                              before={"task": task.pk, "state": TaskState.OPEN}, reason=spec["supplement_request"],
                              after={"task": task.pk, "state": TaskState.SUPPLEMENT, "days": pause.days,
                                     "matter": matter, "pause_due_at": task.pause_due_at}))
        if spec["state"] in DECIDED:
            trail.append(Past(spec["decided_at"], f"approvals.task_{spec['state']}", approver, reason=spec["opinion"],
                              before={"task": task.pk, "state": TaskState.OPEN},
                              after={"task": task.pk, "state": spec["state"], "matter": matter,
                                     "department": task.department_id,
                                     "decision": decision if k == joined else None,
                                     "days_consumed": task.days_consumed}))
    if app.state == AppState.ISSUED:
        trail.append(Past(app.issued_at, "approvals.issued", clerk, before={"state": decision}, after={
            "state": AppState.ISSUED, "decision": decision, "method": app.issue_method, "results": fields["results"],
            "land_to_permit_days": app.land_to_permit_days, "days_consumed": app.days_consumed}))
    return trail
