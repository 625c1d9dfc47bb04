"""The board's counts and late lists, read from the partial indexes in a few grouped queries, give what
`worktime.clock.light` says of every open task, one task at a time, at any instant (green, yellow, red,
paused; red wins over yellow), for every caller's scope and filter."""
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from onestop.approvals import actions
from onestop.approvals.models import Task
from onestop.lights import queries
from onestop.worktime import actions as clock
from onestop.worktime.clock import light
from onestop.worktime.models import ClockState

from .conftest import accepted_stage


@pytest.fixture
def spread(w):
    """Tasks of every stage started 40, 12, 6, 3 and 0 days ago; some claimed, one paused, one stopped."""
    now = timezone.now()
    apps = [accepted_stage(w, position=pos, at=now - timedelta(days=days))
            for days in (40, 12, 6, 3, 0) for pos in range(len(w.stages))]
    tasks = list(Task.objects.filter(application__in=apps).order_by("pk"))
    for t in tasks[::4]:
        actions.claim_task(w.approvers[t.matter.name], t.pk, at=t.started_at + timedelta(hours=1))
    paused = tasks[1]
    clock.pause_clock(paused, w.approvers[paused.matter.name], reason="supplement", at=now)
    done = tasks[2]
    actions.claim_task(w.approvers[done.matter.name], done.pk, at=now)
    actions.approve_task(w.approvers[done.matter.name], done.pk, opinion="同意", at=now)
    return now


def expected(now, keep=lambda t: True):
    """Per department, per matter: the light of each open task, computed one by one."""
    by_dept, by_matter, late = defaultdict(Counter), defaultdict(Counter), []
    for t in Task.objects.filter(clock_state__in=[ClockState.RUNNING, ClockState.PAUSED]):
        if not keep(t):
            continue
        colour = light(t, now)
        by_dept[t.department_id][colour] += 1
        by_matter[t.matter_id][colour] += 1
        if colour == "red":
            late.append(t)
    return by_dept, by_matter, late


def shown(counter):
    return {k: counter.get(k, 0) for k in ("green", "yellow", "red", "paused")}


@pytest.mark.parametrize("days_later", [0, 2, 5, 9, 60])
def test_counts_board_and_late_lists_agree_with_each_tasks_light(w, spread, days_later):
    now = spread + timedelta(days=days_later)
    by_dept, by_matter, late = expected(now)
    assert Task.objects.filter(clock_state=ClockState.STOPPED).exists()  # finished tasks are left out
    f = queries.Filters()
    rows = queries.counts_by_department(w.admin, f, now)
    assert {r["department_id"]: {k: r[k] for k in ("green", "yellow", "red", "paused")} for r in rows} == \
        {d: shown(c) for d, c in by_dept.items()}
    assert [(r["red"], r["yellow"]) for r in rows] == sorted(((r["red"], r["yellow"]) for r in rows), reverse=True)

    nodes = {n["matter_id"]: n["counts"] for s in queries.board(w.admin, w.bundle.pk, f, now)["stages"]
             for n in s["nodes"]}
    assert nodes == {m: shown(by_matter.get(m, Counter())) for m in nodes}

    per_dept = Counter(t.department_id for t in late)
    assert {r["department_id"]: r["red"] for r in queries.late_by_department(w.admin, f, now)} == per_dept
    oldest = {r["department_id"]: r["oldest_due_at"] for r in queries.late_by_department(w.admin, f, now)}
    assert oldest == {d: min(t.due_at for t in late if t.department_id == d) for d in per_dept}
    per_person = Counter((t.claimed_by_id, t.department_id) for t in late)
    assert {(r["claimed_by_id"], r["department_id"]): r["red"] for r in queries.late_by_person(w.admin, f, now)} == per_person

    in_order = [t.pk for t in sorted(late, key=lambda t: (t.due_at, t.pk))]
    assert [t.pk for t in queries.late_page(w.admin, f, 1, now)] == in_order[:queries.PAGE_SIZE]


def test_a_department_sees_only_its_own_counts_and_late_tasks(w, spread):
    now = spread + timedelta(days=9)
    name = next(iter(w.departments))
    dept = w.departments[name]
    by_dept, _, late = expected(now, keep=lambda t: t.department_id == dept.pk)
    f = queries.Filters()
    rows = queries.counts_by_department(w.approvers[name], f, now)
    assert [(r["department_id"], shown(r)) for r in rows] == [(dept.pk, shown(by_dept[dept.pk]))]
    assert [t.pk for t in queries.late_page(w.approvers[name], f, 1, now)] == \
        [t.pk for t in sorted(late, key=lambda t: (t.due_at, t.pk))]
    other = queries.Filters(department=w.departments[list(w.departments)[1]])
    assert queries.counts_by_department(w.approvers[name], other, now) == []
    assert queries.late_page(w.approvers[name], other, 1, now) == []


def test_a_date_filter_narrows_every_count_the_same_way(w, spread):
    now = spread + timedelta(days=5)
    since = timezone.localdate(spread - timedelta(days=7))
    by_dept, _, late = expected(now, keep=lambda t: timezone.localdate(t.started_at) >= since)
    f = queries.Filters(date_from=since)
    rows = queries.counts_by_department(w.supervisor, f, now)
    assert {r["department_id"]: shown(r) for r in rows} == {d: shown(c) for d, c in by_dept.items()}
    assert sum(r["red"] for r in queries.late_by_department(w.supervisor, f, now)) == len(late)
