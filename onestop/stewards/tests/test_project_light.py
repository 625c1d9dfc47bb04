"""A project's light (lights.queries.project_light, the same on every page) is the worst of its open
milestones' and open applications' clocks: a finished milestone no longer counts."""
from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from onestop.stewards import plan_actions
from onestop.lights.queries import project_light
from onestop.stewards.tests.world import at
from onestop.worktime import actions as clock

pytestmark = pytest.mark.django_db


def test_a_late_application_reddens_a_project_whose_milestones_are_on_time(w):
    m = plan_actions.add_milestone(w.stewards[0], w.projects[0].pk, name="立项", planned_start=date(2026, 10, 12),
                                   planned_end=date(2026, 10, 30))
    assert project_light(w.projects[0], at(2026, 10, 13)) == "green"
    plan_actions.record_progress(w.stewards[0], m.pk, actual_end=date(2026, 10, 14))
    assert project_light(w.projects[0], at(2026, 11, 2)) is None  # nothing open
    try:
        Application = apps.get_model("approvals", "Application")
    except LookupError:
        pytest.skip("no approvals app")
    from onestop.catalog.models import Matter

    matter = Matter.objects.create(code="PL-1", name="施工许可", department=w.department, legal_limit=15,
                                   promised_limit=3, lowest_level="town", source="delegated")
    app = Application.objects.create(matter=matter, channel="window", applicant=w.enterprises[0], created_by=w.admin,
                                     project=w.projects[0], submitted_at=timezone.now())
    clock.start_clock(app, w.admin, limit_days=3, at=at(2026, 10, 19))
    assert project_light(w.projects[0], at(2026, 11, 2)) == "red"
