"""The write side of 好差评: services to rate, ratings, follow-ups, return visits, public comments.

One function per thing a person does; each checks who may do it (404 for what the caller may not see, 403
for what it sees but may not do), validates (400 naming the field), writes in one transaction and appends
an audit event. Nothing is written when any check fails.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.enterprises.models import Enterprise, Project
from onestop.errors import Conflict, NotFound, field_error
from onestop.feedback.models import (
    BAD_LEVELS, SCORES, AnswerKind, Channel, FollowUp, FollowUpState, Level, Moderation, PublicComment,
    ReturnVisit, Sentiment, Service, ServiceKind,
)
from onestop.org import access as org_access
from onestop.org.models import Account, Role
from onestop.stewards import access as steward_access
from onestop.stewards.actions import lead_on
from onestop.worktime import actions as clock_actions

DEFAULT_FOLLOWUP_DAYS = 5
MAX_TEXT = 2000


def follow_up_days() -> int:
    """Working days a follow-up has to be answered: setting `FEEDBACK_FOLLOWUP_WORKING_DAYS` (default 5)."""
    return int(getattr(settings, "FEEDBACK_FOLLOWUP_WORKING_DAYS", DEFAULT_FOLLOWUP_DAYS))


def _text(value: str | None, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise field_error(field, "此项必填。", "This field is required.", code="required")
    if len(value) > MAX_TEXT:
        raise field_error(field, f"不得超过 {MAX_TEXT} 字。", f"At most {MAX_TEXT} characters.")
    return value


def _level(value: Any, field: str = "level") -> str:
    if value not in Level.values:
        raise field_error(field, "评价等级无效。", f"Must be one of {', '.join(Level.values)}.")
    return value


# --- services ---------------------------------------------------------------------------------------


def register_service(kind: str, ref_id: int, title: str, *, recipient_organisation: Enterprise | None = None,
                     recipient_account: Account | None = None, project: Project | None = None,
                     rendered_at: datetime | None = None, actor: Account | None = None) -> Service:
    """登记待评价的服务: called by the app that rendered it (an application issued, a request closed).

    Idempotent on (kind, ref_id); the steward is the project's lead at the time.
    """
    if kind not in ServiceKind.values:
        raise field_error("kind", "服务类型无效。", f"Must be one of {', '.join(ServiceKind.values)}.")
    if recipient_organisation is None and recipient_account is None:
        raise field_error("recipient", "须指明服务对象。", "Name who received the service.", code="required")
    at = rendered_at or timezone.now()
    with transaction.atomic():
        found = Service.objects.filter(kind=kind, ref_id=ref_id).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                service = Service.objects.create(
                    kind=kind, ref_id=ref_id, title=(title or "")[:200], recipient_organisation=recipient_organisation,
                    recipient_account=recipient_account, project=project, rendered_at=at,
                    steward_id=lead_on(project, at) if project is not None else None,
                )
        except IntegrityError:  # registered at the same moment by another worker
            return Service.objects.get(kind=kind, ref_id=ref_id)
        record(service, "feedback.service_registered", actor, after=snapshot(service))
    return service


def received_by(account: Account, service: Service) -> bool:
    """Whether `account` received the service: the person itself, or an account of the organisation."""
    if not org_access.is_logged_in(account):
        return False
    if service.recipient_account_id == account.pk:
        return True
    return (account.role in org_access.ORGANISATION_ROLES and account.organisation_id is not None
            and account.organisation_id == service.recipient_organisation_id)


def _sees(actor: Account, service: Service) -> bool:
    from onestop.feedback.queries import services_for

    return services_for(actor).filter(pk=service.pk).exists()


def _require_received(actor: Account, service: Service | None, what: tuple[str, str] = ("service", "服务")) -> None:
    """404 unless the caller sees the service; 403 unless it received it (only the recipient rates)."""
    if service is None or not _sees(actor, service):
        raise NotFound(*what)
    org_access.require(received_by(actor, service), "只有服务对象本人可以评价。", "Only who received the service may rate it.")


def rate_service(actor: Account, service_id: int, *, level: str, comment: str = "", channel: str = Channel.PORTAL,
                 at: datetime | None = None):
    """评价一次服务: once, by who received it; 不满意 or worse opens a follow-up on the legal clock."""
    from onestop.feedback.models import Rating

    level = _level(level)
    comment = _text(comment, "comment", required=level in BAD_LEVELS)
    if channel not in Channel.values:
        raise field_error("channel", "评价渠道无效。", f"Must be one of {', '.join(Channel.values)}.")
    at = at or timezone.now()
    with transaction.atomic():
        service = Service.objects.select_for_update().filter(pk=service_id).first()
        _require_received(actor, service)
        if Rating.objects.filter(service=service).exists():
            raise Conflict("该服务已评价，不能重复评价。", "This service has been rated already.", state="rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(service=service, rater=actor, level=level, score=SCORES[level],
                                               comment=comment, channel=channel, created_at=at)
        except IntegrityError:
            raise Conflict("该服务已评价，不能重复评价。", "This service has been rated already.", state="rated") from None
        record(service, "feedback.rated", actor, after={**snapshot(rating), "rating": rating.pk})
        if level in BAD_LEVELS:
            follow = FollowUp.objects.create(rating=rating)
            days = follow_up_days()
            clock_actions.start_clock(follow, actor, limit_days=days, legal_limit_days=days, at=at)
            record(service, "feedback.follow_up_opened", actor, after={"follow_up": follow.pk, "days": days})
    return rating


# --- follow-ups (差评整改) ------------------------------------------------------------------------------


def may_answer(actor: Account, service: Service) -> bool:
    """Administrator, the supervisor of the project's area, the project's stewards."""
    if org_access.is_admin(actor):
        return True
    project = service.project
    if project is None:
        return org_access.has_role(actor, Role.SUPERVISOR)
    if org_access.has_role(actor, Role.SUPERVISOR):
        return org_access.in_area(actor, project.place)
    return steward_access.is_steward_of(actor, project)


def _follow_up(fid: int) -> FollowUp:
    found = FollowUp.objects.select_for_update(of=("self",)).select_related("rating__service__project").filter(pk=fid).first()
    if found is None:
        raise NotFound("follow-up", "差评整改")
    return found


def answer_follow_up(actor: Account, follow_up_id: int, *, kind: str, answer: str,
                     at: datetime | None = None) -> FollowUp:
    """答复差评 (核实/整改/解释): closes the clock; refused without an answer."""
    if kind not in AnswerKind.values:
        raise field_error("kind", "请选择答复方式（核实、整改或解释）。", f"Must be one of {', '.join(AnswerKind.values)}.")
    answer = _text(answer, "answer", required=True)
    at = at or timezone.now()
    with transaction.atomic():
        follow = _follow_up(follow_up_id)
        service = follow.rating.service
        if not _sees(actor, service):
            raise NotFound("follow-up", "差评整改")
        org_access.require(may_answer(actor, service), "您不能答复该差评。", "You may not answer this follow-up.")
        if follow.state != FollowUpState.OPEN:
            raise Conflict("该差评已答复。", "This follow-up has been answered already.", state=follow.state)
        before = snapshot(follow, ["state", "answer_kind", "answer"])
        follow.state, follow.answer_kind, follow.answer = FollowUpState.ANSWERED, kind, answer
        follow.answered_by, follow.answered_at = actor, at
        follow.save(update_fields=["state", "answer_kind", "answer", "answered_by", "answered_at"])
        clock_actions.stop_clock(follow, actor, note=kind, at=max(at, follow.started_at))
        record(service, "feedback.follow_up_answered", actor, before=before,
               after={**snapshot(follow, ["state", "answer_kind", "answer"]), "follow_up": follow.pk})
    return follow


def rate_follow_up(actor: Account, follow_up_id: int, *, level: str, comment: str = "",
                   at: datetime | None = None) -> FollowUp:
    """评价整改答复: the enterprise rates the answer, once, after it is answered."""
    level = _level(level)
    comment = _text(comment, "comment")
    at = at or timezone.now()
    with transaction.atomic():
        follow = _follow_up(follow_up_id)
        service = follow.rating.service
        _require_received(actor, service, ("follow-up", "差评整改"))
        if follow.state != FollowUpState.ANSWERED:
            raise Conflict("该差评尚未答复或已评价。", "The follow-up is not awaiting your rating.", state=follow.state)
        follow.state, follow.level, follow.comment, follow.rated_at = FollowUpState.CLOSED, level, comment, at
        follow.save(update_fields=["state", "level", "comment", "rated_at"])
        record(service, "feedback.follow_up_rated", actor,
               after={"follow_up": follow.pk, "level": level, "comment": comment})
    return follow


# --- return visits (回访) and public comments ---------------------------------------------------------


def _supervises(actor: Account, project: Project) -> bool:
    return org_access.is_admin(actor) or (org_access.has_role(actor, Role.SUPERVISOR)
                                          and org_access.in_area(actor, project.place))


def record_return_visit(actor: Account, project_id: int, *, score: int, visited_on: date, note: str = "",
                        steward_id: int | None = None) -> ReturnVisit:
    """记录回访: a supervisor records the enterprise's view of the steward, 0-100."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise field_error("score", "分数须为 0 至 100 的整数。", "Must be a whole number from 0 to 100.")
    if not isinstance(visited_on, date) or visited_on > timezone.localdate():
        raise field_error("visited_on", "回访日期无效或晚于今天。", "Must be a date not in the future.")
    note = _text(note, "note")
    with transaction.atomic():
        project = steward_access.project_for(actor, project_id)
        org_access.require(_supervises(actor, project), "只有督办人员可以记录回访。",
                           "Only supervisors may record return visits.")
        if steward_id is None:
            from datetime import time

            from onestop.worktime.clock import SHANGHAI

            steward_id = lead_on(project, datetime.combine(visited_on, time(23, 59), tzinfo=SHANGHAI))
        steward = Account.objects.filter(pk=steward_id, role=Role.STEWARD).first() if steward_id else None
        if steward is None:
            raise field_error("steward_id", "该项目没有项目管家。", "The project has no steward to rate.")
        visit = ReturnVisit.objects.create(project=project, steward=steward, visited_by=actor, visited_on=visited_on,
                                           score=score, note=note)
        record(project, "feedback.return_visit", actor, after={**snapshot(visit), "return_visit": visit.pk})
    return visit


def post_public_comment(actor: Account | None, project_id: int, *, sentiment: str, body: str,
                        author_name: str = "", at: datetime | None = None) -> PublicComment:
    """社会评价: anyone may comment on a project; it counts once a moderator approves it."""
    if sentiment not in Sentiment.values:
        raise field_error("sentiment", "请选择好评、中评或差评。", f"Must be one of {', '.join(Sentiment.values)}.")
    body = _text(body, "body", required=True)
    author_name = (author_name or "").strip()[:64]
    at = at or timezone.now()
    with transaction.atomic():
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise NotFound("project", "项目")
        author = actor if org_access.is_logged_in(actor) else None
        comment = PublicComment.objects.create(project=project, steward_id=lead_on(project, at), author=author,
                                               author_name=author_name, sentiment=sentiment, body=body, created_at=at)
        record(project, "feedback.public_comment", author, after={"comment": comment.pk, "sentiment": sentiment})
    return comment


def moderate_comment(actor: Account, comment_id: int, *, approve: bool, sentiment: str | None = None,
                     note: str = "") -> PublicComment:
    """审核社会评价: publish (optionally correcting the sentiment) or reject, once."""
    if sentiment is not None and sentiment not in Sentiment.values:
        raise field_error("sentiment", "请选择好评、中评或差评。", f"Must be one of {', '.join(Sentiment.values)}.")
    with transaction.atomic():
        comment = PublicComment.objects.select_for_update(of=("self",)).select_related("project__place").filter(pk=comment_id).first()
        if comment is None or not steward_access.sees(actor, comment.project):
            raise NotFound("comment", "评价")
        org_access.require(_supervises(actor, comment.project), "只有督办人员可以审核评价。",
                           "Only supervisors may moderate comments.")
        if comment.state != Moderation.PENDING:
            raise Conflict("该评价已审核。", "This comment has been moderated already.", state=comment.state)
        before = snapshot(comment, ["state", "sentiment"])
        comment.state = Moderation.APPROVED if approve else Moderation.REJECTED
        comment.sentiment = sentiment or comment.sentiment
        comment.moderated_by, comment.moderated_at = actor, timezone.now()
        comment.moderation_note = (note or "").strip()[:255]
        comment.save()
        record(comment.project, "feedback.comment_moderated", actor, before=before,
               after=snapshot(comment, ["state", "sentiment"]), reason=comment.moderation_note)
    return comment
