"""Pages of the steward's work: home, a project's workspace (group, plan, table, route), their forms.

Thin: reads through `queries`, writes through the actions; a project the caller does not see is a 404, a
refused action shows its message beside the field. The liaison group refreshes itself by htmx polling
(`hx-trigger="every 3s"` on the thread), so new messages appear without reloading the page.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onestop.errors import DomainError, NotFound
from onestop.lights.queries import project_light
from onestop.org.models import Account, Department, Role
from onestop.org import access as org_access
from onestop.stewards import access, actions, attachments, gantt, plan_actions, queries, route
from onestop.stewards.models import WorkState
from onestop.worktime.clock import light

OTHERS_SHOWN = 100  # projects of others on the home page; the project list pages through them all


def _project(request: HttpRequest, pk: int):
    try:
        return access.project_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _error(exc: DomainError, lang_zh: bool) -> dict:
    return {"message": exc.zh if lang_zh else exc.en, "fields": exc.fields}


def _zh(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans").startswith("zh")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """管家工作台: my projects with lights, what waits on whom, what is due this week."""
    context = {**queries.steward_home(request.user), "others": None, "others_shown": OTHERS_SHOWN}
    if request.user.role != Role.STEWARD:
        others = access.visible_projects(request.user).select_related("lead_steward")
        context.update(others=others[:OTHERS_SHOWN], others_count=others.count())
    return render(request, "stewards/home.html", context)


def _workspace(request: HttpRequest, pk: int, error: dict | None = None, status: int = 200) -> HttpResponse:
    project = _project(request, pk)
    now = timezone.now()
    _, milestones = queries.plan(request.user, pk)
    _, items = queries.work_items(request.user, pk)
    actions.mark_read(request.user, pk)
    _, messages = queries.thread(request.user, pk)
    ctx = {
        "project": project, "staff": queries.stewards_of(project), "messages": messages,
        "milestones": [(m, light(m, now)) for m in milestones],
        "gantt": gantt.svg(milestones, timezone.localdate(now), now), "items": items,
        "route": route.build(project), "can_plan": access.can_plan(request.user, project),
        "can_assign": org_access.can_assign_project_staff(request.user, project),
        "can_add_helper": org_access.can_assign_project_staff(request.user, project)
        or project.lead_steward_id == request.user.pk,
        "stewards": Account.objects.filter(role=Role.STEWARD, is_active=True).order_by("display_name"),
        "departments": Department.objects.order_by("name"), "states": WorkState.choices,
        "error": error or {}, "max_kb": attachments.max_bytes() // 1024, "allowed": ", ".join(attachments.allowed_types()),
        "light": project_light(project, now),  # the lights app's, as everywhere
    }
    return render(request, "stewards/project.html", ctx, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace(request, pk)


@login_required
def messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread (fragment): GET by htmx polling (records receipts), POST to send."""
    error = {}
    if request.method == "POST":
        upload = request.FILES.get("attachment")
        try:
            name, data = attachments.read_upload(upload) if upload else ("", None)
            actions.post_message(request.user, pk, request.POST.get("body", ""), attachment_name=name,
                                 attachment_data=data)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            error = _error(exc, _zh(request))
        if not request.htmx:
            return _workspace(request, pk, error, 400) if error else redirect(reverse("stewards:project", args=[pk]) + "#group")
    try:
        actions.mark_read(request.user, pk)
        project, rows = queries.thread(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "stewards/_thread.html", {"project": project, "messages": rows, "error": error,
                                                     "posted": request.method == "POST"})


@login_required
def attachment(request: HttpRequest, message_id: int) -> HttpResponse:
    try:
        m = queries.attachment(request.user, message_id)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(bytes(m.attachment_data), content_type=m.attachment_type)
    response["Content-Disposition"] = f'attachment; filename="{m.attachment_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _act(request: HttpRequest, pk: int, do, anchor: str) -> HttpResponse:
    try:
        do()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return _workspace(request, pk, _error(exc, _zh(request)), exc.status)
    return redirect(reverse("stewards:project", args=[pk]) + anchor)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    steward, kind = _int(request.POST.get("steward_id")), request.POST.get("kind", "lead")
    reason = request.POST.get("reason", "")
    if kind == "lead":
        return _act(request, pk, lambda: actions.assign_lead(request.user, pk, steward, reason=reason), "#staff")
    if kind == "remove":
        return _act(request, pk, lambda: actions.remove_helper(request.user, pk, steward, reason=reason), "#staff")
    return _act(request, pk, lambda: actions.add_helper(request.user, pk, steward, reason=reason), "#staff")


@login_required
@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, lambda: plan_actions.add_milestone(
        request.user, pk, name=p.get("name", ""), planned_start=_date(p.get("planned_start")),
        planned_end=_date(p.get("planned_end")), owner_id=_int(p.get("owner_id")),
        department_id=_int(p.get("department_id")),
        depends_on=[i for i in (_int(x) for x in p.getlist("depends_on")) if i is not None]), "#plan")


@login_required
@require_POST
def milestone_progress(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, lambda: plan_actions.record_progress(
        request.user, milestone_id, actual_start=_date(p.get("actual_start")), actual_end=_date(p.get("actual_end"))),
        "#plan")


@login_required
@require_POST
def add_work_item(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, lambda: plan_actions.add_work_item(
        request.user, pk, title=p.get("title", ""), deadline=_date(p.get("deadline")),
        department_id=_int(p.get("department_id")), owner_id=_int(p.get("owner_id")), note=p.get("note", "")),
        "#table")


@login_required
@require_POST
def work_item_state(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _act(request, pk, lambda: plan_actions.update_work_item(
        request.user, item_id, {"state": request.POST.get("state")}), "#table")


@login_required
def work_items_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _, items = queries.work_items(request.user, pk)
    response = HttpResponse(queries.work_items_xlsx(project, items, timezone.localdate()),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="division-{project.code}.xlsx"'
    return response


@login_required
def route_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    response = HttpResponse(route.pdf(route.build(project, _date(request.GET.get("start")))),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="route-{project.code}.pdf"'
    return response


@login_required
def gantt_svg(request: HttpRequest, pk: int) -> HttpResponse:
    _project(request, pk)
    _, rows = queries.plan(request.user, pk)
    now = timezone.now()
    return HttpResponse(gantt.svg(rows, timezone.localdate(now), now), content_type="image/svg+xml")
