"""Each role's home page, rendered on the server: what that role works on, in Chinese, English by the switch."""
from __future__ import annotations

import pytest
from django.conf import settings

from onestop import testing
from onestop.catalog.models import HandlingLevel, Matter, MatterSource
from onestop.org.models import CentreLevel, Role
from onestop.web.queries import home_for, matters_handled_at
from onestop.web.tests.world import CASES, PASSWORD, HomeCase, build_world


@pytest.fixture
def world(places):
    return build_world(places)


def _home(client, username: str, language: str | None = None) -> str:
    assert client.login(username=username, password=PASSWORD)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=[c.role for c in CASES])
def test_role_home_shows_what_the_role_works_on_in_chinese(client, world, case: HomeCase):
    page = _home(client, case.role)
    for text in case.zh:
        assert text in page, f"{case.role}: {text!r} missing"
    for text in case.absent:
        assert text not in page, f"{case.role}: {text!r} belongs to someone else"
    assert world[case.role].display_name in page


@pytest.mark.parametrize("case", CASES, ids=[c.role for c in CASES])
def test_role_home_is_english_when_english_is_chosen(client, world, case: HomeCase):
    page = _home(client, case.role, language="en")
    assert '<html lang="en">' in page
    for text in case.en:
        assert text in page, f"{case.role}: {text!r} missing"
    assert "工作台" not in page


def test_department_home_lists_only_its_departments_matters_with_limits(client, world):
    page = _home(client, Role.APPROVER)
    assert "企业投资项目备案" in page and "BL-001" in page
    assert "1个工作日" in page and "5个工作日" in page  # promised and legal limit
    assert "常驻" in page  # hall role of the department


def test_commissioner_sees_only_current_assignments(world):
    home = home_for(world[Role.COMMISSIONER])
    assert [e.name for e in home["enterprises"]] == ["海格尔科技(青岛)有限公司"]
    assert home["enterprise_count"] == 1


def test_area_counts_cover_the_subtree_only(world, places):
    home = home_for(world[Role.SUPERVISOR])
    assert home["area"] == places["town"]
    assert {c["kind"]: c["n"] for c in home["place_counts"]} == {"community": 1, "village": 1, "grid": 1}
    assert home["project_count"] == 1  # the project in 大场镇 is outside
    assert home["enterprise_count"] == 2
    grid_home = home_for(world[Role.GRID_WORKER])
    assert grid_home["place_counts"] == [] and grid_home["project_count"] == 0


def test_administrator_home_shows_the_public_summary(client, world):
    home = home_for(world[Role.ADMINISTRATOR])
    assert home["summary"]["projects"] == 2 and home["summary"]["matters"] == 2
    assert home["summary"]["places"]["town"] == 2
    page = _home(client, Role.ADMINISTRATOR)
    assert 'href="/admin/"' in page


def test_organisation_home_shows_projects_as_investor_or_project_company(world, places):
    org = world[Role.ENTERPRISE].organisation
    other = testing.enterprise(name="另一投资方有限公司")
    testing.project(other, places["village"], name="合资项目", company=org)
    names = {p.name for p in home_for(world[Role.ENTERPRISE])["projects"]}
    assert names == {"青岛市氢能产业园", "合资项目"}


def test_a_centre_takes_matters_whose_lowest_level_is_its_own_or_below(world, places):
    dept = testing.department(places["district"])
    Matter.objects.create(code="QX-1", name="区级事项", department=dept, legal_limit=20, promised_limit=10,
                          lowest_level=HandlingLevel.DISTRICT, source=MatterSource.OWN)
    codes = lambda level: set(matters_handled_at(level).values_list("code", flat=True))  # noqa: E731
    assert codes(CentreLevel.DISTRICT) == {"QX-1", "BL-001", "BL-V01"}
    assert codes(CentreLevel.TOWN) == {"BL-001", "BL-V01"}
    assert codes(CentreLevel.VILLAGE) == {"BL-V01"}


def test_an_account_missing_its_attachment_gets_a_clear_notice(client, places):
    """A department role without a department (possible only for an unchecked superuser) is told so."""
    testing.account(Role.RESIDENT, username="odd")
    from onestop.org.models import Account

    Account.objects.filter(username="odd").update(role=Role.APPROVER)
    page = _home(client, "odd")
    assert "您的账号尚未关联部门，请联系系统管理员。" in page


def test_home_lists_link_to_the_detail_pages(client, world):
    project = world[Role.STEWARD].led_projects.get()
    assert f'href="/enterprises/projects/{project.pk}/"' in _home(client, Role.STEWARD)
    client.logout()
    assert 'href="/catalog/matters/BL-001/"' in _home(client, Role.APPROVER)
    client.logout()
    enterprise = world[Role.ENTERPRISE].organisation
    assert f'href="/enterprises/{enterprise.pk}/"' in _home(client, Role.COMMISSIONER)


def test_limits_are_shown_in_their_own_unit(client, world):
    Matter.objects.filter(code="BL-001").update(limit_unit="natural", legal_limit=20, promised_limit=10)
    page = _home(client, Role.APPROVER)
    assert "10个自然日" in page and "20个自然日" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "10 natural days" in page and "20 natural days" in page
