"""The lights API: counts, the board, late lists, analytics, the ledger (挂账销号) and the inbox.

Board endpoints take the filters town, centre, department, date_from, date_to; any other query parameter
is a 400 naming it (`queries.parse_filters`).
"""

from typing import Any, Optional

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from onestop.org.schemas import ErrorOut
from onestop.paging import Rows

from . import actions, analytics, queries
from .export import ledger_xlsx
from .schemas import (
    AnswerIn, BoardOut, CloseIn, DepartmentCounts, EntryOut, LateOut, LightOut, NotificationOut, TaskRow, UnreadOut,
)
from .svg import flow_svg

router = Router(tags=["lights"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _filters(request: HttpRequest, *extra: str) -> queries.Filters:
    return queries.parse_filters(request.GET, allowed_extra=extra)


@router.get("/counts", response={200: list[DepartmentCounts], **ERRORS})
def counts(request: HttpRequest, town: Optional[str] = None, centre: Optional[str] = None,
           department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """Green, yellow, red and paused open tasks per department."""
    return queries.counts_by_department(request.auth, _filters(request))


@router.get("/board/{bundle_id}", response={200: BoardOut, **ERRORS})
def board(request: HttpRequest, bundle_id: int, town: Optional[str] = None, centre: Optional[str] = None,
          department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """挂图督办: the bundle's stages and matters with every node's light counts."""
    return queries.board(request.auth, bundle_id, _filters(request))


@router.get("/board/{bundle_id}/flow.svg", response={200: None, **ERRORS})
def board_svg(request: HttpRequest, bundle_id: int, town: Optional[str] = None, centre: Optional[str] = None,
              department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """The board's flow chart as SVG; each node links to its tasks."""
    f = _filters(request)
    data = queries.board(request.auth, bundle_id, f)
    svg = flow_svg(data, f"/lights/board/{bundle_id}/nodes/{{}}", f.query_string())
    return HttpResponse(svg, content_type="image/svg+xml")


@router.get("/board/{bundle_id}/nodes/{matter_id}/tasks", response={200: list[TaskRow], **ERRORS})
def node_tasks(request: HttpRequest, bundle_id: int, matter_id: int, light: Optional[str] = None,
               town: Optional[str] = None, centre: Optional[str] = None, department: Optional[str] = None,
               date_from: Optional[str] = None, date_to: Optional[str] = None):
    """The tasks behind one node (a click on the board), optionally of one light."""
    f = _filters(request, "light")
    if light not in (None, "", "green", "yellow", "red", "paused"):
        raise queries._bad({"light": "one of green, yellow, red, paused"})
    now = queries.timezone.now()
    return [queries.task_row(t, now) for t in queries.node_tasks(request.auth, bundle_id, matter_id, f, light or None, now)]


@router.get("/late", response={200: LateOut, **ERRORS})
def late(request: HttpRequest, town: Optional[str] = None, centre: Optional[str] = None,
         department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """What is late, by department and by person, and the first page of the late list."""
    f, now = _filters(request), queries.timezone.now()
    return {"by_department": queries.late_by_department(request.auth, f, now),
            "by_person": queries.late_by_person(request.auth, f, now),
            "first_page": [queries.task_row(t, now) for t in queries.late_page(request.auth, f, 1, now)]}


@router.get("/late/tasks", response={200: list[TaskRow], **ERRORS})
def late_tasks(request: HttpRequest, page: int = 1, town: Optional[str] = None, centre: Optional[str] = None,
               department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """The late list (red open tasks), longest overdue first, 50 a page."""
    f, now = _filters(request, "page"), queries.timezone.now()
    return [queries.task_row(t, now) for t in queries.late_page(request.auth, f, page, now)]


@router.get("/analytics/{bundle_id}", response={200: dict[str, Any], **ERRORS})
def where_time_goes(request: HttpRequest, bundle_id: int, town: Optional[str] = None, centre: Optional[str] = None,
                    department: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None):
    """Per node count, median, p90, max days against the promise; per stage who finished last; speed-up points."""
    return analytics.where_time_goes(request.auth, bundle_id, _filters(request))


@router.get("/ledger", response={200: list[EntryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def ledger(request: HttpRequest, state: Optional[str] = None, department: Optional[int] = None):
    """The overdue ledger entries the caller sees, newest first."""
    return Rows(queries.ledger(request.auth, state, department), queries.entry_dict)


@router.get("/ledger.xlsx", response={200: None, **ERRORS})
def ledger_excel(request: HttpRequest, state: Optional[str] = None, department: Optional[int] = None):
    """The ledger as an Excel workbook."""
    body = ledger_xlsx(queries.ledger(request.auth, state, department))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


@router.get("/ledger/{entry_id}", response={200: EntryOut, **ERRORS})
def ledger_entry(request: HttpRequest, entry_id: int):
    return queries.entry_dict(queries.entry_for(request.auth, entry_id))


@router.post("/ledger/{entry_id}/answer", response={200: EntryOut, **ERRORS})
def answer(request: HttpRequest, entry_id: int, payload: AnswerIn):
    """The department head records the reason and the remedy."""
    actions.answer_entry(request.auth, entry_id, reason=payload.reason, remedy=payload.remedy)
    return queries.entry_dict(queries.entry_for(request.auth, entry_id))


@router.post("/ledger/{entry_id}/close", response={200: EntryOut, **ERRORS})
def close(request: HttpRequest, entry_id: int, payload: CloseIn):
    """销号: a supervisor closes the entry with a resolution."""
    actions.close_entry(request.auth, entry_id, resolution=payload.resolution)
    return queries.entry_dict(queries.entry_for(request.auth, entry_id))


@router.get("/notifications", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def notifications(request: HttpRequest, unread: bool = False):
    """The caller's inbox, newest first."""
    return queries.inbox(request.auth, unread)


@router.get("/notifications/unread", response=UnreadOut)
def unread(request: HttpRequest):
    return {"unread": queries.unread_count(request.auth)}


@router.post("/notifications/{note_id}/read", response={200: NotificationOut, **ERRORS})
def read(request: HttpRequest, note_id: int):
    return actions.mark_read(request.auth, note_id)


@router.post("/notifications/read-all", response=UnreadOut)
def read_all(request: HttpRequest):
    actions.mark_all_read(request.auth)
    return {"unread": queries.unread_count(request.auth)}


@router.get("/applications/{app_id}/light", response={200: LightOut, **ERRORS})
def application_light(request: HttpRequest, app_id: int):
    """An application's light: the worst of its own clock and its open tasks'."""
    from onestop.approvals.queries import application_for

    app = application_for(request.auth, app_id)
    return {"id": app.pk, "light": queries.application_light(app)}


@router.get("/projects/{project_id}/light", response={200: LightOut, **ERRORS})
def project_light(request: HttpRequest, project_id: int):
    """A project's light: the worst of its open applications' and its plan's milestones'."""
    from onestop.org.access import project_for

    project = project_for(request.auth, project_id)
    return {"id": project.pk, "light": queries.project_light(project)}
