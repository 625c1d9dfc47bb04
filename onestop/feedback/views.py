"""Pages of 好差评: rating a service (portal, the window's QR code, the clerk's tablet), follow-ups,
public comments, supervision (moderation, return visits) and the monthly stars ranking.

Thin: reads through `queries`, writes through `actions`; a refusal shows its message beside the form.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onestop.enterprises.models import Project
from onestop.errors import DomainError, NotFound
from onestop.feedback import actions, queries, scoring
from onestop.feedback.models import AnswerKind, Channel, Level, Sentiment, Service
from onestop.stewards import access as steward_access
from onestop.throttle import limited

PER_PAGE = 50  # open follow-ups, comments awaiting moderation
RECENTLY_RATED = 50  # rated services shown, newest first


def _zh(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "zh-hans") or "zh-hans").startswith("zh")


def _error(request: HttpRequest, exc: DomainError) -> dict:
    return {"message": exc.zh if _zh(request) else exc.en, "fields": exc.fields}


def _try(request: HttpRequest, do: Callable[[], Any], back: str, page: Callable[[dict, int], HttpResponse]) -> HttpResponse:
    try:
        do()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return page(_error(request, exc), exc.status)
    return redirect(back)


def _desk(request: HttpRequest, error: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    page = Paginator(queries.follow_ups_for(user).exclude(state="closed"), PER_PAGE).get_page(request.GET.get("page"))
    follow_ups = list(page.object_list)
    rated = queries.services_for(user).filter(rating__isnull=False)
    ctx = {
        "to_rate": queries.services_for(user, unrated=True) if user.is_applicant else [],
        "rated": rated.order_by("-rating__created_at", "-id")[:RECENTLY_RATED], "rated_count": rated.count(),
        "recently_rated": RECENTLY_RATED, "follow_ups": follow_ups, "page": page, "query": "",
        "answerable": {f.pk for f in follow_ups if actions.may_answer(user, f.rating.service)},
        "levels": Level.choices, "answers": AnswerKind.choices, "is_applicant": user.is_applicant,
        "error": error or {},
    }
    return render(request, "feedback/desk.html", ctx, status=status)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """好差评: services to rate (an applicant's issued applications are registered first), follow-ups."""
    if request.user.is_applicant:
        from onestop.feedback.bridges import register_issued_applications

        register_issued_applications(organisation_id=request.user.organisation_id, account_id=request.user.pk)
    return _desk(request)


def _rate_page(request: HttpRequest, service: Service, error: dict | None = None, status: int = 200) -> HttpResponse:
    channel = request.POST.get("channel") or request.GET.get("channel") or Channel.PORTAL
    return render(request, "feedback/rate.html", {"service": service, "levels": Level.choices, "channel": channel,
                                                  "channels": Channel.choices, "error": error or {}}, status=status)


@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate one service; `?channel=window_qr` when reached through the window's QR code."""
    service = queries.services_for(request.user).filter(pk=pk).first()
    if service is None or not actions.received_by(request.user, service):
        raise Http404
    if request.method != "POST":
        return _rate_page(request, service)
    p = request.POST
    return _try(request, lambda: actions.rate_service(request.user, pk, level=p.get("level", ""),
                                                      comment=p.get("comment", ""), channel=p.get("channel", "")),
                reverse("feedback:desk") + "?rated=1", lambda e, s: _rate_page(request, service, e, s))


@login_required
def qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code a clerk shows at the window (窗口评价二维码): it opens the rating page on a phone."""
    import segno

    service = queries.services_for(request.user).filter(pk=pk).first()
    if service is None:
        raise Http404
    url = request.build_absolute_uri(reverse("feedback:rate", args=[pk]) + "?channel=window_qr")
    from io import BytesIO

    out = BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _try(request, lambda: actions.answer_follow_up(request.user, pk, kind=p.get("kind", ""),
                                                          answer=p.get("answer", "")),
                reverse("feedback:desk"), lambda e, s: _desk(request, e, s))


@login_required
@require_POST
def rate_answer(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _try(request, lambda: actions.rate_follow_up(request.user, pk, level=p.get("level", ""),
                                                        comment=p.get("comment", "")),
                reverse("feedback:desk"), lambda e, s: _desk(request, e, s))


def _comments_page(request: HttpRequest, project: Project, error: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    return render(request, "feedback/comments.html", {
        "project": project, "comments": queries.comments(user, project.pk), "sentiments": Sentiment.choices,
        "error": error or {}, "thanks": request.GET.get("thanks")}, status=status)


@limited("comments")
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """社会评价: the public comment form of a project (no login needed) and its published comments."""
    project = Project.objects.filter(pk=pk).first()
    if project is None:
        raise Http404
    if request.method != "POST":
        return _comments_page(request, project)
    p = request.POST
    user = request.user if request.user.is_authenticated else None
    return _try(request, lambda: actions.post_public_comment(user, pk, sentiment=p.get("sentiment", ""),
                                                             body=p.get("body", ""), author_name=p.get("author_name", "")),
                reverse("feedback:comments", args=[pk]) + "?thanks=1", lambda e, s: _comments_page(request, project, e, s))


def _supervision(request: HttpRequest, error: dict | None = None, status: int = 200) -> HttpResponse:
    page = Paginator(queries.pending_comments(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/supervision.html", {
        "pending": page.object_list, "page": page, "query": "", "sentiments": Sentiment.choices,
        "projects": steward_access.visible_projects(request.user).select_related("lead_steward"),
        "error": error or {}}, status=status)


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """督办: moderate public comments, record return visits."""
    return _supervision(request)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _try(request, lambda: actions.moderate_comment(request.user, pk, approve=p.get("decision") == "approve",
                                                          sentiment=p.get("sentiment") or None, note=p.get("note", "")),
                reverse("feedback:supervision"), lambda e, s: _supervision(request, e, s))


@login_required
@require_POST
def visit(request: HttpRequest) -> HttpResponse:
    p = request.POST

    def do() -> None:
        try:
            score = int(p.get("score", ""))
        except ValueError:
            score = -1
        try:
            day = date.fromisoformat(p.get("visited_on", ""))
        except ValueError:
            day = None
        actions.record_return_visit(request.user, int(p.get("project_id") or 0), score=score, visited_on=day,
                                    note=p.get("note", ""))

    return _try(request, do, reverse("feedback:supervision") + "?visited=1", lambda e, s: _supervision(request, e, s))


@login_required
def stars(request: HttpRequest) -> HttpResponse:
    """管家月度星级排行."""
    if not queries.may_see_stars(request.user):
        raise PermissionDenied
    try:
        year, month = queries.parse_month(request.GET.get("month"))
        error = {}
    except DomainError as exc:
        (year, month), error = queries.parse_month(None), _error(request, exc)
    rows = scoring.month(year, month)
    return render(request, "feedback/stars.html", {"rows": rows, "year": year, "month": month, "error": error,
                                                   "weights": scoring.weights(), "month_value": f"{year}-{month:02d}"})


@login_required
def stars_xlsx(request: HttpRequest) -> HttpResponse:
    if not queries.may_see_stars(request.user):
        raise PermissionDenied
    try:
        year, month = queries.parse_month(request.GET.get("month"))
    except DomainError:
        raise Http404 from None
    response = HttpResponse(scoring.xlsx(year, month, scoring.month(year, month)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="steward-stars-{year}-{month:02d}.xlsx"'
    return response
