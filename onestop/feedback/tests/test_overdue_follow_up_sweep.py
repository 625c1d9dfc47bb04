"""A bad-rating follow-up unanswered at its deadline notifies the stewards and the area's supervisor, once;
answered in time, nobody is notified."""
import pytest

from onestop.feedback import actions
from onestop.feedback.sweeps import overdue_follow_ups
from onestop.lights.models import Notification
from onestop.stewards.tests.world import at

pytestmark = pytest.mark.django_db


def test_an_unanswered_follow_up_notifies_once_at_its_deadline(w, service, settings):
    settings.FEEDBACK_FOLLOWUP_WORKING_DAYS = 2
    late = actions.rate_service(w.users[0], service(0).pk, level="dissatisfied", comment="慢", at=at(2026, 10, 12))
    ok = actions.rate_service(w.users[1], service(1).pk, level="dissatisfied", comment="慢", at=at(2026, 10, 12))
    actions.answer_follow_up(w.stewards[1], ok.follow_up.pk, kind="explained", answer="已说明", at=at(2026, 10, 13))
    assert overdue_follow_ups(at(2026, 10, 14, 20)) == 0  # due 10-15 00:00
    assert overdue_follow_ups(at(2026, 10, 15, 9)) == 1
    assert overdue_follow_ups(at(2026, 10, 16, 9)) == 0
    notified = sorted(Notification.objects.filter(kind="follow_up_overdue").values_list("recipient_id", flat=True))
    assert notified == sorted([w.stewards[0].pk, w.supervisor.pk])
    assert late.follow_up.pk != ok.follow_up.pk
