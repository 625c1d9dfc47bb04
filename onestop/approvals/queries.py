"""The read side: who sees which applications (DESIGN.md, "Permissions"), queues, progress, timelines.

- administrator: everything; supervisor: applications taken at, or for projects in, its area;
- enterprise / employer unit: its own applications (as applicant, investor or project company);
- resident, help agent: the applications it made or that were made for it;
- window clerk: those taken at or handled by its service centre, and those handed to or from it (跨域通办);
- department approver / head: every application with a task for its department (to see the parallel
  progress), acting only on its own department's tasks;
- steward / coach: the applications of the projects it leads or coaches.
What the caller does not see answers 404.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from onestop.enterprises.models import Enterprise
from onestop.errors import NotFound, field_error
from onestop.org.access import NOTHING, ORGANISATION_ROLES, area_of, is_admin, is_logged_in
from onestop.org.models import DEPARTMENT_ROLES, Role
from onestop.worktime.clock import light, pause_light, worst

from .models import Application, Handover, Task, TaskState


def application_filter(actor: Any) -> Q | None:
    """The filter on Application for what `actor` sees; None means everything."""
    if not is_logged_in(actor):
        return NOTHING
    if is_admin(actor):
        return None
    role = actor.role
    if role in ORGANISATION_ROLES:
        org = actor.organisation_id
        mine = Q(applicant_account=actor)
        return mine | Q(applicant_id=org) | Q(project__investor_id=org) | Q(project__company_id=org) if org else mine
    if role in (Role.RESIDENT, Role.HELP_AGENT, Role.GRID_WORKER):
        return Q(applicant_account=actor) | Q(created_by=actor)
    if role == Role.WINDOW_CLERK:
        c = actor.service_centre_id
        if not c:
            return NOTHING
        handed = Handover.objects.filter(Q(from_centre_id=c) | Q(to_centre_id=c)).values("application_id")
        return Q(taken_at_id=c) | Q(handled_at_id=c) | Q(pk__in=handed)
    if role in DEPARTMENT_ROLES:
        if not actor.department_id:
            return NOTHING
        return Q(pk__in=Task.objects.filter(department_id=actor.department_id).values("application_id"))
    if role in (Role.STEWARD, Role.COACH):
        return Q(project__lead_steward=actor) | Q(project__coach=actor)
    if role == Role.SUPERVISOR:
        root = area_of(actor)
        if root is None:
            return NOTHING
        return Q(project__place__path__startswith=root.path) | Q(taken_at__place__path__startswith=root.path)
    return NOTHING


def visible_applications(actor: Any) -> QuerySet[Application]:
    q = application_filter(actor)
    return Application.objects.all() if q is None else Application.objects.filter(q)


def sees(actor: Any, app: Application) -> bool:
    """Whether `actor` sees `app`, answered in memory for the common cases (no query)."""
    if is_admin(actor):
        return True
    if not is_logged_in(actor):
        return False
    if actor.role == Role.WINDOW_CLERK and actor.service_centre_id in (app.taken_at_id, app.handled_at_id):
        return True
    if actor.role in ORGANISATION_ROLES and actor.organisation_id and actor.organisation_id == app.applicant_id:
        return True
    if app.applicant_account_id == actor.pk or app.created_by_id == actor.pk:
        return True
    return visible_applications(actor).filter(pk=app.pk).exists()


def application_for(actor: Any, pk: int) -> Application:
    """The application if `actor` sees it, else 404."""
    app = (Application.objects.select_related("matter", "stage__bundle", "applicant", "project", "taken_at",
                                              "handled_at").filter(pk=pk).first())
    if app is None or not sees(actor, app):
        raise NotFound("application", "办件")
    return app


def task_for(actor: Any, pk: int) -> Task:
    task = Task.objects.select_related("application", "matter", "department").filter(pk=pk).first()
    if task is None or not sees(actor, task.application):
        raise NotFound("task", "审批任务")
    return task


def application_list(actor: Any, state: str | None = None, words: str | None = None) -> QuerySet[Application]:
    """What the caller sees, newest first; `words` are looked for in the number, title, applicant and project."""
    qs = visible_applications(actor).select_related("matter", "stage__bundle", "applicant", "project", "handled_at")
    if state:
        qs = qs.filter(state=state)
    for word in (words or "").split():
        qs = qs.filter(matching(word))
    return qs


NUMBER = re.compile(r"(?:BJ)?0*(\d{1,9})", re.IGNORECASE)  # 办件编号 BJ00000012 is the key, written out


def matching(word: str) -> Q:
    """An application with `word` in its title (matter, stage, bundle), applicant, project or acceptance
    number; a whole 办件编号 (with or without BJ and its zeros) finds that application."""
    q = (Q(matter__name__icontains=word) | Q(stage__name__icontains=word) | Q(stage__bundle__name__icontains=word)
         | Q(applicant__name__icontains=word) | Q(project__name__icontains=word) | Q(acceptance_no__icontains=word))
    number = NUMBER.fullmatch(word)
    return q | Q(pk=int(number[1])) if number else q


def enterprise_by_credit_code(code: str) -> int:
    """The enterprise a window files for, by its 统一社会信用代码; refused naming the field if none has it."""
    found = Enterprise.objects.filter(credit_code=code.strip().upper()).values_list("pk", flat=True).first()
    if found is None:
        raise field_error("applicant", "没有该统一社会信用代码的企业。", "No enterprise has this unified social credit code.",
                          code="unknown")
    return found


def department_queue(actor: Any, include_done: bool = False) -> QuerySet[Task]:
    """The caller's department's tasks, most urgent first (earliest due_at; paused ones after the running)."""
    if not is_logged_in(actor) or not actor.department_id:
        return Task.objects.none()
    qs = Task.objects.filter(department_id=actor.department_id).select_related(
        "application__applicant", "application__project", "matter", "department", "claimed_by")
    if not include_done:
        qs = qs.filter(state__in=[TaskState.OPEN, TaskState.CLAIMED, TaskState.SUPPLEMENT],
                       application__state="in_review")
    return qs.order_by("paused", "due_at", "id")


TASK_RELATED = ("matter", "department", "claimed_by", "decided_by")


def tasks_of(app: Application) -> list[Task]:
    return list(app.tasks.select_related(*TASK_RELATED).order_by("id"))


def progress(app: Application, now: datetime | None = None, tasks: list[Task] | None = None) -> dict[str, Any]:
    """Every department's progress on the application, with lights; the application's light is the worst.

    A department with more than one of the application's matters is marked `shared`, so a list that names
    only the department can add the matter."""
    now = now or timezone.now()
    tasks = tasks_of(app) if tasks is None else tasks
    seen = Counter(t.department_id for t in tasks)
    rows = [{"task": t, "light": light(t, now), "pause_light": pause_light(t, now), "shared": seen[t.department_id] > 1}
            for t in tasks]
    own = light(app, now)
    return {"tasks": rows, "light": worst([own, *(r["light"] for r in rows if r["task"].is_open)]), "own_light": own}


def progress_of_page(apps: list[Application], now: datetime | None = None) -> list[dict[str, Any]]:
    """Each application of a list page with its progress; the tasks of all of them read in one statement."""
    now = now or timezone.now()
    prefetch_related_objects(apps, Prefetch("tasks", Task.objects.select_related(*TASK_RELATED).order_by("id")))
    return [{"app": a, **progress(a, now, list(a.tasks.all()))} for a in apps]


def timeline(app: Application) -> list[Any]:
    """The application's audit trail, oldest first (every action on it and its tasks is recorded there)."""
    from onestop.audit.models import Event

    return list(Event.objects.filter(chain__aggregate_type=Application._meta.label, chain__aggregate_id=str(app.pk))
                .select_related("actor").order_by("seq"))


EVENT_LABELS = {  # what each recorded action was, as the timeline tells it (办理轨迹)
    "approvals.submitted": pgettext_lazy("timeline", "Application submitted"),
    "approvals.missing_notified": pgettext_lazy("timeline", "Missing materials notified at once"),
    "approvals.resubmitted": pgettext_lazy("timeline", "Materials completed and resubmitted"),
    "approvals.accepted": pgettext_lazy("timeline", "Accepted"),
    "approvals.task_claimed": pgettext_lazy("timeline", "Task claimed"),
    "approvals.task_approved": pgettext_lazy("timeline", "Department approved"),
    "approvals.task_rejected": pgettext_lazy("timeline", "Department refused"),
    "approvals.supplement_requested": pgettext_lazy("timeline", "Supplement asked"),
    "approvals.supplement_supplied": pgettext_lazy("timeline", "Supplement supplied"),
    "approvals.next_stage_opened": pgettext_lazy("timeline", "Next stage opened"),
    "approvals.issued": pgettext_lazy("timeline", "Results issued"),
    "approvals.handed_over": pgettext_lazy("timeline", "Handed over to another service centre"),
    "approvals.material_supplied": pgettext_lazy("timeline", "Deferred material supplied"),
    "approvals.commitment_overdue": pgettext_lazy("timeline", "Deferred material overdue"),
    "approvals.commitment_broken": pgettext_lazy("timeline", "Commitment broken"),
    "approvals.formalized": pgettext_lazy("timeline", "Simulated application made formal"),
}
EVENT_DETAILS = ("matter", "acceptance_no", "to", "name")  # what of `after` names what the action was about


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def event_detail(e: Any) -> str:
    after = e.after if isinstance(e.after, dict) else {}
    return next((str(after[k]) for k in EVENT_DETAILS if after.get(k)), "")


def coaching_of(actor: Any, project_id: int) -> list[Any]:
    """批前辅导 records of a project the caller sees (404 otherwise)."""
    from onestop.org.access import project_for

    from .models import CoachingRecord

    return list(CoachingRecord.objects.filter(project=project_for(actor, project_id)).select_related("coach", "matter"))


def matters_of(app: Application) -> list[Any]:
    """The matters an application is for: its matter, or its stage's in catalogue order."""
    return [app.matter] if app.matter_id else list(app.stage.matters.order_by("code"))


def materials_of(app: Application) -> list[Any]:
    return list(app.materials.select_related("material__matter").order_by("material__matter__code",
                                                                           "material__position"))


# -- shapes for the API and pages ----------------------------------------------------------------------


def task_dict(t: Task, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": t.pk, "application_id": t.application_id, "matter_id": t.matter_id, "matter": t.matter.name,
        "department_id": t.department_id, "department": t.department.name, "state": t.state, "opinion": t.opinion,
        "supplement_request": t.supplement_request,
        "claimed_by": (t.claimed_by.display_name or t.claimed_by.username) if t.claimed_by_id else None,
        "decided_at": t.decided_at, "clock_state": t.clock_state, "due_at": t.due_at, "pause_due_at": t.pause_due_at,
        "days_consumed": t.days_consumed, "light": light(t, now), "carried_over": t.carried_over,
    }


def material_dict(row: Any) -> dict[str, Any]:
    m = row.material
    return {"id": row.pk, "material_id": m.pk, "name": m.name, "matter": m.matter.name, "required": m.required,
            "may_defer": m.may_defer, "may_commit": m.may_commit, "status": row.status, "due_at": row.due_at,
            "supplied_at": row.supplied_at, "alerted_at": row.alerted_at}


def application_dict(app: Application, now: datetime | None = None, *, detail: bool = False) -> dict[str, Any]:
    now = now or timezone.now()
    out = {f: getattr(app, f) for f in (
        "id", "number", "title", "matter_id", "stage_id", "channel", "state", "simulated", "applicant_id",
        "project_id", "taken_at_id", "handled_at_id", "previous_id", "resubmission_of_id", "form_data",
        "acceptance_no", "missing_notice", "submitted_at", "accepted_at", "decided_at", "issued_at", "due_at",
        "clock_state", "alert", "land_to_permit_days")}
    if not detail:
        return {**out, "light": light(app, now)}
    p = progress(app, now)
    return {**out, "light": p["light"], "tasks": [task_dict(r["task"], now) for r in p["tasks"]],
            "materials": [material_dict(r) for r in materials_of(app)], "results": app.results}


def event_dict(e: Any) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at, "actor": e.actor_name, "action": e.action, "label": event_label(e.action),
            "after": e.after, "reason": e.reason}
