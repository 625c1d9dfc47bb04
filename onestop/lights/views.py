"""Pages: the supervision board, a node's tasks, an item's clock, the ledger, where time goes, the inbox.

Thin: each view parses, calls `queries`/`actions`, renders. Refusals render `lights/error.html` with the
status of DESIGN.md (400 naming the filter, 403, 404, 409); form errors stay beside their field.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from onestop.errors import DomainError, NotFound
from onestop.org.access import is_admin
from onestop.worktime.clock import legal_limit_passed, light, pause_light
from onestop.worktime.models import Clock

from . import actions, analytics, queries
from .export import ledger_xlsx
from .models import LedgerState
from .svg import flow_svg


def _message(err: DomainError) -> str:
    return err.en if (get_language() or "").startswith("en") else err.zh


def refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as err:
            return render(request, "lights/error.html", {"error": err, "message": _message(err)}, status=err.status)
    return login_required(wrapped)


@refusals
def index(request: HttpRequest) -> HttpResponse:
    """The bundles to supervise and the light counts per department."""
    from onestop.catalog.models import Bundle

    f = queries.parse_filters(request.GET)
    return render(request, "lights/index.html", {
        "bundles": Bundle.objects.order_by("code"), "counts": queries.counts_by_department(request.user, f),
        "filters": f})


@refusals
def board(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """挂图督办: the flow chart with a light on every node, and what is late by department and person."""
    f, now = queries.parse_filters(request.GET), timezone.now()
    data = queries.board(request.user, bundle_id, f, now)
    return render(request, "lights/board.html", {
        "data": data, "filters": f, "query": f.query_string(),
        "svg": flow_svg(data, f"/lights/board/{bundle_id}/nodes/{{}}", f.query_string()),
        "by_department": queries.late_by_department(request.user, f, now),
        "by_person": queries.late_by_person(request.user, f, now),
        "late": [queries.task_row(t, now) for t in queries.late_page(request.user, f, 1, now)],
        "options": _filter_options(request.user)})


def _filter_options(actor: Any) -> dict[str, Any]:
    from onestop.org.models import Department, Place, ServiceCentre

    return {"towns": Place.objects.filter(kind="town").order_by("path"),
            "centres": ServiceCentre.objects.order_by("name"), "departments": Department.objects.order_by("code")}


@refusals
def node(request: HttpRequest, bundle_id: int, matter_id: int) -> HttpResponse:
    """The tasks behind a node of the board (a click on it)."""
    f, now = queries.parse_filters(request.GET, allowed_extra=("light",)), timezone.now()
    colour = f.extra.get("light") or None
    if colour not in (None, "green", "yellow", "red", "paused"):
        raise queries._bad({"light": "one of green, yellow, red, paused"})
    tasks = [queries.task_row(t, now) for t in queries.node_tasks(request.user, bundle_id, matter_id, f, colour, now)]
    from onestop.catalog.models import Matter

    matter = Matter.objects.get(pk=matter_id)
    template = "lights/_node_tasks.html" if request.htmx else "lights/node.html"
    return render(request, template, {"tasks": tasks, "matter": matter, "bundle_id": bundle_id, "query": f.query_string()})


def _clock_model(label: str) -> type[Clock]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise NotFound("item", "事项") from None
    if not issubclass(model, Clock):
        raise NotFound("item", "事项")
    return model


def _visible_item(actor: Any, label: str, pk: int) -> Any:
    model = _clock_model(label)
    if label == "approvals.Task":
        from onestop.approvals.queries import task_for

        return task_for(actor, pk)
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not (is_admin(actor) or queries.visible_entries(actor).filter(clock_type=label, clock_id=pk).exists()):
        raise NotFound("item", "事项")
    return obj


@refusals
def item(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """One clocked thing: its light, its deadlines and its ledger entries."""
    obj, now = _visible_item(request.user, label, pk), timezone.now()
    entries = queries.visible_entries(request.user).filter(clock_type=label, clock_id=pk)
    return render(request, "lights/item.html", {
        "obj": obj, "label": label, "light": light(obj, now), "pause_light": pause_light(obj, now),
        "legal_passed": legal_limit_passed(obj, now), "entries": entries, "kind": obj._meta.verbose_name})


@refusals
def ledger(request: HttpRequest) -> HttpResponse:
    """超期台账: the entries the caller sees, newest first, a page at a time with the total."""
    state = request.GET.get("state") or None
    page = Paginator(queries.ledger(request.user, state), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lights/ledger.html", {"entries": page.object_list, "page": page, "state": state,
                                                  "query": f"state={state}" if state else "",
                                                  "states": LedgerState.choices})


@refusals
def ledger_excel(request: HttpRequest) -> HttpResponse:
    body = ledger_xlsx(queries.ledger(request.user, request.GET.get("state") or None))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


@refusals
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One ledger entry: the department's answer and the supervisor's closing (销号), each beside its fields."""
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        try:
            if request.POST.get("do") == "close":
                actions.close_entry(request.user, pk, resolution=request.POST.get("resolution", ""))
            else:
                actions.answer_entry(request.user, pk, reason=request.POST.get("reason", ""),
                                     remedy=request.POST.get("remedy", ""))
            return redirect("lights:entry", pk=pk)
        except DomainError as err:
            if err.status not in (400, 409):
                raise
            errors, message = {k: _message(err) for k in err.fields}, _message(err)
    e = queries.entry_for(request.user, pk)
    user = request.user
    return render(request, "lights/entry.html", {
        "e": e, "errors": errors, "message": message, "values": request.POST,
        "may_answer": user.role == "department_head" and user.department_id == e.department_id and e.state != "closed",
        "may_close": user.role == "supervisor" and e.state != "closed"}, status=400 if errors else 200)


@refusals
def where_time_goes(request: HttpRequest, bundle_id: int) -> HttpResponse:
    f = queries.parse_filters(request.GET)
    data = analytics.where_time_goes(request.user, bundle_id, f)
    return render(request, "lights/analytics.html", {"data": data, "bundle": queries.bundle_for(bundle_id),
                                                     "query": f.query_string()})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox(request.user), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lights/inbox.html", {"notes": page.object_list, "page": page, "query": "",
                                                 "unread": queries.unread_count(request.user)})


@require_POST
@refusals
def read(request: HttpRequest, pk: int) -> HttpResponse:
    note = actions.mark_read(request.user, pk)
    return redirect(note.link or "lights:inbox")


@require_POST
@refusals
def read_all(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)
    return redirect("lights:inbox")


