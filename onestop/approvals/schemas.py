"""Typed request and response bodies of the approvals API."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from ninja import Field, Schema

from .models import Channel, IssueMethod


class ApplicationIn(Schema):
    """申报: either `matter_id` or `stage_id`; `provided` lists the catalogue material ids handed in."""

    matter_id: Optional[int] = None
    stage_id: Optional[int] = None
    project_id: Optional[int] = None
    applicant_id: Optional[int] = None
    channel: Optional[Channel] = None
    form_data: dict[str, Any] = {}
    provided: list[int] = []
    simulated: bool = False
    centre_id: Optional[int] = None
    applicant_account_id: Optional[int] = None  # 代办: the resident or organisation account filed for


class ChecklistIn(Schema):
    provided: list[int]
    note: str = ""


class AcceptIn(Schema):
    """受理: the checklist; `deferred` maps a material id to the working days to supply it (容缺)."""

    provided: list[int]
    deferred: dict[int, int] = {}
    commitment: str = ""
    seal_id: Optional[int] = None  # seal the acceptance notice with this seal (seals app)


class IssueIn(Schema):
    method: IssueMethod = IssueMethod.WINDOW
    seal_id: Optional[int] = None  # seal every department's decision with this seal (seals app)


class HandoverIn(Schema):
    to_centre_id: int
    note: str = ""


class ReapplyIn(Schema):
    form_data: dict[str, Any] = {}
    provided: list[int] = []


class OpinionIn(Schema):
    opinion: str = ""


class RejectIn(Schema):
    reasons: str = ""


class SupplementIn(Schema):
    what: str = ""
    days: int = Field(5, ge=1, le=365)


class NoteIn(Schema):
    note: str = ""


class BrokenIn(Schema):
    reason: str = ""
    stop: Optional[bool] = None


class CoachingIn(Schema):
    guidance: str = ""
    matter_id: Optional[int] = None


class MaterialOut(Schema):
    id: int
    material_id: int
    name: str
    matter: str
    required: bool
    may_defer: bool
    may_commit: bool
    status: str
    due_at: Optional[datetime] = None
    supplied_at: Optional[datetime] = None
    alerted_at: Optional[datetime] = None


class TaskOut(Schema):
    id: int
    application_id: int
    matter_id: int
    matter: str
    department_id: int
    department: str
    state: str
    opinion: str
    supplement_request: str
    claimed_by: Optional[str] = None
    decided_at: Optional[datetime] = None
    clock_state: str
    due_at: Optional[datetime] = None
    pause_due_at: Optional[datetime] = None
    days_consumed: int
    light: Optional[str] = None
    carried_over: bool


class ApplicationOut(Schema):
    id: int
    number: str
    title: str
    matter_id: Optional[int] = None
    stage_id: Optional[int] = None
    channel: str
    state: str
    simulated: bool
    applicant_id: Optional[int] = None
    project_id: Optional[int] = None
    taken_at_id: Optional[int] = None
    handled_at_id: Optional[int] = None
    previous_id: Optional[int] = None
    resubmission_of_id: Optional[int] = None
    form_data: dict[str, Any]
    acceptance_no: str
    missing_notice: list[dict[str, Any]]
    submitted_at: datetime
    accepted_at: Optional[datetime] = None
    decided_at: Optional[datetime] = None
    issued_at: Optional[datetime] = None
    due_at: Optional[datetime] = None
    clock_state: str
    alert: bool
    land_to_permit_days: Optional[int] = None
    light: Optional[str] = None


class ApplicationDetail(ApplicationOut):
    tasks: list[TaskOut]
    materials: list[MaterialOut]
    results: list[dict[str, Any]]


class EventOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    label: str  # what the action was, in the request's language
    after: Optional[Any] = None
    reason: str


class CoachingOut(Schema):
    id: int
    project_id: int
    coach: str
    matter_id: Optional[int] = None
    at: datetime
    guidance: str
