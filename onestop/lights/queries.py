"""The read side: light counts, the supervision board (挂图督办), late lists, the ledger, the inbox.

Board filters (`parse_filters`): town (a place id: departments located in it), centre (a service centre
id: applications taken or handled there), department (id), date_from / date_to (the day a task's clock
started, Asia/Shanghai). Any other parameter is a 400 naming it. Lights are computed from the stored
timestamps with the worktime filters (red_q, yellow_q, green_q), never read from a stored colour.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

from django.db import connection
from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from onestop.approvals.models import Application, Task
from onestop.catalog.models import Bundle, Matter
from onestop.errors import InvalidInput, NotFound
from onestop.org.models import Account, Department, Place, ServiceCentre
from onestop.worktime.clock import light, midnight, worst
from onestop.worktime.models import ClockState
from onestop.worktime.queries import green_q, red_q, yellow_q

from .access import area_path, board_scope, entry_filter
from .models import LedgerEntry, LedgerState, Notification

FILTERS = ("town", "centre", "department", "date_from", "date_to")
PAGE_SIZE = 50
OPEN_CLOCK = Q(clock_state__in=[ClockState.RUNNING, ClockState.PAUSED])


@dataclass
class Filters:
    town: Place | None = None
    centre: ServiceCentre | None = None
    department: Department | None = None
    date_from: date | None = None
    date_to: date | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def q(self) -> Q:
        q = Q()
        if self.town:
            q &= Q(department__place__path__startswith=self.town.path)
        if self.centre:
            q &= Q(application__taken_at=self.centre) | Q(application__handled_at=self.centre)
        if self.department:
            q &= Q(department=self.department)
        if self.date_from:
            q &= Q(started_at__gte=midnight(self.date_from))
        if self.date_to:
            q &= Q(started_at__lt=midnight(self.date_to + timedelta(days=1)))
        return q

    def query_string(self) -> str:
        from urllib.parse import urlencode

        values = {"town": self.town and self.town.pk, "centre": self.centre and self.centre.pk,
                  "department": self.department and self.department.pk,
                  "date_from": self.date_from and self.date_from.isoformat(),
                  "date_to": self.date_to and self.date_to.isoformat()}
        return urlencode({k: v for k, v in values.items() if v})


def _bad(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput("筛选条件有误：" + "、".join(fields), "Invalid filters: " + ", ".join(fields) + ".",
                        code="invalid_filter", fields=fields)


def parse_filters(params: Mapping[str, Any], allowed_extra: Iterable[str] = ()) -> Filters:
    """The board's filters from query parameters; unknown or malformed ones are one 400 naming each."""
    extra_names = set(allowed_extra)
    problems = {k: "unknown filter" for k in params if k not in FILTERS and k not in extra_names}
    found = Filters(extra={k: params[k] for k in params if k in extra_names})
    for name, model in (("town", Place), ("centre", ServiceCentre), ("department", Department)):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        obj = model.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
        if obj is None:
            problems[name] = f"no such {name}: {raw!r}"
        setattr(found, name, obj)
    for name in ("date_from", "date_to"):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        try:
            setattr(found, name, date.fromisoformat(str(raw)))
        except ValueError:
            problems[name] = f"{raw!r} is not a date as YYYY-MM-DD"
    if found.date_from and found.date_to and found.date_to < found.date_from:
        problems["date_to"] = "must not be before date_from"
    if problems:
        raise _bad(problems)
    return found


def tasks_for_board(actor: Any, filters: Filters) -> QuerySet[Task]:
    """Open tasks (on the clock) the caller may supervise, filtered."""
    scope = board_scope(actor)
    qs = Task.objects.filter(OPEN_CLOCK).filter(filters.q())
    return qs if scope is None else qs.filter(scope)


LIGHTS = ("green", "yellow", "red", "paused")


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: one plain count per outer row, no GROUP BY."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def red_per_group(qs: QuerySet[Task], key: str, values: Iterable[Any], now: datetime,
                  oldest: bool = False) -> dict[Any, dict[str, Any]]:
    """The red tasks of `qs` per value of `key` (department_id or matter_id): {value: {"red": n}}, and
    with `oldest` the earliest due_at among them ("oldest_due_at"); groups without red are left out.

    One correlated count per group (a department, a matter) from the outer table: each is a plain count
    of one due_at range of a partial index (`task_running_by_department` / `_by_matter`), cheaper than
    grouping all red tasks (no group key compared per row); the oldest is the range's first entry."""
    outer = (Department if key == "department_id" else Matter).objects.filter(pk__in=list(values)).order_by()
    red = qs.filter(red_q(now), **{key: OuterRef("pk")}).order_by()
    fields = {"red": SubqueryCount(red.values(key))}
    if oldest:
        fields["oldest_due_at"] = Subquery(red.order_by("due_at").values("due_at")[:1])
    rows = outer.annotate(**fields).values("pk", *fields)
    return {r.pop("pk"): r for r in rows if r["red"]}


def light_counts(qs: QuerySet[Task], key: str, values: Iterable[Any], now: datetime) -> dict[Any, dict[str, int]]:
    """Green, yellow, red and paused counts of the open tasks in `qs`, grouped by the column `key`, for
    the given `values` of it (the groups the board may show).

    Three queries instead of one pass with four filtered counts, so that each reads ranges of a partial
    index of approvals.Task (`task_running_by_department` / `_by_matter`, ordered by due_at within each
    group; `task_paused`) and never the table: red is the part of each group's range with `due_at <= now`
    (`red_per_group`), green and yellow the rest (`key IN (values)`: one range per group, split on
    warn_at), paused the small paused index. The buckets are `clock.light`'s: red wins over yellow and
    green (warn_at <= due_at while a clock runs).
    """
    values = list(values)
    out: dict[Any, dict[str, int]] = {}

    def row(value: Any) -> dict[str, int]:
        return out.setdefault(value, dict.fromkeys(LIGHTS, 0))

    for value, r in red_per_group(qs, key, values, now).items():
        row(value)["red"] = r["red"]
    qs = qs.filter(**{f"{key}__in": values}).order_by()
    ahead = qs.filter(clock_state=ClockState.RUNNING, due_at__gt=now).values(key).annotate(
        yellow=Count("warn_at", filter=Q(warn_at__lte=now)), green=Count("warn_at", filter=Q(warn_at__gt=now)))
    for r in ahead:
        row(r[key]).update(green=r["green"], yellow=r["yellow"])
    for r in qs.filter(clock_state=ClockState.PAUSED).values(key).annotate(n=Count("*")):
        row(r[key])["paused"] = r["n"]
    return out


def counts_by_department(actor: Any, filters: Filters, now: datetime | None = None) -> list[dict[str, Any]]:
    """Green, yellow, red and paused open tasks per department (亮灯统计)."""
    now = now or timezone.now()
    counts = light_counts(tasks_for_board(actor, filters), "department_id", _departments(actor, filters), now)
    names = dict(Department.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    rows = [{"department_id": pk, **c, "department": names.get(pk, "")} for pk, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["red"], -r["yellow"], r["department"]))


def bundle_for(pk: int) -> Bundle:
    bundle = Bundle.objects.filter(pk=pk).first()
    if bundle is None:
        raise NotFound("bundle", "一件事")
    return bundle


def board(actor: Any, bundle_id: int, filters: Filters, now: datetime | None = None) -> dict[str, Any]:
    """The bundle's flow: stages (columns) with their matters (nodes) and each node's light counts."""
    now = now or timezone.now()
    bundle = bundle_for(bundle_id)
    stages = list(bundle.stages.prefetch_related("matters").order_by("position"))
    ids = {m.pk for s in stages for m in s.matters.all()}
    counts = light_counts(tasks_for_board(actor, filters), "matter_id", ids, now)
    empty = dict.fromkeys(LIGHTS, 0)
    columns = []
    for s in stages:
        nodes = []
        for m in sorted(s.matters.all(), key=lambda m: m.code):
            c = {k: counts.get(m.pk, empty)[k] for k in empty}
            shown = worst(k for k in ("paused", "green", "yellow", "red") if c[k])
            nodes.append({"matter_id": m.pk, "code": m.code, "name": m.name, "promised_limit": m.promised_limit,
                          "counts": c, "light": shown})
        columns.append({"stage_id": s.pk, "position": s.position, "name": s.name, "nodes": nodes,
                        "light": worst(n["light"] for n in nodes)})
    return {"bundle": {"id": bundle.pk, "code": bundle.code, "name": bundle.name}, "now": now, "stages": columns}


def node_tasks(actor: Any, bundle_id: int, matter_id: int, filters: Filters, colour: str | None = None,
               now: datetime | None = None, limit: int = 200) -> list[Task]:
    """The open tasks behind one node of the board, most overdue first (a click on the node)."""
    now = now or timezone.now()
    bundle = bundle_for(bundle_id)
    if not bundle.stages.filter(matters=matter_id).exists():
        raise NotFound("matter", "事项")
    qs = tasks_for_board(actor, filters).filter(matter_id=matter_id)
    by_colour = {"red": red_q(now), "yellow": yellow_q(now), "green": green_q(now),
                 "paused": Q(clock_state=ClockState.PAUSED)}
    if colour:
        qs = qs.filter(by_colour[colour])
    return list(qs.select_related("matter", "department", "claimed_by", "application").order_by("paused", "due_at", "id")[:limit])


def _late(actor: Any, filters: Filters, now: datetime, depts: list[int] | None = None) -> QuerySet[Task]:
    """The red open tasks. `department_id IN (...)` is implied by the scope and filters; it makes the
    databases read one range of `task_running_by_department` (or `_by_person`) per department, not the
    whole index."""
    depts = list(_departments(actor, filters)) if depts is None else depts
    return tasks_for_board(actor, filters).filter(red_q(now), department_id__in=depts).order_by()


def late_by_department(actor: Any, filters: Filters, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    depts = list(_departments(actor, filters))
    late = red_per_group(tasks_for_board(actor, filters), "department_id", depts, now, oldest=True)
    rows = sorted(({"department_id": d, **r} for d, r in late.items()), key=lambda r: -r["red"])
    names = dict(Department.objects.filter(pk__in=[r["department_id"] for r in rows]).values_list("pk", "name"))
    return [{**r, "department": names.get(r["department_id"], "")} for r in rows]


def late_by_person(actor: Any, filters: Filters, now: datetime | None = None) -> list[dict[str, Any]]:
    """Red tasks per person who claimed them; unclaimed ones per department (every approver answers)."""
    now = now or timezone.now()
    # grouped in the order of `task_running_by_person` (department, claimed_by, due_at): no hash, no sort
    rows = list(_late(actor, filters, now).values("department_id", "claimed_by_id")
                .annotate(red=Count("*"), oldest_due_at=Min("due_at")).order_by("-red"))
    people = {a.pk: a for a in Account.objects.filter(pk__in=[r["claimed_by_id"] for r in rows if r["claimed_by_id"]])}
    names = dict(Department.objects.filter(pk__in=[r["department_id"] for r in rows]).values_list("pk", "name"))
    out = []
    for r in rows:
        person = people.get(r["claimed_by_id"])
        out.append({**r, "person": (person.display_name or person.username) if person else None,
                    "department": names.get(r["department_id"], "")})
    return out


def late_page(actor: Any, filters: Filters, page: int = 1, now: datetime | None = None) -> list[Task]:
    """One page of the late list (red open tasks), the longest overdue first.

    The page is merged from one short scan per department of `task_running_by_department` (running tasks
    by department, due_at), so it neither sorts every red task nor walks the due_at index through the
    finished tasks; on PostgreSQL the scans are one UNION ALL, on SQLite (no LIMIT inside a compound
    SELECT) one query per department.
    """
    now = now or timezone.now()
    start = (max(page, 1) - 1) * PAGE_SIZE
    depts = list(_departments(actor, filters))
    if not depts:
        return []
    qs = _late(actor, filters, now, depts)
    parts = [qs.filter(department_id=d).order_by("due_at", "id").values_list("due_at", "pk")[:start + PAGE_SIZE]
             for d in depts]
    if connection.vendor == "postgresql":
        found_keys = list(parts[0].union(*parts[1:], all=True))
    else:
        found_keys = [k for part in parts for k in part]
    keys = sorted(found_keys)[start:start + PAGE_SIZE]
    found = Task.objects.select_related("matter", "department", "claimed_by").in_bulk([pk for _, pk in keys])
    return [found[pk] for _, pk in keys if pk in found]


def _departments(actor: Any, filters: Filters) -> QuerySet:
    """The ids of the departments a board may show (scope and filters)."""
    scope = board_scope(actor)
    qs = Department.objects.all()
    if scope is not None:
        supervisor = actor.role == "supervisor"
        qs = qs.filter(place__path__startswith=area_path(actor)) if supervisor else qs.filter(pk=actor.department_id)
    if filters.department:
        qs = qs.filter(pk=filters.department.pk)
    if filters.town:
        qs = qs.filter(place__path__startswith=filters.town.path)
    return qs.values_list("pk", flat=True)


def task_row(t: Task, now: datetime) -> dict[str, Any]:
    return {"id": t.pk, "application_id": t.application_id, "matter": t.matter.name, "department_id": t.department_id,
            "department": t.department.name, "state": t.state, "light": light(t, now), "due_at": t.due_at,
            "claimed_by": (t.claimed_by.display_name or t.claimed_by.username) if t.claimed_by_id else None,
            "days_consumed": t.days_consumed, "link": f"/lights/items/approvals.Task/{t.pk}"}


# -- lights of composite things (DESIGN.md: the worst of the parts, red > yellow > green > paused) -------


def application_light(app: Application, now: datetime | None = None,
                      open_tasks: Iterable[Task] | None = None) -> str | None:
    """The worst of the application's own clock and its open tasks' (pass `open_tasks` if prefetched)."""
    now = now or timezone.now()
    tasks = app.tasks.filter(OPEN_CLOCK) if open_tasks is None else open_tasks
    return worst([light(app, now), *(light(t, now) for t in tasks)])


def project_light(project: Any, now: datetime | None = None) -> str | None:
    """The worst of the project's open applications' lights and of its plan's open milestones, if any.

    Three queries whatever the number of applications: the applications, their open tasks, the milestones.
    """
    now = now or timezone.now()
    open_tasks = Prefetch("tasks", queryset=Task.objects.filter(OPEN_CLOCK), to_attr="open_task_rows")
    apps = project.applications.filter(OPEN_CLOCK).prefetch_related(open_tasks)
    lights = [application_light(a, now, a.open_task_rows) for a in apps]
    milestones = getattr(project, "milestones", None)
    if milestones is not None:
        lights += [light(m, now) for m in milestones.filter(OPEN_CLOCK)]
    return worst(lights)


# -- the ledger and the inbox ----------------------------------------------------------------------------


def visible_entries(actor: Any) -> QuerySet[LedgerEntry]:
    q = entry_filter(actor)
    qs = LedgerEntry.objects.all() if q is None else LedgerEntry.objects.filter(q)
    return qs.select_related("department", "responsible", "project", "closed_by", "answered_by")


def ledger(actor: Any, state: str | None = None, department: int | None = None) -> QuerySet[LedgerEntry]:
    qs = visible_entries(actor)
    if state:
        if state not in LedgerState.values:
            raise InvalidInput("状态有误。", "Unknown state.", fields={"state": f"one of {', '.join(LedgerState.values)}"})
        qs = qs.filter(state=state)
    if department:
        qs = qs.filter(department_id=department)
    return qs.order_by("-opened_at", "-id")


def entry_for(actor: Any, pk: int) -> LedgerEntry:
    entry = visible_entries(actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound("ledger entry", "挂账记录")
    return entry


def entry_dict(e: LedgerEntry) -> dict[str, Any]:
    def name(a: Any) -> str | None:
        return (a.display_name or a.username) if a else None

    return {"id": e.pk, "number": e.number, "clock_type": e.clock_type, "clock_id": e.clock_id, "title": e.title,
            "link": e.link, "department_id": e.department_id, "department": e.department.name if e.department else None,
            "responsible": name(e.responsible), "project_id": e.project_id, "state": e.state,
            "opened_at": e.opened_at, "due_at": e.due_at, "episodes": e.episodes, "reason": e.reason,
            "remedy": e.remedy, "answered_by": name(e.answered_by), "answered_at": e.answered_at,
            "resolution": e.resolution, "closed_by": name(e.closed_by), "closed_at": e.closed_at}


def unread_count(user: Any) -> int:
    """Unread inbox messages of `user` (0 when not logged in): for the page header."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs
