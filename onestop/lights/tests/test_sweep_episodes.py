"""Time travel through green, yellow, red, paused and back: each transition handled once per episode."""
from django.core import mail

from onestop.approvals.models import Task
from onestop.lights.models import LedgerEntry, LedgerState, Notification
from onestop.lights.sweep import sweep
from onestop.worktime import actions as clock
from onestop.worktime.clock import light

from .conftest import accepted_stage, day

TASK = "企业投资项目备案"  # 3 working days promised


def notes(task, kind):
    return list(Notification.objects.filter(source_type="approvals.Task", source_id=task.pk, kind=kind)
                .order_by("id").values_list("recipient_id", flat=True))


def handled(result, task):
    return [c for c, label, pk in result.handled if label == "approvals.Task" and pk == task.pk]


def test_a_task_goes_green_paused_yellow_red_and_back_once_per_episode(w, django_capture_on_commit_callbacks):
    app = accepted_stage(w)  # accepted Monday 2026-03-02
    task = Task.objects.get(application=app, matter__name=TASK)
    approver, head = w.approvers[TASK], w.heads[TASK]

    assert handled(sweep(day(2026, 3, 3)), task) == []
    assert light(task, day(2026, 3, 3)) == "green"

    task = clock.pause_clock(task, approver, reason="supplement", at=day(2026, 3, 4))
    assert handled(sweep(day(2026, 3, 5, 10)), task) == []  # would be yellow, but it is paused
    assert light(task, day(2026, 3, 5, 10)) == "paused"
    task = clock.resume_clock(task, approver, at=day(2026, 3, 6))  # skips 3-5 and 3-6: due end of 3-9

    assert handled(sweep(day(2026, 3, 9, 10)), task) == ["yellow"]
    assert notes(task, "yellow") == [approver.pk]  # unclaimed: every approver of the department
    assert handled(sweep(day(2026, 3, 9, 11)), task) == []

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert handled(sweep(day(2026, 3, 10, 10)), task) == ["red"]
    assert sorted(notes(task, "red")) == sorted([head.pk, w.steward.pk])
    assert {m.to[0] for m in mail.outbox if "企业投资项目备案" in m.subject} == {head.email, w.steward.email}
    entry = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)
    assert (entry.department, entry.responsible, entry.project, entry.episodes) == (
        w.departments[TASK], head, w.project, 1)
    assert handled(sweep(day(2026, 3, 10, 11)), task) == []
    assert handled(sweep(day(2026, 3, 11, 11)), task) == []

    # an extension turns it green; red again later is a second episode on the same open ledger entry
    task = clock.extend_clock(task, head, days=3, reason="专家评审延期", approver=head, at=day(2026, 3, 10, 12))
    assert light(task, day(2026, 3, 10, 13)) == "green"
    assert handled(sweep(day(2026, 3, 10, 13)), task) == []
    assert handled(sweep(day(2026, 3, 11, 10)), task) == ["yellow"]
    assert notes(task, "yellow") == [approver.pk, approver.pk]
    assert handled(sweep(day(2026, 3, 13, 10)), task) == ["red"]
    assert handled(sweep(day(2026, 3, 13, 11)), task) == []
    assert len(notes(task, "red")) == 4
    entry = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)
    assert entry.episodes == 2 and entry.state == LedgerState.OPEN


def test_a_claimed_task_warns_its_claimer_only(w):
    from onestop.approvals import actions

    app = accepted_stage(w)
    task = Task.objects.get(application=app, matter__name=TASK)
    other = __import__("onestop.testing", fromlist=["account"]).account("approver", department=task.department)
    actions.claim_task(w.approvers[TASK], task.pk, at=day(2026, 3, 2, 10))
    sweep(day(2026, 3, 5, 10))
    assert notes(task, "yellow") == [w.approvers[TASK].pk]
    assert other.pk not in notes(task, "yellow")
    sweep(day(2026, 3, 6, 10))
    entry = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)
    assert entry.responsible == w.approvers[TASK]


def test_a_closed_entry_is_not_reused_by_a_later_episode(w):
    from onestop.lights import actions as ledger

    app = accepted_stage(w)
    task = Task.objects.get(application=app, matter__name=TASK)
    sweep(day(2026, 3, 6, 10))
    first = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)
    ledger.close_entry(w.supervisor, first.pk, resolution="已督促办结", at=day(2026, 3, 6, 11))
    head = w.heads[TASK]
    clock.extend_clock(task, head, days=2, reason="延期", approver=head, at=day(2026, 3, 6, 12))
    sweep(day(2026, 3, 12, 10))
    entries = LedgerEntry.objects.filter(clock_type="approvals.Task", clock_id=task.pk).order_by("id")
    assert [e.state for e in entries] == [LedgerState.CLOSED, LedgerState.OPEN]


def test_every_clock_model_is_swept_not_only_tasks(w):
    app = accepted_stage(w)
    result = sweep(day(2026, 4, 30, 10))
    kinds = {label for _, label, _ in result.handled}
    assert {"approvals.Task", "approvals.Application"} <= kinds
    assert LedgerEntry.objects.filter(clock_type="approvals.Application", clock_id=app.pk).count() == 1
    # the application's red notifies the project's steward (it has no department)
    assert Notification.objects.filter(source_type="approvals.Application", recipient=w.steward, kind="red").count() == 1


def test_a_deadline_moved_into_the_past_waits_for_the_full_pass(w):
    """Incremental passes scan only points passed since the last one; a long pause resumed on a red task
    leaves a deadline already past, which the next full pass (every 10 minutes) handles."""
    app = accepted_stage(w)
    task = Task.objects.get(application=app, matter__name=TASK)
    approver = w.approvers[TASK]
    assert handled(sweep(day(2026, 3, 6, 10), full=True), task) == ["red"]
    task = clock.pause_clock(task, approver, reason="supplement", at=day(2026, 3, 6, 11))
    assert handled(sweep(day(2026, 3, 10, 11), full=False), task) == []
    task = clock.resume_clock(task, approver, at=day(2026, 3, 10, 12))  # due end of 3-9: already past
    assert light(task, day(2026, 3, 10, 12)) == "red"
    assert handled(sweep(day(2026, 3, 10, 12), full=False), task) == []
    assert handled(sweep(day(2026, 3, 10, 12), full=True), task) == ["red"]
    assert LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk).episodes == 2
