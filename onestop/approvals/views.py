"""Pages: the applications list (the enterprise portal's progress view), applying online, the clerk's intake
screen with its materials checklist, the department queue, the task page and an application's timeline.

Thin: each POST calls one action; a refusal is shown beside the form with the action's own message.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from onestop.catalog.models import Matter, Stage
from onestop.catalog.queries import field_labels
from onestop.errors import DomainError, Forbidden, NotFound
from onestop.org.access import visible_projects
from onestop.org.models import ServiceCentre

from . import actions, followups, forms, queries
from .models import AppState, MaterialStatus

PER_PAGE = 50


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; what the caller may not see is a 404 page, what it may not do a 403 page."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as err:
            raise Http404(err.zh) from None
        except Forbidden as err:
            raise PermissionDenied(err.zh) from None
    return login_required(wrapped)


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def _attempt(request: HttpRequest, fn: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    try:
        return fn(), None
    except DomainError as err:
        return None, err


@page
def application_list(request: HttpRequest) -> HttpResponse:
    """我的办件 / 办件列表: every visible application with each department's progress, a page at a time,
    filtered by state and found by words in its number, title, applicant or project."""
    filters = {name: request.GET.get(name, "").strip() for name in ("state", "q")}
    state = filters["state"] if filters["state"] in AppState.values else None
    page = Paginator(queries.application_list(request.user, state, filters["q"]), PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "approvals/list.html", {
        "page": page, "rows": queries.progress_of_page(list(page.object_list)), "filters": filters,
        "states": AppState.choices, "query": query.urlencode(),
        "may_apply": request.user.role in actions.APPLYING_ROLES, "has_queue": bool(request.user.department_id)})


def _id(value: str | None) -> int | None:
    """A chosen id; nothing chosen (or not a number) is None, which the action refuses naming the field."""
    return int(value) if value and value.strip().isdigit() else None


@page
def apply(request: HttpRequest) -> HttpResponse:
    """网上申报 (the enterprise portal), in two steps: what to apply for (a bundle stage or a matter, and the
    project), then its one form, filled from the records, to complete and send."""
    data = request.POST if request.method == "POST" else request.GET
    files_for_others = request.user.role in actions.FILING_FOR_OTHERS  # a window: which enterprise applies
    code = (data.get("applicant") or "").strip() if files_for_others else ""
    applicant_id, error = _attempt(request, lambda: queries.enterprise_by_credit_code(code)) if code else (None, None)
    choice = {"stage_id": _id(data.get("stage")), "matter_id": _id(data.get("matter")),
              "project_id": _id(data.get("project")), "applicant_id": applicant_id}
    fields: list = []
    if error is None and request.method == "POST":
        given = {k[5:]: v for k, v in request.POST.items() if k.startswith("form.") and v.strip()}
        app, error = _attempt(request, lambda: actions.submit_application(
            request.user, **choice, form_data=given, provided=_ints(request.POST.getlist("provided"))))
        if app is not None:
            return redirect("approvals:application", app.pk)
    if (choice["stage_id"] or choice["matter_id"]) and (applicant_id or not code):  # a code must have been found
        fields, refused = _attempt(request, lambda: actions.form_to_fill(request.user, **choice))
        error, fields = error or refused, fields or []
        for f in fields:  # what was typed stays when a submission is refused
            f["value"] = data.get(f"form.{f['name']}", f["value"])
    return render(request, "approvals/apply.html", {
        "choice": choice, "fields": fields, "files_for_others": files_for_others, "applicant_code": code,
        "stages": Stage.objects.select_related("bundle").order_by("bundle__code", "position"),
        # every active matter and every project the caller may apply for: a cut list would hide some
        "matters": Matter.objects.filter(active=True).select_related("department").order_by("department__code", "code"),
        "projects": visible_projects(request.user).order_by("code"), "error": error,
    })


@page
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: progress of every department, materials; the clerk's intake and issue forms."""
    app = queries.application_for(request.user, pk)
    error = None
    if request.method == "POST":
        _, error = _attempt(request, lambda: _post(request, app))
        if error is None:
            return redirect("approvals:application", pk)
        app = queries.application_for(request.user, pk)
    progress, materials = queries.progress(app), queries.materials_of(app)
    owed = [r for r in materials if r.status in (MaterialStatus.DEFERRED, MaterialStatus.COMMITTED)]
    return render(request, "approvals/application.html", {
        "app": app, **progress, "materials": materials, "error": error, "owed": owed,
        "clerk": actions.is_clerk_of(request.user, app),
        "form": forms.labelled(queries.matters_of(app), app.form_data, field_labels()),
        "centres": ServiceCentre.objects.exclude(pk=app.handled_at_id).order_by("name"),
        "offered": actions.offered(request.user, app, [r["task"] for r in progress["tasks"]], owed),
    })


def _post(request: HttpRequest, app) -> Any:
    p, user, do = request.POST, request.user, request.POST.get("do")
    provided = _ints(p.getlist("provided"))
    if do == "accept":
        deferred = {int(k[6:]): int(v) for k, v in p.items() if k.startswith("defer.") and v.strip().isdigit()}
        return actions.accept_application(user, app.pk, provided=provided, deferred=deferred,
                                          commitment=p.get("commitment", ""))
    if do == "notice":
        return actions.notify_missing(user, app.pk, provided=provided, note=p.get("note", ""))
    if do == "resubmit":
        return actions.resubmit(user, app.pk, provided=provided)
    if do == "issue":
        return actions.issue_results(user, app.pk, method=p.get("method", "window"))
    if do == "handover":
        return followups.hand_over(user, app.pk, to_centre_id=int(p.get("to_centre") or 0), note=p.get("note", ""))
    if do == "formalize":
        return followups.formalize(user, app.pk)
    if do == "reapply":
        new = actions.reapply(user, app.pk)
        return new
    if do == "supply_material":
        return followups.supply_material(user, int(p.get("row") or 0))
    if do == "supply_task":
        return actions.supply_supplement(user, int(p.get("task") or 0), note=p.get("note", ""))
    return None


@page
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.application_for(request.user, pk)
    events = [{"event": e, "label": queries.event_label(e.action), "detail": queries.event_detail(e)}
              for e in queries.timeline(app)]
    return render(request, "approvals/timeline.html", {"app": app, "events": events})


@page
def queue(request: HttpRequest) -> HttpResponse:
    """The department's queue, most urgent first, a page at a time with the number waiting."""
    now = timezone.now()
    page = Paginator(queries.department_queue(request.user), PER_PAGE).get_page(request.GET.get("page"))
    tasks = [{"task": t, "light": queries.light(t, now)} for t in page.object_list]
    return render(request, "approvals/queue.html", {"tasks": tasks, "page": page, "query": ""})


@page
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """A task: the application's materials and form, the other departments' progress, and the actions."""
    t = queries.task_for(request.user, pk)
    error = None
    if request.method == "POST":
        p, user, do = request.POST, request.user, request.POST.get("do")
        run = {
            "claim": lambda: actions.claim_task(user, pk),
            "approve": lambda: actions.approve_task(user, pk, opinion=p.get("opinion", "")),
            "reject": lambda: actions.reject_task(user, pk, reasons=p.get("reasons", "")),
            "supplement": lambda: actions.request_supplement(user, pk, what=p.get("what", ""),
                                                             days=int(p.get("days") or 0) or 5),
        }.get(do, lambda: None)
        _, error = _attempt(request, run)
        if error is None:
            return redirect("approvals:task", pk)
        t = queries.task_for(request.user, pk)
    app = t.application
    return render(request, "approvals/task.html", {
        "task": t, "app": app, **queries.progress(app), "materials": queries.materials_of(app), "error": error,
        "form": forms.labelled([t.matter], app.form_data, field_labels()),
        "mine": request.user.department_id == t.department_id, "now": timezone.now(),
    })
