"""Departments finishing at the same instant never lose the join nor run it twice (PostgreSQL, threads).

Five approvers are released at once by a barrier, each approving its own department's task of the same
application; the application must be approved exactly once, with the next stage opened exactly once.
The second test removes the join's row lock and shows the first test's checks catch it.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from onestop.approvals import actions, decisions
from onestop.approvals.builders import build, required_ids
from onestop.approvals.models import AppState, Application
from onestop.audit.models import Event

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite runs one writer at a time, so threads cannot race there; run on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 100
SPECS = (("并联", [(f"并联事项{i}", 3, 5) for i in range(5)]), ("下一阶段", [("下一阶段事项", 1, 1)]))


class Departments:
    """Five approver threads that live for the whole test, each keeping its database connection (a fresh
    connection per round would make the test slow, not the race more real)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pool = ThreadPoolExecutor(max_workers=n)

    def together(self, fn, items: list) -> list[BaseException]:
        """Run fn(item) for every item, one per thread, all released at the same instant by a barrier."""
        barrier = threading.Barrier(len(items), timeout=30)
        errors: list[BaseException] = []

        def run(item) -> None:
            try:
                barrier.wait()
                fn(item)
            except BaseException as exc:  # a thread's exception is otherwise lost
                errors.append(exc)

        for future in [self.pool.submit(run, item) for item in items]:
            future.result()
        return errors

    def close(self) -> None:
        self.together(lambda _: connection.close(), list(range(self.n)))
        self.pool.shutdown()


def race(w, departments: Departments) -> tuple[Application, list[BaseException]]:
    """One application of the 5-department stage, its tasks approved by 5 threads released together."""
    app = actions.submit_application(w.clerk, stage_id=w.stages[0].pk, project_id=w.project.pk)
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    tasks = list(app.tasks.select_related("matter"))
    errors = departments.together(lambda t: actions.approve_task(w.approver_of(t), t.pk, opinion="同意"), tasks)
    app.refresh_from_db()
    return app, errors


def joined_once(app: Application) -> bool:
    decisions = Event.objects.filter(chain__aggregate_type="approvals.Application", chain__aggregate_id=str(app.pk),
                                     action="approvals.task_approved", after__decision="approved").count()
    return (app.state == AppState.APPROVED and app.open_tasks == 0 and decisions == 1
            and Application.objects.filter(previous=app).count() == 1)


@pytest.fixture(autouse=True)
def _calendar(calendar_kept):
    """The calendar comes back after this module's transactional tests (see conftest)."""


@pytest.fixture
def departments():
    pool = Departments(5)
    yield pool
    pool.close()


def test_five_departments_finishing_together_join_exactly_once_100_times(departments):
    w = build("C", SPECS)
    for n in range(ROUNDS):
        app, errors = race(w, departments)
        assert not errors, f"round {n}: {errors}"
        assert joined_once(app), f"round {n}: state={app.state} open={app.open_tasks}"


def test_without_the_row_lock_the_race_is_caught(monkeypatch, departments):
    """The fault this guards against: read the counters without locking, and a join is lost."""
    monkeypatch.setattr(decisions, "JOIN_LOCK", ())  # the task's row is still locked, the application's not
    w = build("F", SPECS)
    for n in range(ROUNDS):
        app, errors = race(w, departments)
        if errors or not joined_once(app):
            return  # caught: a thread was refused, or the application was never (or twice) decided
    pytest.fail(f"{ROUNDS} races without the lock went unnoticed")
