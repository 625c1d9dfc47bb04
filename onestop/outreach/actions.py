"""The write side of 帮办代办: raise, accept, act, authorise, file on the requester's behalf, finish, rate.

One function per thing a person does; each checks who may do it (404 for what the caller does not see,
403 for what it sees but may not do), validates (400 naming the field), writes in one transaction with
its audit event, and writes nothing when a check fails. Every request runs on the legal clock from the
moment it is raised; the limit is the setting `ONESTOP_HELP_REQUEST_DAYS` (working days, default 5).
Commissioners' visits and demands are in `commissioner_actions`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.catalog.models import Matter
from onestop.enterprises.models import Enterprise
from onestop.errors import Conflict, Forbidden, NotFound, field_error
from onestop.org.access import ORGANISATION_ROLES, has_role, is_admin, is_logged_in, require
from onestop.org.models import Account, Place, Role
from onestop.outreach import access, routing
from onestop.outreach.models import (
    OPEN_HELP_STATES, AuthorisationKind, HelpChannel, HelpRequest, HelpState, HelpStep, StepKind,
)
from onestop.worktime import actions as clock

DEFAULT_DAYS = 5
MAX_TEXT = 2000
STAFF_RAISERS = frozenset({Role.HELP_AGENT, Role.GRID_WORKER, Role.WINDOW_CLERK, Role.ADMINISTRATOR})
_STATE_ZH = {"raised": "待受理", "accepted": "办理中", "done": "已办结", "closed": "已关闭"}


def limit_days() -> int:
    """Working days a help request has: setting `ONESTOP_HELP_REQUEST_DAYS` (default 5)."""
    return int(getattr(settings, "ONESTOP_HELP_REQUEST_DAYS", DEFAULT_DAYS))


def text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise field_error(field, "此项必填。", "This field is required.", code="required")
    if len(value) > limit:
        raise field_error(field, f"不得超过 {limit} 字。", f"At most {limit} characters.")
    return value


def conflict(request: HelpRequest, zh: str, en: str) -> Conflict:
    s = request.state
    return Conflict(f"{zh}（当前状态：{_STATE_ZH.get(s, s)}）", f"{en} (the request is {s}).", state=s)


def _locked(actor: Any, pk: int) -> HelpRequest:
    """The request, locked, if the caller sees it (404 otherwise)."""
    found = access.visible_requests(actor).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("help request", "帮办请求")
    return found


def _touch(req: HelpRequest, at: datetime, fields: list[str]) -> None:
    req.updated_at = at
    req.save(update_fields=[*fields, "updated_at"])


# --- raising ------------------------------------------------------------------------------------------


def _matter(matter_id: Any) -> Matter:
    matter = Matter.objects.filter(pk=matter_id, active=True).select_related("department").first() \
        if isinstance(matter_id, int) and not isinstance(matter_id, bool) else None
    if matter is None:
        raise field_error("matter_id", "事项不存在或已停用。", "No such matter (or it is no longer active).",
                          code="unknown")
    return matter


def _place(place_id: Any) -> Place:
    place = Place.objects.filter(pk=place_id).first() \
        if isinstance(place_id, int) and not isinstance(place_id, bool) else None
    if place is None:
        raise field_error("place_id", "地点不存在。", "No such place.", code="unknown")
    return place


def _requester(actor: Account, account_id: Any, enterprise_id: Any, contact_name: str) -> tuple[Any, Any]:
    """(requester account, requester enterprise): yourself, or, for staff, whom you raise it for."""
    if actor.role == Role.RESIDENT:
        return actor, None
    if actor.role in ORGANISATION_ROLES:
        if enterprise_id not in (None, actor.organisation_id):
            raise Forbidden("只能以本单位名义提出请求。", "You may raise requests only for your own organisation.")
        return actor, actor.organisation
    if actor.role not in STAFF_RAISERS and not is_admin(actor):
        raise Forbidden("您不能提出帮办请求。", "You may not raise help requests.")
    account = enterprise = None
    if account_id is not None:
        account = Account.objects.filter(pk=account_id, role__in=(Role.RESIDENT, *ORGANISATION_ROLES)).first()
        if account is None:
            raise field_error("requester_account_id", "请求人账号不存在。", "No such requester account.", code="unknown")
    if enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
        if enterprise is None:
            raise field_error("requester_enterprise_id", "企业不存在。", "No such enterprise.", code="unknown")
    if account is None and enterprise is None and not contact_name:
        raise field_error("contact_name", "请填写请求人（账号、企业或姓名）。",
                          "Name the requester: an account, an enterprise or a contact name.", code="required")
    return account, enterprise


def raise_request(
    actor: Account, *, matter_id: int, place_id: int, description: str, channel: str | None = None,
    requester_account_id: int | None = None, requester_enterprise_id: int | None = None,
    contact_name: str = "", contact_phone: str = "", at: datetime | None = None,
) -> HelpRequest:
    """提出帮办请求: it lands with the nearest agent by place and its clock starts."""
    if not is_logged_in(actor):
        raise Forbidden("请先登录。", "Please log in first.")
    matter, place = _matter(matter_id), _place(place_id)
    description = text(description, "description", required=True)
    contact_name, contact_phone = text(contact_name, "contact_name", limit=64), text(contact_phone, "contact_phone", limit=32)
    staff = actor.role in STAFF_RAISERS or is_admin(actor)
    channel = channel or (HelpChannel.IN_PERSON if staff else HelpChannel.PORTAL)
    if channel not in HelpChannel.values:
        raise field_error("channel", "渠道不在列表中。", f"Must be one of {', '.join(HelpChannel.values)}.")
    account, enterprise = _requester(actor, requester_account_id, requester_enterprise_id, contact_name)
    if access.is_agent(actor) and not access.covers(actor, place):
        raise Forbidden("该地点不在您的服务范围内。", "The place is outside your area.")
    agent = routing.nearest_agent(place)
    if agent is None:
        raise field_error("place_id", "该地点没有帮办代办员。", "No help agent serves this place.", code="unserved")
    at = at or timezone.now()
    with transaction.atomic():
        req = HelpRequest.objects.create(
            requester_account=account, requester_enterprise=enterprise, contact_name=contact_name,
            contact_phone=contact_phone, matter=matter, place=place, channel=channel, description=description,
            agent=agent, raised_by=actor, raised_at=at, updated_at=at,
        )
        record(req, "outreach.request_raised", actor, after=snapshot(req))
        days = limit_days()
        clock.start_clock(req, actor, limit_days=days, legal_limit_days=days, at=at)
    return req


# --- the agent's work ---------------------------------------------------------------------------------


def accept_request(actor: Account, pk: int, *, at: datetime | None = None) -> HelpRequest:
    """受理: the assigned agent, or another agent whose area covers the place (taking it over)."""
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(actor, pk)
        require(is_admin(actor) or req.agent_id == actor.pk or access.covers(actor, req.place),
                "只有本区域的帮办代办员可以受理。", "Only an agent of this area may accept the request.")
        require(is_admin(actor) or access.is_agent(actor), "只有帮办代办员可以受理。", "Only agents accept requests.")
        if req.state != HelpState.RAISED:
            raise conflict(req, "该请求已受理或已结束", "The request is not awaiting acceptance")
        before = snapshot(req, ["state", "agent"])
        req.state, req.accepted_at = HelpState.ACCEPTED, at
        if access.is_agent(actor):
            req.agent = actor
        _touch(req, at, ["state", "accepted_at", "agent"])
        record(req, "outreach.request_accepted", actor, before=before, after=snapshot(req, ["state", "agent"]))
    return req


def _working(actor: Account, pk: int) -> HelpRequest:
    req = _locked(actor, pk)
    require(access.may_handle(actor, req), "只有承办的帮办代办员可以办理。", "Only the request's agent may do this.")
    if req.state != HelpState.ACCEPTED:
        raise conflict(req, "请先受理该请求", "The request is not in progress")
    return req


def record_step(actor: Account, pk: int, *, kind: str, note: str, at: datetime | None = None) -> HelpStep:
    """代办记录: an errand, a call or a visit the agent made for the request."""
    if kind not in StepKind.values or kind == StepKind.FILED:
        raise field_error("kind", "记录类型无效。", "Must be errand, call, visit or other.")
    note = text(note, "note", required=True)
    at = at or timezone.now()
    with transaction.atomic():
        req = _working(actor, pk)
        step = HelpStep.objects.create(request=req, kind=kind, note=note, actor=actor, at=at)
        _touch(req, at, [])
        record(req, "outreach.step_recorded", actor, after=snapshot(step))
    return step


def authorise(actor: Account, pk: int, *, how: str | None = None, reference: str = "",
              at: datetime | None = None) -> HelpRequest:
    """授权代办: the requester consents online, or the agent records the signed form or the recorded call."""
    reference = text(reference, "reference", limit=128)
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(actor, pk)
        if access.is_requester(actor, req):
            how = AuthorisationKind.PORTAL
        else:
            require(access.may_handle(actor, req), "只有请求人或承办人可以登记授权。",
                    "Only the requester or the request's agent may record an authorisation.")
            if how not in (AuthorisationKind.SIGNED_FORM, AuthorisationKind.RECORDED_CALL):
                raise field_error("how", "请选择授权方式（授权委托书或电话录音）。", "Must be signed_form or recorded_call.")
            if not reference:
                raise field_error("reference", "请填写授权委托书编号或录音编号。",
                                  "Give the number of the signed form or of the recording.", code="required")
        if req.state not in OPEN_HELP_STATES:
            raise conflict(req, "该请求已结束", "The request is finished")
        req.authorised_at, req.authorisation, req.authorisation_ref = at, how, reference
        _touch(req, at, ["authorised_at", "authorisation", "authorisation_ref"])
        record(req, "outreach.authorised", actor, after=snapshot(req, ["authorised_at", "authorisation",
                                                                        "authorisation_ref"]))
    return req


def file_on_behalf(actor: Account, pk: int, *, form_data: dict | None = None, provided: list[int] | tuple = (),
                   at: datetime | None = None) -> HelpRequest:
    """代为申报: the agent files the application for the requester (channel 村代办), only with consent."""
    from onestop.approvals import actions as approvals
    from onestop.approvals.models import Channel

    at = at or timezone.now()
    with transaction.atomic():
        req = _working(actor, pk)
        if not req.is_authorised:
            raise Forbidden("请求人尚未授权代办，不能代为申报。",
                            "The requester has not authorised anyone to apply on their behalf.",
                            code="not_authorised", fields={"authorisation": "missing"})
        if req.application_id:
            raise conflict(req, "已代为申报", "An application has been filed for this request already")
        require(has_role(actor, *approvals.APPLYING_ROLES), "网格员不能直接申报，请转村帮办代办员。",
                "Grid workers cannot file applications; hand the request to the village agent.")
        centre = routing.nearest_centre(req.place, village_level=req.village_level)
        app = approvals.submit_application(
            actor, matter_id=req.matter_id, applicant_id=req.requester_enterprise_id, channel=Channel.VILLAGE_AGENT,
            applicant_account_id=req.requester_account_id, form_data=form_data or {}, provided=provided,
            centre_id=centre.pk if centre else None, at=at)
        req.application = app
        HelpStep.objects.create(request=req, kind=StepKind.FILED, note=f"{app.number} {app.title}", actor=actor, at=at)
        _touch(req, at, ["application"])
        record(req, "outreach.filed_on_behalf", actor, after={"application": app.pk, "channel": app.channel,
                                                               "centre": getattr(centre, "pk", None)})
    return req


def complete_request(actor: Account, pk: int, *, result: str, at: datetime | None = None) -> HelpRequest:
    """办结: the errand is done (or the application filed); the clock stops and the service awaits a rating."""
    from onestop.feedback.actions import register_service
    from onestop.feedback.models import ServiceKind

    result = text(result, "result", required=True)
    at = at or timezone.now()
    with transaction.atomic():
        req = _working(actor, pk)
        req.state, req.result, req.finished_at = HelpState.DONE, result, at
        _touch(req, at, ["state", "result", "finished_at"])
        record(req, "outreach.request_done", actor, before={"state": HelpState.ACCEPTED}, after={"state": req.state,
               "result": result})
        clock.stop_clock(req, actor, note=result[:200], at=at)
        if req.requester_enterprise_id or req.requester_account_id:
            register_service(ServiceKind.HELP_REQUEST, req.pk, f"{req.number} {req.matter.name}",
                             recipient_organisation=req.requester_enterprise, recipient_account=req.requester_account,
                             rendered_at=at, actor=actor)
    return req


def close_request(actor: Account, pk: int, *, reason: str, at: datetime | None = None) -> HelpRequest:
    """关闭 without completion (撤回、重复、无法代办): the agent, the requester (withdrawal) or a supervisor."""
    reason = text(reason, "reason", required=True)
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(actor, pk)
        require(access.may_handle(actor, req) or access.is_requester(actor, req) or access.supervises(actor, req.place),
                "您不能关闭该请求。", "You may not close this request.")
        if req.state not in OPEN_HELP_STATES:
            raise conflict(req, "该请求已结束", "The request is finished")
        before = req.state
        req.state, req.result, req.finished_at = HelpState.CLOSED, reason, at
        _touch(req, at, ["state", "result", "finished_at"])
        record(req, "outreach.request_closed", actor, before={"state": before}, after={"state": req.state},
               reason=reason)
        clock.stop_clock(req, actor, note=reason[:200], at=at)
    return req


def reassign_request(actor: Account, pk: int, *, agent_id: int, at: datetime | None = None) -> HelpRequest:
    """改派: a supervisor of the area hands an open request to another agent who covers its place."""
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(actor, pk)
        require(access.supervises(actor, req.place), "只有本区域督办人员可以改派。", "Only the area's supervisor may reassign.")
        if req.state not in OPEN_HELP_STATES:
            raise conflict(req, "该请求已结束", "The request is finished")
        agent = Account.objects.filter(pk=agent_id, is_active=True).first()
        if agent is None or not access.covers(agent, req.place):
            raise field_error("agent_id", "该人员不是此地的帮办代办员。", "Not an agent whose area covers the place.")
        before = {"agent": req.agent_id}
        req.agent = agent
        _touch(req, at, ["agent"])
        record(req, "outreach.request_reassigned", actor, before=before, after={"agent": agent.pk})
    return req


def rate_request(actor: Account, pk: int, *, level: str, comment: str = "", at: datetime | None = None) -> HelpRequest:
    """评价: the requester rates the finished request (the platform's 好差评, once)."""
    from onestop.feedback.actions import rate_service
    from onestop.feedback.models import Service, ServiceKind

    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(actor, pk)
        if not access.is_requester(actor, req):
            require(False, "只有请求人可以评价。", "Only the requester may rate the request.")
        if req.state != HelpState.DONE:
            raise conflict(req, "请求办结后才能评价", "Only a finished request can be rated")
        service = Service.objects.filter(kind=ServiceKind.HELP_REQUEST, ref_id=req.pk).first()
        if service is None:
            raise conflict(req, "该请求没有可评价的服务", "The request has no service to rate")
        rating = rate_service(actor, service.pk, level=level, comment=comment, at=at)
        req.rating_level, req.rating_score, req.rated_at = rating.level, rating.score, at
        _touch(req, at, ["rating_level", "rating_score", "rated_at"])
        record(req, "outreach.request_rated", actor, after={"level": rating.level, "score": rating.score})
    return req
