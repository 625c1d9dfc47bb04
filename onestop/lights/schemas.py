"""Typed shapes of the lights API."""

from datetime import datetime
from typing import Any, Optional

from ninja import Schema


class Counts(Schema):
    green: int
    yellow: int
    red: int
    paused: int


class DepartmentCounts(Counts):
    department_id: int
    department: str


class Node(Schema):
    matter_id: int
    code: str
    name: str
    promised_limit: int
    counts: Counts
    light: Optional[str]


class Column(Schema):
    stage_id: int
    position: int
    name: str
    light: Optional[str]
    nodes: list[Node]


class BoardOut(Schema):
    bundle: dict[str, Any]
    now: datetime
    stages: list[Column]


class TaskRow(Schema):
    id: int
    application_id: int
    matter: str
    department_id: int
    department: str
    state: str
    light: Optional[str]
    due_at: Optional[datetime]
    claimed_by: Optional[str]
    days_consumed: int
    link: str


class LateDepartment(Schema):
    department_id: int
    department: str
    red: int
    oldest_due_at: datetime


class LatePerson(LateDepartment):
    claimed_by_id: Optional[int]
    person: Optional[str]


class LateOut(Schema):
    by_department: list[LateDepartment]
    by_person: list[LatePerson]
    first_page: list[TaskRow]


class EntryOut(Schema):
    id: int
    number: str
    clock_type: str
    clock_id: int
    title: str
    link: str
    department_id: Optional[int]
    department: Optional[str]
    responsible: Optional[str]
    project_id: Optional[int]
    state: str
    opened_at: datetime
    due_at: datetime
    episodes: int
    reason: str
    remedy: str
    answered_by: Optional[str]
    answered_at: Optional[datetime]
    resolution: str
    closed_by: Optional[str]
    closed_at: Optional[datetime]


class AnswerIn(Schema):
    reason: str = ""
    remedy: str = ""


class CloseIn(Schema):
    resolution: str = ""


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    project_id: Optional[int] = None
    created_at: datetime
    read_at: Optional[datetime]


class UnreadOut(Schema):
    unread: int


class LightOut(Schema):
    id: int
    light: Optional[str]
