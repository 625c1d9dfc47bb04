"""A project shows one light everywhere: the steward's desk, workspace and home page use
`lights.queries.project_light`, the same as the lights API, so a red task reddens the project even when its
application's own clock and its plan are green."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from onestop.approvals import actions as approvals
from onestop.approvals.builders import build, required_ids
from onestop.org.models import Role
from onestop import testing
from onestop.stewards import actions, plan_actions
from onestop.worktime import actions as clock
from onestop.worktime.clock import light

pytestmark = pytest.mark.django_db


def test_a_red_task_and_a_green_milestone_make_the_project_red_on_the_desk_and_in_the_lights_api(client):
    w = build("PL", stages=(("立项", [("企业投资项目备案", 3, 5)]),))
    steward = testing.account(Role.STEWARD)
    actions.assign_lead(w.admin, w.project.pk, steward.pk)
    now = timezone.now()
    app = approvals.submit_application(w.enterprise_user, stage_id=w.stages[0].pk, project_id=w.project.pk,
                                       at=now - timedelta(days=60))
    app = approvals.accept_application(w.clerk, app.pk, provided=required_ids(app), at=now - timedelta(days=60))
    clock.extend_clock(app, w.clerk, days=200, reason="专家评审", approver=w.admin, at=now - timedelta(days=59))
    app.refresh_from_db()
    today = timezone.localdate(now)
    m = plan_actions.add_milestone(steward, w.project.pk, name="开工准备", planned_start=today,
                                   planned_end=today + timedelta(days=90))
    task = app.tasks.get()
    assert (light(task, now), light(app, now), light(m, now)) == ("red", "green", "green")

    client.force_login(steward)
    desk = client.get("/stewards/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", desk[desk.index('data-testid="my-projects"'):], re.S)
    row = next(r for r in rows if f'href="/stewards/projects/{w.project.pk}/"' in r)
    assert 'class="light red"' in row
    workspace = client.get(f"/stewards/projects/{w.project.pk}/").content.decode()
    assert 'class="light red"' in workspace
    home = client.get("/").content.decode()  # the steward's home page: its projects with their lights
    link = f'<a href="/stewards/projects/{w.project.pk}/">'
    assert re.search(r'<li><span class="light light-red"[^>]*></span>' + re.escape(link), home)
    assert client.get(f"/api/lights/projects/{w.project.pk}/light").json()["light"] == "red"
    assert client.get("/api/stewards/projects").json()[0]["light"] == "red"
