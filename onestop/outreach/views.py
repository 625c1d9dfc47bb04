"""Pages: the agent's queue (phone-sized), the commissioner's enterprises, the supervisor's overview, the
periodic review with its Excel export. Thin: reads through `queries`/`review`, writes through `actions`."""
from __future__ import annotations

from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from onestop.errors import DomainError, NotFound
from onestop.outreach import actions, queries, review
from onestop.outreach.access import is_agent
from onestop.org.models import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's page: agents their queue, commissioners their enterprises, supervisors the overview."""
    role = request.user.role
    if is_agent(request.user):
        return redirect("outreach:queue")
    if role == Role.COMMISSIONER:
        return redirect("outreach:enterprises")
    return redirect("outreach:overview")


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    """An enterprise or a resident asks for help through the portal (帮办代办请求), and sees its requests."""
    errors: dict = {}
    if request.method == "POST":
        try:
            actions.raise_request(
                request.user, matter_id=_int(request.POST.get("matter_id")), place_id=_int(request.POST.get("place_id")),
                description=request.POST.get("description", ""), contact_phone=request.POST.get("contact_phone", ""),
            )
            return redirect("outreach:ask")
        except DomainError as exc:
            errors = {**exc.fields, "message": exc.zh if request.LANGUAGE_CODE.startswith("zh") else exc.en}
    mine = queries.request_list(request.user).order_by("-raised_at")[:20]
    context = {**queries.help_form_choices(), "mine": mine, "errors": errors, "form": request.POST}
    return render(request, "outreach/ask.html", context, status=400 if errors else 200)


def _int(value: str | None) -> int:
    """A form's id field; a missing or malformed one becomes 0, which the action refuses naming the field."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


@login_required
def queue(request: HttpRequest, errors: dict | None = None, failed: int | None = None) -> HttpResponse:
    rows = queries.agent_queue(request.user)
    return render(request, "outreach/queue.html", {"rows": rows, "errors": errors or {}, "failed": failed},
                  status=400 if errors else 200)


def _act(request: HttpRequest, pk: int, do: Callable[[], Any]) -> HttpResponse:
    try:
        do()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        errors = {**exc.fields, "message": exc.zh if request.LANGUAGE_CODE.startswith("zh") else exc.en}
        return queue(request, errors, pk)
    return redirect("outreach:queue")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: actions.accept_request(request.user, pk))


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: actions.complete_request(request.user, pk, result=request.POST.get("result", "")))


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: actions.close_request(request.user, pk, reason=request.POST.get("reason", "")))


@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/enterprises.html", {"rows": queries.commissioner_enterprises(request.user)})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/overview.html", {"figures": queries.supervisor_overview(request.user)})


def _review(request: HttpRequest) -> tuple[review.Review | None, str]:
    try:
        return review.review(request.user, review.parse_period(request.GET.get("period"))), ""
    except DomainError as exc:
        return None, exc.zh if request.LANGUAGE_CODE.startswith("zh") else exc.en


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    rv, error = _review(request)
    return render(request, "outreach/review.html", {"rv": rv, "error": error, "period": request.GET.get("period", "")},
                  status=400 if error else 200)


@login_required
def review_excel(request: HttpRequest) -> HttpResponse:
    rv, error = _review(request)
    if rv is None:
        return HttpResponse(error, status=400)
    response = HttpResponse(review.excel(rv), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="help-review-{rv.period.label}.xlsx"'
    return response
