"""The approvals API: the whole life of an application, thin over `actions`/`followups` and `queries`.

POST creating an application honours `Idempotency-Key` (the middleware of `onestop.web.idempotency`).
"""

from typing import Optional

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from onestop.org.schemas import ErrorOut
from onestop.paging import Rows

from . import actions, followups, queries
from .models import AppState
from .schemas import (
    AcceptIn, ApplicationDetail, ApplicationIn, ApplicationOut, BrokenIn, ChecklistIn, CoachingIn, CoachingOut,
    EventOut, HandoverIn, IssueIn, MaterialOut, NoteIn, OpinionIn, ReapplyIn, RejectIn, SupplementIn, TaskOut,
)

router = Router(tags=["approvals"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}

def _detail(request: HttpRequest, app_id: int) -> dict:
    return queries.application_dict(queries.application_for(request.auth, app_id), detail=True)

def _task(request: HttpRequest, task_id: int) -> dict:
    return queries.task_dict(queries.task_for(request.auth, task_id))

@router.post("/applications", response={201: ApplicationDetail, **ERRORS})
def submit(request: HttpRequest, payload: ApplicationIn):
    """申报 an application for a matter or a bundle stage (online, at the window, by a village agent)."""
    app = actions.submit_application(request.auth, **payload.dict())
    return 201, _detail(request, app.pk)

@router.get("/applications", response=list[ApplicationOut])
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, state: Optional[AppState] = None, q: Optional[str] = None):
    """Applications the caller sees, newest first; `q` finds words in the number, title, applicant or project."""
    return Rows(queries.application_list(request.auth, state, q), queries.application_dict)

@router.get("/applications/{app_id}", response={200: ApplicationDetail, **ERRORS})
def get_application(request: HttpRequest, app_id: int):
    """One application with every department's progress, its materials and results."""
    return _detail(request, app_id)

@router.get("/applications/{app_id}/timeline", response={200: list[EventOut], **ERRORS})
def timeline(request: HttpRequest, app_id: int):
    return [queries.event_dict(e) for e in queries.timeline(queries.application_for(request.auth, app_id))]

@router.post("/applications/{app_id}/notice", response={200: ApplicationDetail, **ERRORS})
def notify_missing(request: HttpRequest, app_id: int, payload: ChecklistIn):
    """一次性告知: one notice of every missing material."""
    actions.notify_missing(request.auth, app_id, provided=payload.provided, note=payload.note)
    return _detail(request, app_id)

@router.post("/applications/{app_id}/resubmit", response={200: ApplicationDetail, **ERRORS})
def resubmit(request: HttpRequest, app_id: int, payload: ChecklistIn):
    actions.resubmit(request.auth, app_id, provided=payload.provided)
    return _detail(request, app_id)

@router.post("/applications/{app_id}/accept", response={200: ApplicationDetail, **ERRORS})
def accept(request: HttpRequest, app_id: int, payload: AcceptIn):
    """受理 / 容缺受理: the tasks open in every department's queue and the clocks start."""
    actions.accept_application(request.auth, app_id, provided=payload.provided, deferred=payload.deferred,
                               commitment=payload.commitment, seal_id=payload.seal_id)
    return _detail(request, app_id)

@router.post("/applications/{app_id}/issue", response={200: ApplicationDetail, **ERRORS})
def issue(request: HttpRequest, app_id: int, payload: IssueIn):
    """一窗统一出件."""
    actions.issue_results(request.auth, app_id, method=payload.method, seal_id=payload.seal_id)
    return _detail(request, app_id)

@router.post("/applications/{app_id}/handover", response={200: ApplicationDetail, **ERRORS})
def hand_over(request: HttpRequest, app_id: int, payload: HandoverIn):
    """跨域通办: hand the application to another service centre."""
    followups.hand_over(request.auth, app_id, to_centre_id=payload.to_centre_id, note=payload.note)
    return _detail(request, app_id)

@router.post("/applications/{app_id}/reapply", response={201: ApplicationDetail, **ERRORS})
def reapply(request: HttpRequest, app_id: int, payload: ReapplyIn):
    app = actions.reapply(request.auth, app_id, form_data=payload.form_data, provided=payload.provided)
    return 201, _detail(request, app.pk)

@router.post("/applications/{app_id}/formalize", response={200: ApplicationDetail, **ERRORS})
def formalize(request: HttpRequest, app_id: int):
    """模拟审批转正式 once the land certificate is recorded."""
    followups.formalize(request.auth, app_id)
    return _detail(request, app_id)

@router.post("/materials/{row_id}/supply", response={200: MaterialOut, **ERRORS})
def supply_material(request: HttpRequest, row_id: int):
    """补交容缺材料."""
    return queries.material_dict(followups.supply_material(request.auth, row_id))

@router.post("/materials/{row_id}/broken", response={200: MaterialOut, **ERRORS})
def broken_commitment(request: HttpRequest, row_id: int, payload: BrokenIn):
    return queries.material_dict(followups.record_broken_commitment(request.auth, row_id, reason=payload.reason,
                                                                    stop=payload.stop))

@router.get("/queue", response=list[TaskOut])
@paginate(LimitOffsetPagination)
def queue(request: HttpRequest):
    """The caller's department's open tasks, most urgent first."""
    return Rows(queries.department_queue(request.auth), queries.task_dict)

@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def get_task(request: HttpRequest, task_id: int):
    return _task(request, task_id)

@router.post("/tasks/{task_id}/claim", response={200: TaskOut, **ERRORS})
def claim(request: HttpRequest, task_id: int):
    actions.claim_task(request.auth, task_id)
    return _task(request, task_id)

@router.post("/tasks/{task_id}/approve", response={200: TaskOut, **ERRORS})
def approve(request: HttpRequest, task_id: int, payload: OpinionIn):
    actions.approve_task(request.auth, task_id, opinion=payload.opinion)
    return _task(request, task_id)

@router.post("/tasks/{task_id}/reject", response={200: TaskOut, **ERRORS})
def reject(request: HttpRequest, task_id: int, payload: RejectIn):
    actions.reject_task(request.auth, task_id, reasons=payload.reasons)
    return _task(request, task_id)

@router.post("/tasks/{task_id}/supplement", response={200: TaskOut, **ERRORS})
def request_supplement(request: HttpRequest, task_id: int, payload: SupplementIn):
    """补正: pauses the task's clock."""
    actions.request_supplement(request.auth, task_id, what=payload.what, days=payload.days)
    return _task(request, task_id)

@router.post("/tasks/{task_id}/supply", response={200: TaskOut, **ERRORS})
def supply_supplement(request: HttpRequest, task_id: int, payload: NoteIn):
    actions.supply_supplement(request.auth, task_id, note=payload.note)
    return _task(request, task_id)

@router.post("/projects/{project_id}/coaching", response={201: CoachingOut, **ERRORS})
def record_coaching(request: HttpRequest, project_id: int, payload: CoachingIn):
    """批前辅导."""
    rec = followups.record_coaching(request.auth, project_id, guidance=payload.guidance, matter_id=payload.matter_id)
    return 201, _coaching(rec)

@router.get("/projects/{project_id}/coaching", response={200: list[CoachingOut], **ERRORS})
def coaching(request: HttpRequest, project_id: int):
    return [_coaching(r) for r in queries.coaching_of(request.auth, project_id)]

def _coaching(rec) -> dict:
    return {"id": rec.pk, "project_id": rec.project_id, "coach": rec.coach.display_name or rec.coach.username,
            "matter_id": rec.matter_id, "at": rec.at, "guidance": rec.guidance}
