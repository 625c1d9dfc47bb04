"""Projects: creation by each kind of creator, the land certificate (拿地), the stage, staff assignment."""
from __future__ import annotations

from datetime import date

import pytest

from onestop.audit.models import Event
from onestop.enterprises import actions
from onestop.enterprises.models import Project
from onestop.errors import Conflict, Forbidden, InvalidInput
from onestop.org.models import Role
from onestop.org.tests.builders import account_for


def events_of(project):
    return list(Event.objects.filter(chain__aggregate_type="enterprises.Project", chain__aggregate_id=str(project.pk))
                .order_by("seq").values_list("action", flat=True))


def new_project(w, **kw):
    return {"name": "泊里镇氢能装备配套项目", "place_id": w.places["village"].pk, "investment": "5000",
            "industry": "氢能", **kw}


def test_an_enterprise_creates_a_project_as_its_own_investor_with_a_generated_code(w, api):
    response = api(w.accounts[Role.ENTERPRISE]).post("/api/projects", new_project(w))
    assert response.status_code == 201, response.content
    created = Project.objects.get(pk=response.json()["id"])
    assert created.investor == w.enterprise and created.code.startswith("XM")
    assert events_of(created) == ["project.created"]


def test_an_enterprise_may_not_create_a_project_for_another_organisation(w, api):
    response = api(w.accounts[Role.ENTERPRISE]).post("/api/projects", new_project(w, investor_id=w.outside_enterprise.pk))
    assert response.status_code == 403 and "investor_id" in response.json()["fields"]
    assert Project.objects.count() == 2


def test_a_steward_who_creates_a_project_leads_it(w, api):
    response = api(w.accounts[Role.STEWARD]).post("/api/projects", new_project(w, investor_id=w.outside_enterprise.pk))
    assert response.status_code == 201
    assert response.json()["lead_steward"]["id"] == w.accounts[Role.STEWARD].pk


def test_a_clerk_cannot_name_an_investor_it_does_not_see(w, api):
    response = api(w.accounts[Role.WINDOW_CLERK]).post("/api/projects", new_project(w, investor_id=w.outside_enterprise.pk))
    assert response.status_code == 400 and list(response.json()["fields"]) == ["investor_id"]


@pytest.mark.parametrize(("change", "field"), [
    ({"place_id": 987654}, "place_id"), ({"investment": "-3"}, "investment"), ({"investment": "lots"}, "investment"),
    ({"name": ""}, "name"), ({"code": "P1", "_dup": True}, "code"),
])
def test_bad_project_input_is_refused_naming_the_field_and_nothing_is_written(w, api, change, field):
    if change.pop("_dup", False):
        change["code"] = w.project.code
    events = Event.objects.count()
    response = api(w.accounts[Role.ADMINISTRATOR]).post("/api/projects", new_project(w, investor_id=w.enterprise.pk, **change))
    assert response.status_code == 400 and field in response.json()["fields"], response.content
    assert Project.objects.count() == 2 and Event.objects.count() == events


def test_recording_the_land_certificate_sets_status_number_and_date(w, api):
    response = api(w.accounts[Role.STEWARD]).post(f"/api/projects/{w.project.pk}/land-certificate",
                                                  {"number": "鲁(2026)青岛市黄岛区不动产权第0000001号", "issued_on": "2026-07-01"})
    assert response.status_code == 200
    w.project.refresh_from_db()
    assert w.project.land_status == "certified" and w.project.land_certificate_on == date(2026, 7, 1)
    assert events_of(w.project) == ["project.land_certified"]


def test_a_second_land_certificate_is_a_conflict_with_the_current_state(w):
    clerk = w.accounts[Role.WINDOW_CLERK]
    actions.record_land_certificate(clerk, w.project.pk, number="A-1", issued_on=date(2026, 7, 1))
    with pytest.raises(Conflict) as refused:
        actions.record_land_certificate(clerk, w.project.pk, number="A-2", issued_on=date(2026, 7, 2))
    assert refused.value.state == "certified"
    w.project.refresh_from_db()
    assert w.project.land_certificate_no == "A-1" and events_of(w.project) == ["project.land_certified"]


def test_a_land_certificate_dated_in_the_future_is_refused(w):
    with pytest.raises(InvalidInput) as refused:
        actions.record_land_certificate(w.accounts[Role.ADMINISTRATOR], w.project.pk, number="X", issued_on=date(2999, 1, 1))
    assert "issued_on" in refused.value.fields and events_of(w.project) == []


def test_the_land_certified_signal_fires_inside_the_transaction(w):
    seen = []

    def listener(sender, project, actor, **kw):
        seen.append((project.pk, project.land_status, actor.pk))

    actions.land_certified.connect(listener)
    try:
        actions.record_land_certificate(w.accounts[Role.ADMINISTRATOR], w.project.pk, number="B-1", issued_on=date(2026, 1, 5))
    finally:
        actions.land_certified.disconnect(listener)
    assert seen == [(w.project.pk, "certified", w.accounts[Role.ADMINISTRATOR].pk)]


def test_landing_a_project_dates_it_and_moving_back_clears_the_date(w):
    steward = w.accounts[Role.STEWARD]
    landed = actions.set_project_stage(steward, w.project.pk, "landed", reason="投产")
    assert landed.landed_on is not None
    back = actions.set_project_stage(steward, w.project.pk, "construction", reason="纠正")
    assert back.landed_on is None
    assert events_of(w.project) == ["project.stage_set", "project.stage_set"]


def test_an_unknown_stage_is_refused(w, api):
    response = api(w.accounts[Role.STEWARD]).patch(f"/api/projects/{w.project.pk}", {"stage": "dreaming"})
    assert response.status_code == 400 and "stage" in response.json()["fields"]


def test_the_supervisor_assigns_the_lead_steward_and_a_coach(w, api):
    other = account_for(Role.STEWARD, w)
    coach = account_for(Role.COACH, w)
    response = api(w.accounts[Role.SUPERVISOR]).patch(f"/api/projects/{w.project.pk}",
                                                      {"lead_steward_id": other.pk, "coach_id": coach.pk})
    assert response.status_code == 200, response.content
    assert response.json()["lead_steward"]["id"] == other.pk and response.json()["coach"]["id"] == coach.pk
    assert events_of(w.project) == ["project.staff_assigned"]


def test_the_lead_steward_must_be_a_steward(w, api):
    response = api(w.accounts[Role.ADMINISTRATOR]).patch(f"/api/projects/{w.project.pk}",
                                                         {"lead_steward_id": w.accounts[Role.COACH].pk})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["lead_steward_id"]


def test_a_supervisor_of_another_town_does_not_see_the_project(w):
    outsider = account_for(Role.SUPERVISOR, w, place=w.places["other_town"])
    from onestop.errors import NotFound

    with pytest.raises(NotFound):
        actions.assign_project_staff(outsider, w.project.pk, lead_steward_id=None)


def test_a_patch_mixing_allowed_and_forbidden_parts_changes_nothing(w, api):
    response = api(w.accounts[Role.STEWARD]).patch(
        f"/api/projects/{w.project.pk}", {"investment": "8888", "stage": "approval", "lead_steward_id": None})
    assert response.status_code == 403 and "lead_steward_id" in response.json()["fields"]
    w.project.refresh_from_db()
    assert w.project.stage == "planning" and w.project.investment != 8888 and events_of(w.project) == []


def test_the_investor_edits_the_description_but_not_the_stage(w):
    enterprise = w.accounts[Role.ENTERPRISE]
    actions.update_project(enterprise, w.project.pk, {"description": "一期年产燃料电池系统1万套"})
    with pytest.raises(Forbidden):
        actions.update_project(enterprise, w.project.pk, {"stage": "approval"})
    assert events_of(w.project) == ["project.updated"]


def test_project_lists_filter_by_place_industry_stage_and_text(w, api):
    from onestop import testing

    testing.project(w.enterprise, w.places["village"], name="东泊里村冷库", industry="冷链物流", stage="construction")
    admin = api(w.accounts[Role.ADMINISTRATOR])
    names = lambda url: sorted(p["name"] for p in admin.get(url).json()["items"])  # noqa: E731
    assert names(f"/api/projects?place={w.places['town'].pk}") == ["东泊里村冷库", "青岛市氢能产业园"]
    assert names(f"/api/projects?place={w.places['grid'].pk}") == ["青岛市氢能产业园"]
    assert names("/api/projects?industry=冷链物流") == ["东泊里村冷库"]
    assert names("/api/projects?stage=construction") == ["东泊里村冷库"]
    assert names("/api/projects?q=氢能") == ["青岛市氢能产业园"]
    assert admin.get("/api/projects?place=777777").status_code == 400
