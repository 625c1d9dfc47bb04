"""The header: platform name, the account's name and role, and the links each role gets."""
from __future__ import annotations

import pytest

from onestop.org.models import Role
from onestop.web.roles import navigation
from onestop.web.tests.world import PASSWORD, build_world


@pytest.fixture
def world(places):
    return build_world(places)


def _links(account, path: str = "/") -> dict[str, bool]:
    return {item.path: item.active for item in navigation(account, path)}


def test_staff_get_catalogue_enterprises_and_projects(world):
    for role in (Role.WINDOW_CLERK, Role.APPROVER, Role.STEWARD, Role.SUPERVISOR, Role.COMMISSIONER):
        assert list(_links(world[role])) == ["/", "/catalog/", "/enterprises/", "/enterprises/projects/"], role


def test_administrator_also_gets_the_admin_site(world):
    assert "/admin/" in _links(world[Role.ADMINISTRATOR])


def test_applicants_get_only_what_concerns_them(world):
    assert list(_links(world[Role.RESIDENT])) == ["/", "/catalog/"]
    assert list(_links(world[Role.ENTERPRISE])) == ["/", "/catalog/", "/enterprises/projects/"]


def test_the_longest_matching_link_is_active(world):
    clerk = world[Role.WINDOW_CLERK]
    assert [p for p, on in _links(clerk, "/enterprises/projects/7/").items() if on] == ["/enterprises/projects/"]
    assert [p for p, on in _links(clerk, "/enterprises/12/").items() if on] == ["/enterprises/"]
    assert [p for p, on in _links(clerk, "/").items() if on] == ["/"]
    assert not any(_links(clerk, "/i18n/").values())


def test_header_shows_platform_name_user_and_role(client, world):
    client.login(username=Role.WINDOW_CLERK, password=PASSWORD)
    page = client.get("/").content.decode()
    assert '项目落地"一件事"服务平台' in page
    assert "王丽" in page and "综合窗口受理员" in page
    assert '<a href="/" aria-current="page">首页</a>' in page
    assert 'href="/catalog/"' in page


def test_layout_serves_its_own_stylesheet_and_htmx(client, world):
    client.login(username=Role.RESIDENT, password=PASSWORD)
    page = client.get("/").content.decode()
    assert 'href="/static/web/onestop.css"' in page
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "http://" not in page and "https://" not in page  # nothing from the network
