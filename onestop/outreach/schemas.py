"""Typed schemas of the outreach API (帮办代办、企业特派员、Open311)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from ninja import Schema

from onestop.outreach.models import AuthorisationKind, DemandCategory, HelpChannel, StepKind, Verdict


class HelpRequestIn(Schema):
    matter_id: int
    place_id: int
    description: str
    channel: Optional[HelpChannel] = None
    requester_account_id: Optional[int] = None
    requester_enterprise_id: Optional[int] = None
    contact_name: str = ""
    contact_phone: str = ""


class HelpRequestOut(Schema):
    id: int
    number: str
    state: str
    channel: str
    matter_id: int
    matter_name: str
    place_id: int
    place_name: str
    description: str
    requester: str
    agent_id: Optional[int]
    agent_name: Optional[str]
    authorised: bool
    village_level: bool
    application_id: Optional[int]
    result: str
    raised_at: datetime
    accepted_at: Optional[datetime]
    finished_at: Optional[datetime]
    due_at: Optional[datetime]
    light: Optional[str]
    rating_level: str
    rating_score: Optional[int]


class StepIn(Schema):
    kind: StepKind
    note: str


class StepOut(Schema):
    id: int
    kind: str
    note: str
    at: datetime


class AuthoriseIn(Schema):
    how: Optional[AuthorisationKind] = None
    reference: str = ""


class FileIn(Schema):
    form_data: dict = {}
    provided: list[int] = []


class ResultIn(Schema):
    result: str


class ReasonIn(Schema):
    reason: str


class ReassignIn(Schema):
    agent_id: int


class RateIn(Schema):
    level: str
    comment: str = ""


class VisitIn(Schema):
    enterprise_id: int
    visited_on: date
    met: str
    discussed: str


class VisitOut(Schema):
    id: int
    enterprise_id: int
    commissioner_id: int
    visited_on: date
    met: str
    discussed: str


class DemandIn(Schema):
    enterprise_id: int
    category: DemandCategory
    description: str
    department_id: Optional[int] = None
    visit_id: Optional[int] = None


class DemandOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    category: str
    description: str
    department_id: Optional[int]
    state: str
    resolution: str
    explanation: str
    verdict: str
    raised_at: datetime
    finished_at: Optional[datetime]
    due_at: Optional[datetime]
    light: Optional[str]


class DepartmentIn(Schema):
    department_id: int


class ResolutionIn(Schema):
    resolution: str


class ExplanationIn(Schema):
    explanation: str


class VerdictIn(Schema):
    verdict: Verdict
    note: str = ""


class CommissionerReassignIn(Schema):
    commissioner_id: int
    on: Optional[date] = None


class AssignmentOut(Schema):
    id: int
    commissioner_id: int
    enterprise_id: int
    since: date
    until: Optional[date]


class EnterpriseRowOut(Schema):
    enterprise_id: int
    name: str
    open_demands: int
    last_visit: Optional[date]
    light: Optional[str]


class AgentFiguresOut(Schema):
    agent_id: int
    name: str
    role: str
    place: str
    received: int
    handled: int
    on_time: int
    on_time_rate: Optional[float]
    closed: int
    open: int
    late: int
    rated: int
    satisfaction: Optional[float]


class CountOut(Schema):
    name: str
    count: int


class ReviewOut(Schema):
    period: str
    total: int
    by_state: dict[str, int]
    agents: list[AgentFiguresOut]
    by_place: list[CountOut]
    by_matter: list[CountOut]
    ratings: dict[str, int]
    satisfaction: Optional[float]
    late: list[str]


class OverviewOut(Schema):
    requests_raised: int
    requests_handled: int
    requests_open: int
    requests_late: int
    demands_resolved: int
    demands_open: int
    demands_late: int
    demands_disputed: int
    enterprises_visited: int


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class Open311RequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: Optional[str]
    address: str
    address_id: str
    zipcode: str
    lat: float
    long: float
    media_url: str
