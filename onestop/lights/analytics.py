"""Where time goes (时间都去哪了): per node the working days taken against the promise, per stage the
department that finished last, and the ranked speed-up points.

Days are a finished task's `days_consumed` (counted days in its clock's unit, pauses left out). Per node
the database returns a histogram (matter, days, count), so median, 90th percentile and maximum are exact
and cheap on both SQLite and PostgreSQL. A stage's critical path is read per finished stage application:
the task that stopped last, and the days it added beyond the next slowest department.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import RowNumber

from onestop.approvals.models import Task
from onestop.catalog.models import Matter
from onestop.org.models import Department
from onestop.worktime.models import ClockState

from .queries import Filters, board_scope, bundle_for


def _percentile(hist: list[tuple[int, int]], share: float) -> int:
    """The nearest-rank percentile of a sorted histogram [(value, count)]."""
    total = sum(n for _, n in hist)
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value, n in hist:
        seen += n
        if seen >= rank:
            return value
    return hist[-1][0]


def _finished(actor: Any, filters: Filters):
    scope = board_scope(actor)
    qs = Task.objects.filter(clock_state=ClockState.STOPPED).filter(filters.q())
    return qs if scope is None else qs.filter(scope)


def node_stats(actor: Any, bundle_id: int, filters: Filters) -> list[dict[str, Any]]:
    """Per matter of the bundle: count, median, p90, max days, the promise, and days over it."""
    bundle = bundle_for(bundle_id)
    matters = {m.pk: m for m in Matter.objects.filter(stages__bundle=bundle).distinct()}
    hist: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (_finished(actor, filters).filter(matter_id__in=matters).order_by().values("matter_id", "days_consumed")
            .annotate(n=Count("pk")).order_by("matter_id", "days_consumed"))
    for r in rows:
        hist[r["matter_id"]].append((r["days_consumed"], r["n"]))
    out = []
    for pk, m in matters.items():
        h = hist.get(pk)
        if not h:
            out.append({"matter_id": pk, "code": m.code, "name": m.name, "promised_limit": m.promised_limit,
                        "count": 0, "median": None, "p90": None, "max": None, "over_promise": 0,
                        "save_to_median": 0, "save_to_promise": 0})
            continue
        median = _percentile(h, 0.5)
        out.append({
            "matter_id": pk, "code": m.code, "name": m.name, "promised_limit": m.promised_limit,
            "count": sum(n for _, n in h), "median": median, "p90": _percentile(h, 0.9), "max": h[-1][0],
            "over_promise": sum(n for d, n in h if d > m.promised_limit),
            "save_to_median": sum(n * (d - median) for d, n in h if d > median),
            "save_to_promise": sum(n * (d - m.promised_limit) for d, n in h if d > m.promised_limit),
        })
    return sorted(out, key=lambda r: r["code"])


def speed_up_points(nodes: list[dict[str, Any]], top: int = 10) -> list[dict[str, Any]]:
    """Nodes ranked by the days saved across all projects if none took longer than its median or promise."""
    ranked = [{**n, "saving": max(n["save_to_median"], n["save_to_promise"])} for n in nodes if n["count"]]
    ranked.sort(key=lambda n: (-n["saving"], n["code"]))
    return [n for n in ranked if n["saving"] > 0][:top]


def critical_path(actor: Any, bundle_id: int, filters: Filters) -> list[dict[str, Any]]:
    """Per stage: which department finished last most often in its finished applications, and the days
    that added (the last task's days minus the next slowest one's), in total and on average.

    One query: window functions number each application's tasks from the last stopped and give the most
    days among the others; the outer query keeps the last and groups by stage and department.
    """
    bundle = bundle_for(bundle_id)
    stages = list(bundle.stages.order_by("position"))
    order = [F("stopped_at").desc(), F("days_consumed").desc(), F("pk").desc()]
    inner = (_finished(actor, filters).filter(application__stage__in=stages, application__open_tasks=0)
             .annotate(stage=F("application__stage_id"), dept=F("department_id"), days=F("days_consumed"),
                       rn=Window(RowNumber(), partition_by=[F("application_id")], order_by=order),
                       others=Window(Max("days_consumed"), partition_by=[F("application_id")], order_by=order,
                                     frame=RowRange(start=1, end=None)))
             .values("stage", "dept", "days", "rn", "others").order_by())  # no Meta ordering: a sort for nothing
    sql, params = inner.query.sql_with_params()
    outer = ("SELECT stage, dept, COUNT(*), SUM(CASE WHEN others IS NULL OR days <= others THEN 0 "
             f"ELSE days - others END) FROM ({sql}) x WHERE rn = 1 GROUP BY stage, dept")
    with connection.cursor() as cur:
        cur.execute(outer, params)
        rows = cur.fetchall()
    names = dict(Department.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "name"))
    tally: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for stage_id, dept, times, added in rows:
        tally[stage_id].append((dept, times, int(added or 0)))
    out = []
    for s in stages:
        depts = sorted(tally.get(s.pk, []), key=lambda r: (-r[2], -r[1], names.get(r[0], "")))
        out.append({"stage_id": s.pk, "stage": s.name, "applications": sum(r[1] for r in depts),
                    "departments": [{"department_id": d, "department": names.get(d, ""), "times_last": n,
                                     "days_added": a, "mean_days_added": round(a / n, 2)} for d, n, a in depts]})
    return out


def where_time_goes(actor: Any, bundle_id: int, filters: Filters) -> dict[str, Any]:
    nodes = node_stats(actor, bundle_id, filters)
    return {"nodes": nodes, "stages": critical_path(actor, bundle_id, filters), "speed_up": speed_up_points(nodes)}
