"""The outreach API (/api/outreach): help requests, agents' queues, review, commissioners, Open311.

Thin handlers over `actions`, `commissioner_actions`, `queries`, `review` and `open311`. The two Open311
endpoints are public (no login) and carry no personal data (see `open311`).
"""

from typing import Any, Optional

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from onestop.org.schemas import ErrorOut
from onestop.outreach import actions, commissioner_actions as ca, open311, queries, review
from onestop.outreach.models import Demand, HelpRequest
from onestop.outreach.schemas import (
    AssignmentOut, AuthoriseIn, CommissionerReassignIn, DemandIn, DemandOut, DepartmentIn, EnterpriseRowOut,
    ExplanationIn, FileIn, HelpRequestIn, HelpRequestOut, Open311RequestOut, OverviewOut, RateIn, ReasonIn,
    ReassignIn, ResolutionIn, ResultIn, ReviewOut, ServiceOut, StepIn, StepOut, VerdictIn, VisitIn, VisitOut,
)
from onestop.paging import Rows

router = Router(tags=["outreach"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def request_out(r: HelpRequest) -> dict[str, Any]:
    return {
        "id": r.pk, "number": r.number, "state": r.state, "channel": r.channel, "matter_id": r.matter_id,
        "matter_name": r.matter.name, "place_id": r.place_id, "place_name": r.place.name,
        "description": r.description, "requester": r.requester_label, "agent_id": r.agent_id,
        "agent_name": str(r.agent) if r.agent_id else None, "authorised": r.is_authorised, "village_level": r.village_level,
        "application_id": r.application_id, "result": r.result, "raised_at": r.raised_at,
        "accepted_at": r.accepted_at, "finished_at": r.finished_at, "due_at": r.due_at,
        "light": queries.light_of(r), "rating_level": r.rating_level, "rating_score": r.rating_score,
    }


def demand_out(d: Demand) -> dict[str, Any]:
    return {
        "id": d.pk, "number": d.number, "enterprise_id": d.enterprise_id, "enterprise_name": d.enterprise.name,
        "category": d.category, "description": d.description, "department_id": d.department_id, "state": d.state,
        "resolution": d.resolution, "explanation": d.explanation, "verdict": d.verdict, "raised_at": d.raised_at,
        "finished_at": d.finished_at, "due_at": d.due_at, "light": queries.light_of(d),
    }


# --- help requests ------------------------------------------------------------------------------------


@router.get("/requests", response=list[HelpRequestOut])
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, state: Optional[str] = None, place: Optional[int] = None,
                  agent: Optional[int] = None, matter: Optional[int] = None, late: bool = False):
    """Help requests the caller sees (agents: their area; requesters: their own)."""
    return Rows(queries.request_list(request.auth, state=state, place=place, agent=agent, matter=matter, late=late),
                request_out)


@router.post("/requests", response={201: HelpRequestOut, **ERRORS})
def raise_request(request: HttpRequest, payload: HelpRequestIn):
    """提出帮办请求: routed to the nearest agent (grid, village, town), on the legal clock."""
    r = actions.raise_request(request.auth, **payload.dict())
    return 201, request_out(queries.request_detail(request.auth, r.pk))


@router.get("/queue", response=list[HelpRequestOut])
def my_queue(request: HttpRequest, include_done: bool = False):
    """The calling agent's queue, the most urgent first."""
    return [request_out(r) for r in queries.agent_queue(request.auth, include_done)]


@router.get("/requests/{request_id}", response={200: HelpRequestOut, **ERRORS})
def get_request(request: HttpRequest, request_id: int):
    return request_out(queries.request_detail(request.auth, request_id))


def _then(request: HttpRequest, pk: int) -> dict[str, Any]:
    return request_out(queries.request_detail(request.auth, pk))


@router.post("/requests/{request_id}/accept", response={200: HelpRequestOut, **ERRORS})
def accept(request: HttpRequest, request_id: int):
    actions.accept_request(request.auth, request_id)
    return _then(request, request_id)


@router.post("/requests/{request_id}/steps", response={201: StepOut, **ERRORS})
def add_step(request: HttpRequest, request_id: int, payload: StepIn):
    """代办记录: an errand, call or visit for the request."""
    return 201, actions.record_step(request.auth, request_id, **payload.dict())


@router.post("/requests/{request_id}/authorise", response={200: HelpRequestOut, **ERRORS})
def authorise(request: HttpRequest, request_id: int, payload: AuthoriseIn):
    """授权代办: the requester online, or the agent recording the signed form or the recorded call."""
    actions.authorise(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


@router.post("/requests/{request_id}/file", response={200: HelpRequestOut, **ERRORS})
def file_on_behalf(request: HttpRequest, request_id: int, payload: FileIn):
    """代为申报 (channel 村代办), only with the requester's authorisation."""
    actions.file_on_behalf(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


@router.post("/requests/{request_id}/complete", response={200: HelpRequestOut, **ERRORS})
def complete(request: HttpRequest, request_id: int, payload: ResultIn):
    actions.complete_request(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


@router.post("/requests/{request_id}/close", response={200: HelpRequestOut, **ERRORS})
def close(request: HttpRequest, request_id: int, payload: ReasonIn):
    actions.close_request(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


@router.post("/requests/{request_id}/reassign", response={200: HelpRequestOut, **ERRORS})
def reassign(request: HttpRequest, request_id: int, payload: ReassignIn):
    actions.reassign_request(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


@router.post("/requests/{request_id}/rate", response={200: HelpRequestOut, **ERRORS})
def rate(request: HttpRequest, request_id: int, payload: RateIn):
    """评价 on the national five levels (very_satisfied … very_dissatisfied)."""
    actions.rate_request(request.auth, request_id, **payload.dict())
    return _then(request, request_id)


# --- review and overview ------------------------------------------------------------------------------


@router.get("/review", response={200: ReviewOut, **ERRORS})
def get_review(request: HttpRequest, period: Optional[str] = None):
    """定期梳理 for a month (2026-05), a quarter (2026-Q2) or a year (2026)."""
    rv = review.review(request.auth, review.parse_period(period))
    return {"period": rv.period.label, "total": rv.total, "by_state": rv.by_state,
            "agents": [{**a.__dict__, "on_time_rate": a.on_time_rate, "satisfaction": a.satisfaction}
                       for a in rv.agents],
            "by_place": [{"name": n, "count": c} for n, c in rv.by_place],
            "by_matter": [{"name": n, "count": c} for n, c in rv.by_matter],
            "ratings": rv.ratings, "satisfaction": rv.satisfaction, "late": [r.number for r in rv.late]}


@router.get("/review.xlsx", response={200: None, **ERRORS})
def review_excel(request: HttpRequest, period: Optional[str] = None):
    rv = review.review(request.auth, review.parse_period(period))
    response = HttpResponse(review.excel(rv), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="help-review-{rv.period.label}.xlsx"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/overview", response=OverviewOut)
def overview(request: HttpRequest):
    """督办总览: this month's figures in the caller's area."""
    return queries.supervisor_overview(request.auth)


# --- commissioners ------------------------------------------------------------------------------------


@router.get("/enterprises", response=list[EnterpriseRowOut])
def my_enterprises(request: HttpRequest):
    """A commissioner's enterprises with their open demands and last visit."""
    return [{"enterprise_id": row["enterprise"].pk, "name": row["enterprise"].name, "open_demands": row["open_demands"],
             "last_visit": row["last_visit"], "light": row["light"]}
            for row in queries.commissioner_enterprises(request.auth)]


@router.get("/visits", response=list[VisitOut])
@paginate(LimitOffsetPagination)
def list_visits(request: HttpRequest, enterprise: Optional[int] = None):
    return queries.visit_list(request.auth, enterprise)


@router.post("/visits", response={201: VisitOut, **ERRORS})
def log_visit(request: HttpRequest, payload: VisitIn):
    return 201, ca.log_visit(request.auth, **payload.dict())


@router.get("/demands", response=list[DemandOut])
@paginate(LimitOffsetPagination)
def list_demands(request: HttpRequest, state: Optional[str] = None, enterprise: Optional[int] = None,
                 category: Optional[str] = None):
    return Rows(queries.demand_list(request.auth, state=state, enterprise=enterprise, category=category), demand_out)


@router.post("/demands", response={201: DemandOut, **ERRORS})
def raise_demand(request: HttpRequest, payload: DemandIn):
    d = ca.raise_demand(request.auth, **payload.dict())
    return 201, demand_out(queries.demand_detail(request.auth, d.pk))


@router.get("/demands/{demand_id}", response={200: DemandOut, **ERRORS})
def get_demand(request: HttpRequest, demand_id: int):
    return demand_out(queries.demand_detail(request.auth, demand_id))


@router.post("/demands/{demand_id}/assign", response={200: DemandOut, **ERRORS})
def assign_demand(request: HttpRequest, demand_id: int, payload: DepartmentIn):
    return demand_out(ca.assign_demand(request.auth, demand_id, **payload.dict()))


@router.post("/demands/{demand_id}/start", response={200: DemandOut, **ERRORS})
def start_demand(request: HttpRequest, demand_id: int):
    return demand_out(ca.start_demand(request.auth, demand_id))


@router.post("/demands/{demand_id}/resolve", response={200: DemandOut, **ERRORS})
def resolve_demand(request: HttpRequest, demand_id: int, payload: ResolutionIn):
    return demand_out(ca.resolve_demand(request.auth, demand_id, **payload.dict()))


@router.post("/demands/{demand_id}/unresolvable", response={200: DemandOut, **ERRORS})
def unresolvable(request: HttpRequest, demand_id: int, payload: ExplanationIn):
    return demand_out(ca.declare_unresolvable(request.auth, demand_id, **payload.dict()))


@router.post("/demands/{demand_id}/verdict", response={200: DemandOut, **ERRORS})
def verdict(request: HttpRequest, demand_id: int, payload: VerdictIn):
    """The enterprise confirms or disputes the resolution."""
    return demand_out(ca.give_verdict(request.auth, demand_id, **payload.dict()))


@router.post("/enterprises/{enterprise_id}/commissioner", response={201: AssignmentOut, **ERRORS})
def reassign_commissioner(request: HttpRequest, enterprise_id: int, payload: CommissionerReassignIn):
    """改派特派员: closes the current assignment and opens a new one (history kept)."""
    return 201, ca.reassign_commissioner(request.auth, enterprise_id=enterprise_id, **payload.dict())


# --- Open311 GeoReport v2 (public) --------------------------------------------------------------------


@router.get("/open311/services.json", response=list[ServiceOut], auth=None)
def open311_services(request: HttpRequest):
    """GeoReport v2 service list: the catalogue's active matters."""
    return open311.services()


@router.get("/open311/requests.json", response={200: list[Open311RequestOut], 400: ErrorOut}, auth=None)
def open311_requests(request: HttpRequest, service_request_id: Optional[str] = None,
                     service_code: Optional[str] = None, start_date: Optional[str] = None,
                     end_date: Optional[str] = None, status: Optional[str] = None):
    """GeoReport v2 requests: public, no personal data; the last 90 days unless dates are given."""
    return open311.requests(service_request_id=service_request_id, service_code=service_code,
                            start_date=start_date, end_date=end_date, status=status)


@router.get("/open311/requests/{service_request_id}.json", response={200: list[Open311RequestOut], 400: ErrorOut},
            auth=None)
def open311_request(request: HttpRequest, service_request_id: str):
    """GeoReport v2 single request (a list of one, as the standard has it; empty if there is none)."""
    return open311.requests(service_request_id=service_request_id)
