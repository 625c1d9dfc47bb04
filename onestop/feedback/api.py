"""The feedback API (/api/feedback): ratings, follow-ups, return visits, public comments, monthly stars."""

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from onestop import throttle
from onestop.errors import Forbidden
from onestop.feedback import actions, queries, scoring
from onestop.feedback.models import Channel
from onestop.org.schemas import ErrorOut

router = Router(tags=["feedback"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ServiceOut(Schema):
    id: int
    kind: str
    ref_id: int
    title: str
    project_id: Optional[int]
    rendered_at: datetime
    rating: Optional[str]


class RatingIn(Schema):
    level: str
    comment: str = ""
    channel: str = Channel.PORTAL


class RatingOut(Schema):
    id: int
    service_id: int
    level: str
    score: int
    comment: str
    channel: str
    created_at: datetime
    follow_up_id: Optional[int]


class FollowUpOut(Schema):
    id: int
    service_id: int
    state: str
    due_at: Optional[datetime]
    answer_kind: str
    answer: str
    level: str


class AnswerIn(Schema):
    kind: str
    answer: str = ""


class FollowUpRatingIn(Schema):
    level: str
    comment: str = ""


class VisitIn(Schema):
    score: int
    visited_on: date
    note: str = ""
    steward_id: Optional[int] = None


class VisitOut(Schema):
    id: int
    project_id: int
    steward_id: int
    score: int
    visited_on: date


class CommentIn(Schema):
    sentiment: str
    body: str
    author_name: str = ""


class CommentOut(Schema):
    id: int
    project_id: int
    sentiment: str
    body: str
    author_name: str
    state: str
    created_at: datetime


class ModerationIn(Schema):
    approve: bool
    sentiment: Optional[str] = None
    note: str = ""


class StarOut(Schema):
    steward_id: int
    steward: str
    visits: Optional[Decimal]
    ratings: Optional[Decimal]
    public: Optional[Decimal]
    score: Optional[Decimal]
    stars: Optional[int]
    counts: dict[str, int]


def service_out(s) -> ServiceOut:
    rating = getattr(s, "rating", None)
    return ServiceOut(id=s.pk, kind=s.kind, ref_id=s.ref_id, title=s.title, project_id=s.project_id,
                      rendered_at=s.rendered_at, rating=rating.level if rating else None)


def rating_out(r) -> RatingOut:
    follow = getattr(r, "follow_up", None)
    return RatingOut(id=r.pk, service_id=r.service_id, level=r.level, score=r.score, comment=r.comment,
                     channel=r.channel, created_at=r.created_at, follow_up_id=follow.pk if follow else None)


def follow_out(f) -> FollowUpOut:
    return FollowUpOut(id=f.pk, service_id=f.rating.service_id, state=f.state, due_at=f.due_at,
                       answer_kind=f.answer_kind, answer=f.answer, level=f.level)


def comment_out(c) -> CommentOut:
    return CommentOut(id=c.pk, project_id=c.project_id, sentiment=c.sentiment, body=c.body,
                      author_name=c.author_name, state=c.state, created_at=c.created_at)


@router.get("/services", response=list[ServiceOut])
def services(request: HttpRequest, unrated: bool = False):
    """Services the caller received (to rate) or, for staff, the services on the projects it sees."""
    return [service_out(s) for s in queries.services_for(request.auth, unrated=unrated)[:200]]


@router.post("/services/{service_id}/rating", response={201: RatingOut, **ERRORS})
def rate(request: HttpRequest, service_id: int, payload: RatingIn):
    """评价服务 (once, by who received it); 不满意 or worse opens a follow-up."""
    return 201, rating_out(actions.rate_service(request.auth, service_id, **payload.dict()))


@router.get("/follow-ups", response=list[FollowUpOut])
def follow_ups(request: HttpRequest, state: Optional[str] = None):
    return [follow_out(f) for f in queries.follow_ups_for(request.auth, state=state)[:200]]


@router.post("/follow-ups/{follow_up_id}/answer", response={200: FollowUpOut, **ERRORS})
def answer(request: HttpRequest, follow_up_id: int, payload: AnswerIn):
    """答复差评: verified / rectified / explained, with the answer's text."""
    return follow_out(actions.answer_follow_up(request.auth, follow_up_id, **payload.dict()))


@router.post("/follow-ups/{follow_up_id}/rating", response={200: FollowUpOut, **ERRORS})
def rate_answer(request: HttpRequest, follow_up_id: int, payload: FollowUpRatingIn):
    return follow_out(actions.rate_follow_up(request.auth, follow_up_id, **payload.dict()))


@router.post("/projects/{project_id}/return-visits", response={201: VisitOut, **ERRORS})
def return_visit(request: HttpRequest, project_id: int, payload: VisitIn):
    """记录回访 (supervisor): 0-100 about the project's steward."""
    v = actions.record_return_visit(request.auth, project_id, **payload.dict())
    return 201, VisitOut(id=v.pk, project_id=v.project_id, steward_id=v.steward_id, score=v.score,
                         visited_on=v.visited_on)


@router.get("/projects/{project_id}/comments", response=list[CommentOut], auth=None)
def comments(request: HttpRequest, project_id: int):
    """Published comments (the area's supervisor also sees those awaiting moderation)."""
    user = request.user if request.user.is_authenticated else None
    return [comment_out(c) for c in queries.comments(user, project_id)[:200]]


@router.post("/projects/{project_id}/comments", response={201: CommentOut, **ERRORS}, auth=None)
def post_comment(request: HttpRequest, project_id: int, payload: CommentIn):
    """社会评价: anyone may comment; it counts once published by a moderator."""
    throttle.count(request, "comments")
    user = request.user if request.user.is_authenticated else None
    return 201, comment_out(actions.post_public_comment(user, project_id, **payload.dict()))


@router.post("/comments/{comment_id}/moderation", response={200: CommentOut, **ERRORS})
def moderate(request: HttpRequest, comment_id: int, payload: ModerationIn):
    return comment_out(actions.moderate_comment(request.auth, comment_id, **payload.dict()))


def _ranking(request: HttpRequest, month: Optional[str]) -> tuple[int, int, list]:
    if not queries.may_see_stars(request.auth):
        raise Forbidden("您无权查看管家星级。", "You may not see the stewards' stars.")
    year, month_ = queries.parse_month(month)
    return year, month_, scoring.month(year, month_)


@router.get("/stars", response={200: list[StarOut], **ERRORS})
def stars(request: HttpRequest, month: Optional[str] = None):
    """管家月度星级: computed from the data of the month (YYYY-MM, default the previous month)."""
    _, _, rows = _ranking(request, month)
    return [StarOut(steward_id=r.steward.pk, steward=str(r.steward), visits=r.shown("visits"),
                    ratings=r.shown("ratings"), public=r.shown("public"), score=r.score, stars=r.stars,
                    counts={k: len(v) for k, v in r.items.items()}) for r in rows]


@router.get("/stars.xlsx", response={200: None, **ERRORS})
def stars_xlsx(request: HttpRequest, month: Optional[str] = None):
    year, month_, rows = _ranking(request, month)
    response = HttpResponse(scoring.xlsx(year, month_, rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="steward-stars-{year}-{month_:02d}.xlsx"'
    return response
