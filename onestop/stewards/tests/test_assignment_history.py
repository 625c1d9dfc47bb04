"""Assignment (指派): one lead mirrored on the project, helpers, reassignment keeps the history."""
import pytest

from onestop.audit.models import Event
from onestop.enterprises.models import Project
from onestop.org.models import Role
from onestop.stewards import actions
from onestop.stewards.models import Assignment
from onestop.stewards.tests.world import at
from onestop.testing import account

pytestmark = pytest.mark.django_db


def test_reassigning_the_lead_ends_the_old_row_and_updates_the_project(w, as_):
    project, first, second = w.projects[0], w.stewards[0], w.stewards[1]
    r = as_(w.supervisor).post(f"/api/stewards/projects/{project.pk}/lead", {"steward_id": second.pk, "reason": "调岗"},
                               content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["lead"]["id"] == second.pk
    assert [(h["steward"]["id"], h["role"], h["until"] is None) for h in body["history"]] == [
        (second.pk, "lead", True), (first.pk, "lead", False)]
    assert Project.objects.get(pk=project.pk).lead_steward_id == second.pk
    assert Event.objects.filter(action="stewards.lead_assigned", chain__aggregate_id=str(project.pk)).count() == 2
    assert Event.objects.filter(action="project.staff_assigned", chain__aggregate_id=str(project.pk)).exists()


def test_the_lead_on_a_day_comes_from_the_history(w):
    project, first, second = w.projects[0], w.stewards[0], w.stewards[1]
    actions.assign_lead(w.admin, project.pk, second.pk, at=at(2026, 10, 1))
    assert actions.lead_on(project, at(2026, 9, 15)) == first.pk
    assert actions.lead_on(project, at(2026, 10, 2)) == second.pk


def test_a_helper_promoted_to_lead_stops_being_a_helper(w):
    project, helper = w.projects[0], w.stewards[1]
    actions.add_helper(w.stewards[0], project.pk, helper.pk)
    actions.assign_lead(w.admin, project.pk, helper.pk)
    current = Assignment.objects.filter(project=project, until__isnull=True)
    assert [(a.steward_id, a.role) for a in current] == [(helper.pk, "lead")]


def test_a_lead_set_through_the_projects_api_is_taken_into_the_history(w):
    from onestop.enterprises.actions import assign_project_staff

    project, other = w.projects[0], w.stewards[1]
    assign_project_staff(w.admin, project.pk, lead_steward_id=other.pk)
    third = account(Role.STEWARD)
    actions.add_helper(w.admin, project.pk, third.pk)
    rows = Assignment.objects.filter(project=project).order_by("since", "id")
    assert [(a.steward_id, a.role, a.until is None) for a in rows] == [
        (w.stewards[0].pk, "lead", False), (other.pk, "lead", True), (third.pk, "helper", True)]


@pytest.mark.parametrize("who,status", [("steward", 403), ("enterprise", 403), ("outsider", 404),
                                        ("outsider_supervisor", 404)])
def test_only_an_administrator_or_the_areas_supervisor_assigns_the_lead(w, as_, who, status):
    actor = {"steward": w.stewards[0], "enterprise": w.users[0], "outsider": w.outsider,
             "outsider_supervisor": w.outsider_supervisor}[who]
    before = Assignment.objects.count(), Event.objects.count()
    r = as_(actor).post(f"/api/stewards/projects/{w.projects[0].pk}/lead", {"steward_id": w.stewards[1].pk},
                        content_type="application/json")
    assert r.status_code == status
    assert (Assignment.objects.count(), Event.objects.count()) == before


def test_a_non_steward_cannot_be_made_lead(w, as_):
    r = as_(w.admin).post(f"/api/stewards/projects/{w.projects[0].pk}/lead", {"steward_id": w.approver.pk},
                          content_type="application/json")
    assert r.status_code == 400 and "steward_id" in r.json()["fields"]
