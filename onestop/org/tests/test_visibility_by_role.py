"""Who sees which enterprises and projects (onestop.org.access), beyond the representative matrix."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from onestop import testing
from onestop.enterprises.models import CommissionerAssignment
from onestop.org import access
from onestop.org.models import Role
from onestop.org.tests.builders import account_for, world


def names(qs):
    return sorted(x.name for x in qs)


def test_administrator_sees_everything(places):
    w = world(places)
    admin = w.accounts[Role.ADMINISTRATOR]
    assert access.visible_enterprises(admin).count() == 3
    assert access.visible_projects(admin).count() == 2


def test_a_superuser_without_the_admin_role_sees_everything(places):
    w = world(places)
    boss = account_for(Role.RESIDENT, w, is_superuser=True)
    assert access.visible_projects(boss).count() == 2


def test_the_resident_and_anonymous_see_nothing(places):
    from django.contrib.auth.models import AnonymousUser

    w = world(places)
    for who in (w.accounts[Role.RESIDENT], AnonymousUser(), None):
        assert not access.visible_enterprises(who).exists() and not access.visible_projects(who).exists()


def test_an_inactive_account_sees_nothing(places):
    w = world(places)
    admin = w.accounts[Role.ADMINISTRATOR]
    admin.is_active = False
    assert not access.visible_projects(admin).exists()


def test_an_organisation_sees_projects_where_it_is_investor_or_company(places):
    w = world(places)
    joint = testing.project(w.outside_enterprise, places["other_town"], name="合资项目", company=w.enterprise)
    assert names(access.visible_projects(w.accounts[Role.ENTERPRISE])) == sorted(["青岛市氢能产业园", joint.name])
    assert names(access.visible_enterprises(w.accounts[Role.ENTERPRISE])) == ["青岛海之晨工业装备有限公司"]


def test_a_commissioner_stops_seeing_an_enterprise_when_the_assignment_ends(places):
    w = world(places)
    commissioner = w.accounts[Role.COMMISSIONER]
    assert access.visible_enterprises(commissioner).count() == 1
    today = timezone.localdate()
    CommissionerAssignment.objects.filter(commissioner=commissioner).update(until=today)
    assert access.visible_enterprises(commissioner).count() == 1, "the last day still counts"
    CommissionerAssignment.objects.filter(commissioner=commissioner).update(until=today - timedelta(days=1))
    assert not access.visible_enterprises(commissioner).exists()
    assert not access.visible_projects(commissioner).exists()


def test_stewards_and_coaches_see_their_projects_and_those_projects_enterprises(places):
    w = world(places)
    testing.project(w.outside_enterprise, places["other_town"], name="另一个项目")
    for role in (Role.STEWARD, Role.COACH):
        who = w.accounts[role]
        assert names(access.visible_projects(who)) == ["青岛市氢能产业园"]
        assert names(access.visible_enterprises(who)) == ["青岛海之晨工业装备有限公司"]


def test_area_roles_see_their_subtree_and_the_investors_of_projects_there(places):
    w = world(places)
    testing.project(w.outside_enterprise, places["village"], name="大场企业在泊里的项目")
    clerk = w.accounts[Role.WINDOW_CLERK]
    assert names(access.visible_projects(clerk)) == ["大场企业在泊里的项目", "青岛市氢能产业园"]
    assert "大场镇某食品有限公司" in names(access.visible_enterprises(clerk))
    assert "大场镇中心小学" not in names(access.visible_enterprises(clerk))
    grid_worker = w.accounts[Role.GRID_WORKER]
    assert names(access.visible_projects(grid_worker)) == ["青岛市氢能产业园"]


def test_a_district_level_centre_covers_every_town(places):
    w = world(places)
    district_centre = testing.service_centre(places["district"], level="district", name="西海岸新区行政服务中心")
    clerk = account_for(Role.WINDOW_CLERK, w, service_centre=district_centre)
    assert access.visible_projects(clerk).count() == 2
    assert access.visible_enterprises(clerk).count() == 3


def test_department_staff_see_their_departments_area(places):
    w = world(places)
    other_dept = testing.department(places["other_town"])
    approver = account_for(Role.APPROVER, w, department=other_dept)
    assert names(access.visible_projects(approver)) == ["大场镇冷链仓储项目"]


def test_enterprise_list_filters(places, client):
    w = world(places)
    client.force_login(w.accounts[Role.ADMINISTRATOR])

    def listed(query):
        return sorted(e["name"] for e in client.get(f"/api/enterprises?{query}").json()["items"])

    assert listed(f"place={places['town'].pk}") == ["青岛海之晨工业装备有限公司"]
    assert listed("kind=employer_unit") == ["大场镇中心小学"]
    assert listed("industry=食品加工") == ["大场镇某食品有限公司"]
    assert listed("q=海之晨") == ["青岛海之晨工业装备有限公司"]
    assert listed(f"q={w.enterprise.credit_code.lower()}") == ["青岛海之晨工业装备有限公司"]
    assert client.get("/api/enterprises?kind=alien").status_code == 400
    page = client.get("/api/enterprises?limit=2&offset=0").json()
    assert page["count"] == 3 and len(page["items"]) == 2




def test_a_helper_steward_sees_the_project_while_assigned(places):
    from onestop.stewards.actions import add_helper, remove_helper

    w = world(places)
    helper = account_for(Role.STEWARD, w)
    assert not access.visible_projects(helper).exists()
    add_helper(w.accounts[Role.ADMINISTRATOR], w.project.pk, helper.pk)
    assert names(access.visible_projects(helper)) == [w.project.name]
    assert w.enterprise.name in names(access.visible_enterprises(helper))
    remove_helper(w.accounts[Role.ADMINISTRATOR], w.project.pk, helper.pk)
    assert not access.visible_projects(helper).exists()
