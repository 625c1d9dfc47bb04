"""A red task notifies its department head and "the project's steward" (DESIGN.md, Lights): the lead steward
and every steward assigned to the project now, each once per episode; lights finds the assigned ones through
the source the stewards app registers (`subjects.register_steward_source`), without importing stewards."""
from onestop.approvals.models import Task
from onestop.lights import subjects
from onestop.lights.models import Notification
from onestop.lights.sweep import sweep
from onestop.org.models import Role
from onestop import testing as t

from .conftest import accepted_stage, day

TASK = "企业投资项目备案"  # 3 working days promised: accepted Monday 3-2, red on 3-5


def red_notes(task) -> list[int]:
    return sorted(Notification.objects.filter(source_type="approvals.Task", source_id=task.pk, kind="red")
                  .values_list("recipient_id", flat=True))


def test_a_red_task_notifies_its_head_the_lead_and_each_assigned_steward_once(w):
    from onestop.stewards import actions as stewards

    helper, gone = t.account(Role.STEWARD), t.account(Role.STEWARD)
    admin = t.account(Role.ADMINISTRATOR)
    stewards.add_helper(admin, w.project.pk, helper.pk, at=day(2026, 3, 1))
    stewards.add_helper(admin, w.project.pk, gone.pk, at=day(2026, 3, 1))
    stewards.remove_helper(admin, w.project.pk, gone.pk, at=day(2026, 3, 1, 10))
    task = Task.objects.get(application=accepted_stage(w), matter__name=TASK)

    sweep(day(2026, 3, 10, 10))
    assert red_notes(task) == sorted([w.heads[TASK].pk, w.steward.pk, helper.pk])
    sweep(day(2026, 3, 10, 11))
    sweep(day(2026, 3, 11, 11), full=True)
    assert red_notes(task) == sorted([w.heads[TASK].pk, w.steward.pk, helper.pk])


def test_project_stewards_puts_the_lead_first_and_names_each_steward_once(w):
    from onestop.stewards import actions as stewards

    helper = t.account(Role.STEWARD)
    stewards.add_helper(t.account(Role.ADMINISTRATOR), w.project.pk, helper.pk, at=day(2026, 3, 1))
    assert subjects.project_stewards([w.project.pk]) == {w.project.pk: [w.steward.pk, helper.pk]}
    assert subjects.project_stewards([]) == {}
