"""Schemas of the stewards API."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from ninja import Schema


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def of(account) -> Optional["PersonOut"]:
        return None if account is None else PersonOut(id=account.pk, name=str(account))


class AssignIn(Schema):
    steward_id: int
    reason: str = ""


class AssignmentOut(Schema):
    steward: PersonOut
    role: str
    since: datetime
    until: Optional[datetime]
    reason: str


class StewardsOut(Schema):
    lead: Optional[PersonOut]
    helpers: list[PersonOut]
    history: list[AssignmentOut]


class HomeProjectOut(Schema):
    id: int
    code: str
    name: str
    light: Optional[str]
    open_items: int
    unread: int


class MessageOut(Schema):
    id: int
    author: PersonOut
    body: str
    created_at: datetime
    mentions: list[PersonOut]
    attachment: Optional[str]
    attachment_size: int
    read_by: list[PersonOut]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    project_id: Optional[int]
    created_at: datetime
    read_at: Optional[datetime]
    link: str = ""


class MilestoneIn(Schema):
    name: str
    planned_start: date
    planned_end: date
    owner_id: Optional[int] = None
    department_id: Optional[int] = None
    depends_on: list[int] = []
    note: str = ""


class ProgressIn(Schema):
    actual_start: Optional[date] = None
    actual_end: Optional[date] = None
    note: str = ""


class MilestoneOut(Schema):
    id: int
    name: str
    owner: Optional[PersonOut]
    department: Optional[str]
    planned_start: date
    planned_end: date
    actual_start: Optional[date]
    actual_end: Optional[date]
    depends_on: list[int]
    due_at: Optional[datetime]
    light: Optional[str]


class WorkItemIn(Schema):
    title: str
    deadline: date
    department_id: Optional[int] = None
    owner_id: Optional[int] = None
    state: str = "todo"
    note: str = ""


class WorkItemPatch(Schema):
    title: Optional[str] = None
    deadline: Optional[date] = None
    department_id: Optional[int] = None
    owner_id: Optional[int] = None
    state: Optional[str] = None
    note: Optional[str] = None


class WorkItemOut(Schema):
    id: int
    title: str
    department: Optional[str]
    owner: Optional[PersonOut]
    deadline: date
    state: str
    note: str


class RouteMatterOut(Schema):
    code: str
    name: str
    department: str
    promised_limit: int
    legal_limit: int
    expected_done: date
    materials: list[dict]


class RouteStageOut(Schema):
    position: int
    name: str
    promised_limit: int
    expected_start: Optional[date]
    expected_end: Optional[date]
    matters: list[RouteMatterOut]
    done: bool


class RouteOut(Schema):
    project_id: int
    bundle: str
    start: date
    expected_end: Optional[date]
    provisional: bool
    stages: list[RouteStageOut]
    notes: list[str]
