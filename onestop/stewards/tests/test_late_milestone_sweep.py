"""A milestone that passes its deadline unfinished is handled by the light sweep of `onestop worker`, like any
clock turning red: one notice per episode to its department head and every steward of the project (the lead
and the helpers assigned now), one ledger entry; a second sweep notifies no one again, an extension that
moves the deadline starts a new episode."""
from datetime import date

import pytest
from django.core import mail

from onestop.lights.models import LedgerEntry, Notification
from onestop.lights.sweep import sweep
from onestop.org.models import Role
from onestop.stewards import actions, plan_actions
from onestop.stewards.tests.world import at
from onestop.testing import account
from onestop.worktime import actions as clock

pytestmark = pytest.mark.django_db


def red_notes(m) -> list[int]:
    return sorted(Notification.objects.filter(kind="red", source_type="stewards.Milestone", source_id=m.pk)
                  .values_list("recipient_id", flat=True))


def late_milestone(w):
    """Project 1 led by steward 1 with steward 2 helping; a third steward helped and was withdrawn."""
    project = w.projects[0]
    actions.add_helper(w.admin, project.pk, w.stewards[1].pk)
    gone = account(Role.STEWARD, display_name="前协办管家")
    actions.add_helper(w.admin, project.pk, gone.pk)
    actions.remove_helper(w.admin, project.pk, gone.pk)
    m = plan_actions.add_milestone(w.stewards[0], project.pk, name="规划许可", planned_start=date(2026, 10, 12),
                                   planned_end=date(2026, 10, 16))  # due 10-17 00:00
    return m, gone


def test_a_late_milestone_notifies_the_lead_and_every_assigned_steward_once_per_episode(w):
    m, gone = late_milestone(w)
    lead, helper = w.stewards[0], w.stewards[1]

    sweep(at(2026, 10, 16, 20))
    assert red_notes(m) == []
    result = sweep(at(2026, 10, 17, 9))
    assert ("red", "stewards.Milestone", m.pk) in result.handled
    assert red_notes(m) == sorted([lead.pk, helper.pk])  # not the withdrawn helper
    assert gone.pk not in red_notes(m)
    assert not Notification.objects.filter(kind="milestone_late").exists()  # the old second notice is gone

    assert ("red", "stewards.Milestone", m.pk) not in sweep(at(2026, 10, 17, 10)).handled
    sweep(at(2026, 10, 18, 9), full=True)
    assert red_notes(m) == sorted([lead.pk, helper.pk])  # still one notice each

    clock.extend_clock(m, lead, days=5, reason="等待专家评审", approver=w.supervisor, at=at(2026, 10, 18))
    sweep(at(2026, 10, 19, 9))
    assert len(red_notes(m)) == 2
    sweep(at(2026, 10, 23, 9))  # the new deadline passed: a new episode, each notified again
    assert red_notes(m) == sorted([lead.pk, lead.pk, helper.pk, helper.pk])
    entry = LedgerEntry.objects.get(clock_type="stewards.Milestone", clock_id=m.pk)
    assert (entry.project, entry.episodes) == (w.projects[0], 2)


def test_a_late_milestone_of_a_department_notifies_its_head_and_the_stewards_each_once(w):
    head = account(Role.DEPARTMENT_HEAD, department=w.department)
    actions.add_helper(w.admin, w.projects[0].pk, w.stewards[1].pk)
    # the lead is also added as owner: still one notice for them
    m = plan_actions.add_milestone(w.stewards[0], w.projects[0].pk, name="施工许可", planned_start=date(2026, 10, 12),
                                   planned_end=date(2026, 10, 16), department_id=w.department.pk,
                                   owner_id=w.stewards[0].pk)
    sweep(at(2026, 10, 17, 9))
    assert red_notes(m) == sorted([head.pk, w.stewards[0].pk, w.stewards[1].pk])


def test_the_red_notice_of_a_milestone_is_in_the_inbox_e_mailed_and_its_link_opens_for_every_steward(
        w, as_, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    m, _ = late_milestone(w)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        sweep(at(2026, 10, 17, 9))
    notes = Notification.objects.filter(kind="red", source_type="stewards.Milestone", source_id=m.pk)
    assert {n.project_id for n in notes} == {w.projects[0].pk}
    assert {n.link for n in notes} == {f"/lights/items/stewards.Milestone/{m.pk}"}
    assert sorted(x.to[0] for x in mail.outbox if "规划许可" in x.subject) == sorted(
        [w.stewards[0].email, w.stewards[1].email])
    for steward in w.stewards[:2]:  # the lead and the helper assigned now
        page = as_(steward).get(notes[0].link)
        assert page.status_code == 200 and "规划许可" in page.content.decode()
    assert as_(account(Role.STEWARD)).get(notes[0].link).status_code == 404  # a steward of another project
