"""The stewards API (/api/stewards): assignment, route, liaison group, battle plan, division of labour.

Thin handlers over `queries` and `actions`; 404 for a project the caller does not see, 403 for what it
sees but may not do, 400 naming the field, 409 with the state.
"""

import dataclasses
from datetime import date
from typing import Optional

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, UploadedFile

from onestop.lights import actions as inbox_actions, queries as inbox_queries
from onestop.org.schemas import ErrorOut
from onestop.stewards import access, actions, attachments, gantt, plan_actions, queries, route
from onestop.stewards.schemas import (
    AssignIn, AssignmentOut, HomeProjectOut, MessageOut, MilestoneIn, MilestoneOut, NotificationOut, PersonOut,
    ProgressIn, RouteOut, StewardsOut, WorkItemIn, WorkItemOut, WorkItemPatch,
)
from onestop.worktime.clock import light

router = Router(tags=["stewards"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def message_out(m) -> MessageOut:
    return MessageOut(id=m.pk, author=PersonOut.of(m.author), body=m.body, created_at=m.created_at,
                      mentions=[PersonOut.of(a) for a in m.mentions.all()], attachment=m.attachment_name or None,
                      attachment_size=m.attachment_size,
                      read_by=[PersonOut(id=r.reader_id, name=str(r.reader)) for r in m.receipt_list])


def milestone_out(m, now) -> MilestoneOut:
    return MilestoneOut(id=m.pk, name=m.name, owner=PersonOut.of(m.owner), planned_start=m.planned_start,
                        department=m.department.name if m.department else None, planned_end=m.planned_end,
                        actual_start=m.actual_start, actual_end=m.actual_end, due_at=m.due_at,
                        depends_on=[d.pk for d in m.depends_on.all()], light=light(m, now))


def work_item_out(i) -> WorkItemOut:
    return WorkItemOut(id=i.pk, title=i.title, department=i.department.name if i.department else None,
                       owner=PersonOut.of(i.owner), deadline=i.deadline, state=i.state, note=i.note)


@router.get("/projects", response=list[HomeProjectOut])
def my_projects(request: HttpRequest):
    """The caller's projects (as lead or helper steward) with their lights and open work."""
    return [HomeProjectOut(id=r.project.pk, code=r.project.code, name=r.project.name, light=r.light,
                           open_items=r.open_items, unread=r.unread) for r in queries.steward_home(request.auth)["rows"]]


@router.get("/projects/{project_id}/stewards", response={200: StewardsOut, **ERRORS})
def stewards(request: HttpRequest, project_id: int):
    """The lead, the helpers and the assignment history (管家指派记录)."""
    data = queries.stewards_of(access.project_for(request.auth, project_id))
    return StewardsOut(lead=PersonOut.of(data["lead"]), helpers=[PersonOut.of(h) for h in data["helpers"]],
                       history=[AssignmentOut(steward=PersonOut.of(r.steward), role=r.role, since=r.since,
                                              until=r.until, reason=r.reason) for r in data["history"]])


@router.post("/projects/{project_id}/lead", response={200: StewardsOut, **ERRORS})
def assign_lead(request: HttpRequest, project_id: int, payload: AssignIn):
    """指派/更换牵头管家 (administrator, the area's supervisor)."""
    actions.assign_lead(request.auth, project_id, payload.steward_id, reason=payload.reason)
    return stewards(request, project_id)


@router.post("/projects/{project_id}/helpers", response={201: StewardsOut, **ERRORS})
def add_helper(request: HttpRequest, project_id: int, payload: AssignIn):
    """增加协办管家 (administrator, supervisor, the lead steward)."""
    actions.add_helper(request.auth, project_id, payload.steward_id, reason=payload.reason)
    return 201, stewards(request, project_id)


@router.delete("/projects/{project_id}/helpers/{steward_id}", response={200: StewardsOut, **ERRORS})
def remove_helper(request: HttpRequest, project_id: int, steward_id: int):
    actions.remove_helper(request.auth, project_id, steward_id)
    return stewards(request, project_id)


@router.get("/projects/{project_id}/route", response={200: RouteOut, **ERRORS})
def project_route(request: HttpRequest, project_id: int, start: Optional[date] = None):
    """办理路径: stages, matters, materials (容缺/承诺), limits and expected dates from `start` (today)."""
    r = route.build(access.project_for(request.auth, project_id), start)
    stages = [{**dataclasses.asdict(s), "matters": [
        {**dataclasses.asdict(m), "materials": [dataclasses.asdict(x) for x in m.materials]} for m in s.matters]}
        for s in r.stages]
    return RouteOut(project_id=project_id, bundle=r.bundle, start=r.start, expected_end=r.expected_end,
                    provisional=r.provisional, stages=stages, notes=r.notes)


@router.get("/projects/{project_id}/route.pdf", response={200: None, **ERRORS})
def project_route_pdf(request: HttpRequest, project_id: int, start: Optional[date] = None):
    """The route as a PDF to hand over on the first visit."""
    project = access.project_for(request.auth, project_id)
    response = HttpResponse(route.pdf(route.build(project, start)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="route-{project.code}.pdf"'
    return response


@router.get("/projects/{project_id}/messages", response={200: list[MessageOut], **ERRORS})
def messages(request: HttpRequest, project_id: int, after: Optional[int] = None):
    """The liaison group's messages (after an id); reading them records the caller's receipts."""
    actions.mark_read(request.auth, project_id)
    _, rows = queries.thread(request.auth, project_id, after)
    return [message_out(m) for m in rows]


@router.post("/projects/{project_id}/messages", response={201: MessageOut, **ERRORS})
def post_message(request: HttpRequest, project_id: int, body: Form[str] = "",
                 attachment: File[Optional[UploadedFile]] = None):
    """在联络群发言 (multipart: `body`, optional `attachment`); @username notifies that member."""
    name, data = attachments.read_upload(attachment) if attachment is not None else ("", None)
    message = actions.post_message(request.auth, project_id, body, attachment_name=name, attachment_data=data)
    _, rows = queries.thread(request.auth, project_id, message.pk - 1)
    return 201, message_out(next(m for m in rows if m.pk == message.pk))


@router.get("/messages/{message_id}/attachment", response={200: None, **ERRORS})
def attachment(request: HttpRequest, message_id: int):
    m = queries.attachment(request.auth, message_id)
    response = HttpResponse(bytes(m.attachment_data), content_type=m.attachment_type)
    response["Content-Disposition"] = f'attachment; filename="{m.attachment_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def notification_out(n) -> NotificationOut:
    return NotificationOut(id=n.pk, kind=n.kind, text=n.title, project_id=n.project_id, created_at=n.created_at,
                           read_at=n.read_at, link=n.link)


@router.get("/notifications", response=list[NotificationOut], deprecated=True)
def notifications(request: HttpRequest, unread: bool = False):
    """The caller's inbox (the platform's one inbox, as `/api/lights/notifications`), newest 100.

    Kept for clients of the stewards' former notices; the ids are the lights inbox's."""
    return [notification_out(n) for n in inbox_queries.inbox(request.auth, unread)[:100]]


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS}, deprecated=True)
def read_notification(request: HttpRequest, notification_id: int):
    """Mark one of one's notices read: the same as `/api/lights/notifications/{id}/read`."""
    return notification_out(inbox_actions.mark_read(request.auth, notification_id))


@router.get("/projects/{project_id}/milestones", response={200: list[MilestoneOut], **ERRORS})
def milestones(request: HttpRequest, project_id: int):
    """作战计划表: the milestones with their lights."""
    now = timezone.now()
    return [milestone_out(m, now) for m in queries.plan(request.auth, project_id)[1]]


@router.post("/projects/{project_id}/milestones", response={201: MilestoneOut, **ERRORS})
def add_milestone(request: HttpRequest, project_id: int, payload: MilestoneIn):
    m = plan_actions.add_milestone(request.auth, project_id, **payload.dict())
    return 201, milestone_out(m, timezone.now())


@router.post("/milestones/{milestone_id}/progress", response={200: MilestoneOut, **ERRORS})
def record_progress(request: HttpRequest, milestone_id: int, payload: ProgressIn):
    """登记实际进度: the actual end stops the milestone's clock."""
    m = plan_actions.record_progress(request.auth, milestone_id, **payload.dict())
    return milestone_out(m, timezone.now())


@router.get("/projects/{project_id}/gantt.svg", response={200: None, **ERRORS})
def gantt_svg(request: HttpRequest, project_id: int):
    """The battle plan drawn as SVG by the server."""
    _, rows = queries.plan(request.auth, project_id)
    now = timezone.now()
    return HttpResponse(gantt.svg(rows, timezone.localdate(now), now), content_type="image/svg+xml")


@router.get("/projects/{project_id}/work-items", response={200: list[WorkItemOut], **ERRORS})
def work_items(request: HttpRequest, project_id: int):
    """分工明细表."""
    return [work_item_out(i) for i in queries.work_items(request.auth, project_id)[1]]


@router.post("/projects/{project_id}/work-items", response={201: WorkItemOut, **ERRORS})
def add_work_item(request: HttpRequest, project_id: int, payload: WorkItemIn):
    return 201, work_item_out(plan_actions.add_work_item(request.auth, project_id, **payload.dict()))


@router.patch("/work-items/{item_id}", response={200: WorkItemOut, **ERRORS})
def update_work_item(request: HttpRequest, item_id: int, payload: WorkItemPatch):
    return work_item_out(plan_actions.update_work_item(request.auth, item_id, payload.dict(exclude_unset=True)))


@router.get("/projects/{project_id}/work-items.xlsx", response={200: None, **ERRORS})
def work_items_xlsx(request: HttpRequest, project_id: int):
    """The division-of-labour table as Excel."""
    project, rows = queries.work_items(request.auth, project_id)
    response = HttpResponse(queries.work_items_xlsx(project, rows, timezone.localdate()),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="division-{project.code}.xlsx"'
    return response
