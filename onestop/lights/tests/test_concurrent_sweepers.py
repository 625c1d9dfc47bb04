"""Two sweepers released at the same instant on PostgreSQL handle every transition exactly once.

Each sweeper is a thread with its own database connection, all waiting on a barrier; the sweep runs in
small batches so they interleave. Every round resets the watches (the state of handled transitions), so
the red transitions are claimable again while the watch rows already exist: that is where a plain update
double-handles (both read the old state, the second overwrites after the first commits), and the second
test shows this test's check catches it when `CLAIM_CONDITIONALLY` is switched off.
"""
import threading

import pytest
from django.db import connection, connections

from onestop.approvals.models import Task
from onestop.lights import sweep as sweeper
from onestop.lights.models import Notification, Watch

from .conftest import accepted_stage, day

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]
COPIES = 150  # tasks per matter of the first stage
SWEEPERS = 2


def many_tasks(w) -> list[int]:
    app = accepted_stage(w)
    rows = list(Task.objects.filter(application=app))
    clones = []
    for task in rows:
        for _ in range(COPIES - 1):
            task.pk = None
            clones.append(Task(**{f.attname: getattr(task, f.attname) for f in Task._meta.concrete_fields
                                  if f.attname != "id"}))
    Task.objects.bulk_create(clones)
    return list(Task.objects.values_list("pk", flat=True))


def race(now, colour: str) -> tuple[list, list]:
    """Run the sweepers behind a barrier; the (light, clock) pairs each handled, and any error raised."""
    barrier = threading.Barrier(SWEEPERS)
    handled, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            result = sweeper.sweep(now, models_=[Task], batch=20, full=True)
            handled.extend((c, pk) for c, label, pk in result.handled if c == colour)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(SWEEPERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return handled, errors


def check_rounds(w, rounds: int) -> list[str]:
    """The problems seen over `rounds` races (an empty list when every transition was handled once)."""
    problems = []
    Notification.objects.all().delete()
    Watch.objects.all().delete()
    three_day = set(Task.objects.filter(matter__promised_limit=3).values_list("pk", flat=True))
    handled, errors = race(day(2026, 3, 5, 10), "yellow")
    problems += errors
    if sorted(pk for _, pk in handled) != sorted(three_day):
        problems.append(f"yellow handled {len(handled)} times for {len(three_day)} clocks")
    for n in range(rounds):
        Notification.objects.all().delete()
        Watch.objects.update(red_for=None)
        handled, errors = race(day(2026, 3, 6, 10), "red")
        problems += errors
        if sorted(pk for _, pk in handled) != sorted(three_day):
            problems.append(f"round {n}: red handled {len(handled)} times for {len(three_day)} clocks")
        per_clock = Notification.objects.filter(kind="red").count()
        if per_clock != 2 * len(three_day):  # the department head and the project's steward
            problems.append(f"round {n}: {per_clock} red notifications for {len(three_day)} clocks")
    return problems


def test_two_sweepers_handle_every_transition_exactly_once_where_a_plain_update_would_not(w, monkeypatch):
    many_tasks(w)
    assert check_rounds(w, rounds=4) == []
    # the same races with `filter(pk=...).update(...)` in place of the conditional update: caught
    monkeypatch.setattr(sweeper, "CLAIM_CONDITIONALLY", False)
    problems = check_rounds(w, rounds=4)
    assert any("red handled" in p for p in problems), problems
