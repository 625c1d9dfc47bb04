"""A sweep of many clocks, in several batches and pages: each red clock gets its own ledger entry, each notice
names its own clock's entry and goes by e-mail, and a second episode reuses the entries (both databases:
PostgreSQL stores them through `onestop.sql.insert_many`'s arrays, SQLite through multi-row VALUES)."""
from django.core import mail

from onestop.approvals.models import Task
from onestop.lights import sweep as sweeper
from onestop.lights.models import LedgerEntry, LedgerState, Notification, Watch
from onestop.worktime import actions as clock

from .conftest import accepted_stage, day

COPIES = 25  # tasks per matter of the first stage


def many_tasks(w) -> list[Task]:
    """The tasks of an accepted application and COPIES - 1 copies of each (copies of the clock fields only:
    their clock has no event log, so only the originals are extended)."""
    app = accepted_stage(w)
    clones = [Task(**{f.attname: getattr(task, f.attname) for f in Task._meta.concrete_fields if f.attname != "id"})
              for task in Task.objects.filter(application=app) for _ in range(COPIES - 1)]
    Task.objects.bulk_create(clones)
    return list(Task.objects.select_related("department", "matter").order_by("pk"))


def red_notes(task_ids) -> list[Notification]:
    return list(Notification.objects.filter(source_type="approvals.Task", source_id__in=task_ids, kind="red"))


def test_every_red_clock_of_a_big_sweep_gets_its_own_entry_named_in_its_own_notices(w, monkeypatch,
                                                                                    django_capture_on_commit_callbacks):
    tasks = many_tasks(w)
    three_day = [t for t in tasks if t.matter.promised_limit == 3]
    assert len(three_day) >= COPIES
    monkeypatch.setattr(sweeper, "PAGE", 10)  # several pages of candidates, each in batches of 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = sweeper.sweep(day(2026, 3, 6, 10), models_=[Task], batch=3, full=True)

    assert sorted(pk for c, _, pk in result.handled if c == "red") == [t.pk for t in three_day]
    entries = {e.clock_id: e for e in LedgerEntry.objects.filter(clock_type="approvals.Task")}
    assert sorted(entries) == [t.pk for t in three_day] and result.opened == len(three_day)
    for task in three_day:
        e = entries[task.pk]
        assert (e.department_id, e.due_at, e.state, e.episodes) == (task.department_id, task.due_at, LedgerState.OPEN, 1)
        assert e.responsible == w.heads[task.matter.name]  # unclaimed: the department head
        assert e.title == f"{task.matter.name} · {task.department.name}" and e.link.endswith(f"/{task.pk}")
    notes = red_notes(entries)
    assert len(notes) == 2 * len(three_day) == result.notifications  # the department head and the steward
    for n in notes:
        assert entries[n.source_id].number in n.body and n.project_id == w.project.pk
        assert n.recipient_id in {w.heads[entries[n.source_id].title.split(" · ")[0]].pk, w.steward.pk}
    mailed = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert mailed == sorted((n.recipient.email, n.title) for n in notes)


def test_a_second_episode_of_many_clocks_reuses_their_open_entries(w, monkeypatch):
    tasks = [t for t in many_tasks(w) if t.matter.promised_limit == 3]
    monkeypatch.setattr(sweeper, "PAGE", 10)
    sweeper.sweep(day(2026, 3, 6, 10), models_=[Task], batch=4, full=True)
    first = dict(LedgerEntry.objects.values_list("clock_id", "pk"))
    original, copies = tasks[0], tasks[1:]  # the first has the clock's event log
    head = w.heads[original.matter.name]
    # green again, then red again: a second episode, for the original and (its clock fields copied) half the copies
    original = clock.extend_clock(original, head, days=2, reason="专家评审延期", approver=head, at=day(2026, 3, 6, 12))
    again = [original, *copies[::2]]
    Task.objects.filter(pk__in=[t.pk for t in copies[::2]]).update(due_at=original.due_at, warn_at=original.warn_at)
    result = sweeper.sweep(day(2026, 3, 12, 10), models_=[Task], batch=4, full=True)

    ours = set(first)  # the 3-day tasks, red since 3-6 (tasks with longer limits turn red by 3-12 too)
    assert sorted(pk for c, _, pk in result.handled if c == "red" and pk in ours) == sorted(t.pk for t in again)
    assert result.reused == len(again)
    entries = LedgerEntry.objects.filter(clock_id__in=ours)
    assert dict(entries.values_list("clock_id", "pk")) == first
    assert dict(entries.values_list("clock_id", "episodes")) == {pk: 2 if pk in {t.pk for t in again} else 1
                                                                 for pk in first}
    assert dict(Watch.objects.filter(clock_id__in=ours, episodes=2).values_list("clock_id", "episodes")) == {
        t.pk: 2 for t in again}
    for n in red_notes([t.pk for t in again]):
        assert f"GZ{first[n.source_id]:06d}" in n.body
    assert len(red_notes([t.pk for t in again])) == 2 * 2 * len(again)
