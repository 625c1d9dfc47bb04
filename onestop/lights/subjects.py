"""Who answers for a clocked thing, found generically for any concrete `worktime.models.Clock` model.

A clock's department, responsible person and project are looked up by field paths that exist on its
model (first match wins), so a new clocked model (a milestone, a help request, a demand...) is handled
without code here; the handler of yellow is the person, else every approver of the department
(DESIGN.md: "The handler of an unclaimed task is every approver of its department").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from onestop.org.models import Account

DEPARTMENT_PATHS = ("department", "matter__department", "application__matter__department")
PERSON_PATHS = ("claimed_by", "owner", "agent", "assignee", "commissioner")
PROJECT_PATHS = ("project", "application__project", "rating__service__project")


@dataclass
class Subject:
    clock_type: str
    clock_id: int
    title: str
    department_id: int | None
    person_id: int | None
    project_id: int | None
    link: str


def _exists(model: type[models.Model], path: str) -> bool:
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation or field.many_to_many or field.one_to_many:
            return False
        model = field.related_model
    return True


@lru_cache(maxsize=None)
def paths(model: type[models.Model]) -> tuple[str | None, str | None, str | None]:
    """The (department, person, project) paths that exist on `model` (None where none does)."""
    def first(candidates: Iterable[str]) -> str | None:
        return next((p for p in candidates if _exists(model, p)), None)

    return first(DEPARTMENT_PATHS), first(PERSON_PATHS), first(PROJECT_PATHS)


def item_link(label: str, pk: int) -> str:
    return f"/lights/items/{label}/{pk}"


def subjects(model: type[models.Model], ids: list[int]) -> dict[int, Subject]:
    """Every clock of `model` among `ids`, with its department, person, project, title and link.

    Read as plain values (no model instances: a sweep reads thousands); the title is "matter · department"
    where the model has both, else the instance's own `str()`.
    """
    dept, person, project = paths(model)
    label = model._meta.label
    fast = _exists(model, "matter") and _exists(model, "department")
    cols = [p for p in (dept, person, project) if p]
    names = ["pk", *cols]
    titles: dict[int, str] = {}
    rows = model.objects.filter(pk__in=ids)
    if fast:
        values = rows.values_list(*names, "matter__name", "department__name")
    else:
        values = rows.values_list(*names)
        titles = {o.pk: str(o)[:255] for o in rows.select_related(*_direct(model))}
    out = {}
    for row in values:
        got = dict(zip(cols, row[1:1 + len(cols)]))
        pk = row[0]
        title = f"{row[-2]} · {row[-1]}" if fast else titles.get(pk, f"{label}#{pk}")
        out[pk] = Subject(clock_type=label, clock_id=pk, title=title[:255], department_id=got.get(dept),
                          person_id=got.get(person), project_id=got.get(project), link=item_link(label, pk))
    return out


def _direct(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.many_to_one and f.name in {"matter", "department"}]


def staff_of(department_ids: Iterable[int], role: str) -> dict[int, list[int]]:
    """Active accounts of `role` per department."""
    found: dict[int, list[int]] = {}
    rows = Account.objects.filter(department_id__in=set(department_ids), role=role, is_active=True)
    for pk, dept in rows.values_list("pk", "department_id").order_by("pk"):
        found.setdefault(dept, []).append(pk)
    return found


def lead_stewards(project_ids: Iterable[int]) -> dict[int, int]:
    from onestop.enterprises.models import Project

    rows = Project.objects.filter(pk__in=set(project_ids), lead_steward__isnull=False)
    return dict(rows.values_list("pk", "lead_steward_id"))


#: Who else stewards a project besides its lead: functions (project ids) -> {project id: [account ids]},
#: registered at start-up by the app that keeps the assignments (`stewards.apps`), so lights imports none.
STEWARD_SOURCES: list[Callable[[set[int]], dict[int, list[int]]]] = []


def register_steward_source(source: Callable[[set[int]], dict[int, list[int]]]) -> None:
    if source not in STEWARD_SOURCES:
        STEWARD_SOURCES.append(source)


def project_stewards(project_ids: Iterable[int]) -> dict[int, list[int]]:
    """DESIGN.md's "the project's steward", per project: the lead steward first, then every steward the
    registered sources name (those assigned to it now)."""
    ids = set(project_ids)
    found = {pk: [lead] for pk, lead in lead_stewards(ids).items()}
    for source in STEWARD_SOURCES:
        for pk, people in source(ids).items():
            mine = found.setdefault(pk, [])
            mine += [p for p in people if p not in mine]
    return found


def yellow_handlers(s: Subject, approvers: dict[int, list[int]]) -> list[int]:
    if s.person_id:
        return [s.person_id]
    return approvers.get(s.department_id, []) if s.department_id else []


def red_recipients(s: Subject, heads: dict[int, list[int]], stewards: dict[int, list[int]]) -> list[int]:
    """The department head(s) and the project's stewards (`project_stewards`), each once."""
    people = list(heads.get(s.department_id, [])) if s.department_id else []
    for steward in stewards.get(s.project_id, []) if s.project_id else []:
        if steward not in people:
            people.append(steward)
    if not people and s.person_id:
        people.append(s.person_id)
    return people
