"""A milestone that passes its deadline unfinished notifies the project's stewards, once per episode."""
from datetime import date

import pytest

from onestop.audit.models import Event
from onestop.stewards import actions, plan_actions
from onestop.lights.models import Notification
from onestop.stewards.sweeps import late_milestones
from onestop.stewards.tests.world import at
from onestop.worktime import actions as clock

pytestmark = pytest.mark.django_db


def test_a_late_milestone_notifies_its_stewards_once_and_again_after_an_extension(w):
    actions.add_helper(w.admin, w.projects[0].pk, w.stewards[1].pk)
    m = plan_actions.add_milestone(w.stewards[0], w.projects[0].pk, name="规划许可", planned_start=date(2026, 10, 12),
                                   planned_end=date(2026, 10, 16))
    assert late_milestones(at(2026, 10, 16, 20)) == 0  # due at 10-17 00:00
    assert late_milestones(at(2026, 10, 17, 9)) == 1
    assert late_milestones(at(2026, 10, 18, 9)) == 0
    late = Notification.objects.filter(kind="milestone_late")
    assert sorted(late.values_list("recipient_id", flat=True)) == sorted([w.stewards[0].pk, w.stewards[1].pk])
    clock.extend_clock(m, w.stewards[0], days=5, reason="等待专家评审", approver=w.supervisor, at=at(2026, 10, 18))
    assert late_milestones(at(2026, 10, 19, 9)) == 0
    assert late_milestones(at(2026, 10, 23, 9)) == 1  # the new deadline passed: a new episode
    assert Event.objects.filter(action="stewards.milestone_late").count() == 2
