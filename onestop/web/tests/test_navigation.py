"""The header: platform name, the account's name and role, the links each role gets, and the inbox count."""
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


@pytest.mark.parametrize("role", Role.values)
def test_every_link_of_every_role_opens_for_that_role(client, world, role):
    assert client.login(username=role, password=PASSWORD)
    links = _links(world[role])
    assert len(links) >= 3, f"{role} gets only {list(links)}"
    for path in links:
        response = client.get(path, follow=True)
        assert response.status_code == 200, f"{role}: {path} answers {response.status_code}"
        assert "/login/" not in response.request["PATH_INFO"], f"{role}: {path} sends it to the login page"


def test_each_role_gets_the_pages_it_works_on(world):
    expected = {
        Role.WINDOW_CLERK: ["/approvals/apply/", "/approvals/", "/worktime/deadline", "/seals/verify"],
        Role.APPROVER: ["/approvals/queue/", "/approvals/"],
        Role.DEPARTMENT_HEAD: ["/approvals/queue/", "/lights/ledger"],
        Role.STEWARD: ["/stewards/"],
        Role.COACH: ["/stewards/"],
        Role.SUPERVISOR: ["/lights/", "/lights/ledger", "/feedback/supervision/", "/feedback/stars/",
                          "/outreach/overview/", "/stats/"],
        Role.HELP_AGENT: ["/outreach/queue/"],
        Role.GRID_WORKER: ["/outreach/queue/"],
        Role.COMMISSIONER: ["/outreach/enterprises/"],
        Role.ADMINISTRATOR: ["/admin/", "/worktime/calendar/", "/admin/seals/seal/", "/stats/"],
        Role.ENTERPRISE: ["/approvals/apply/", "/approvals/", "/feedback/"],
        Role.EMPLOYER_UNIT: ["/approvals/apply/", "/approvals/", "/feedback/"],
        Role.RESIDENT: ["/approvals/apply/", "/approvals/", "/feedback/"],
    }
    for role, paths in expected.items():
        links = _links(world[role])
        assert set(paths) <= set(links), f"{role}: {sorted(set(paths) - set(links))} missing"


def test_links_a_role_cannot_open_are_not_shown(world):
    assert "/admin/" not in _links(world[Role.SUPERVISOR])
    assert "/lights/" not in _links(world[Role.RESIDENT])
    assert "/approvals/queue/" not in _links(world[Role.WINDOW_CLERK])
    assert "/feedback/stars/" not in _links(world[Role.HELP_AGENT])
    assert "/lights/ledger" not in _links(world[Role.APPROVER])
    assert "/enterprises/" not in _links(world[Role.RESIDENT])
    assert "/stats/" not in _links(world[Role.WINDOW_CLERK])


def test_the_longest_matching_link_is_active(world):
    clerk = world[Role.WINDOW_CLERK]
    assert [p for p, on in _links(clerk, "/approvals/apply/").items() if on] == ["/approvals/apply/"]
    assert [p for p, on in _links(clerk, "/approvals/12/").items() if on] == ["/approvals/"]
    assert [p for p, on in _links(clerk, "/").items() if on] == ["/"]
    assert not any(_links(clerk, "/i18n/").values())
    supervisor = world[Role.SUPERVISOR]
    assert [p for p, on in _links(supervisor, "/lights/").items() if on] == ["/lights/"]
    assert not any(_links(supervisor, "/lights/inbox").values())  # the header's 消息, not the board


def test_header_shows_platform_name_user_and_role(client, world):
    client.login(username=Role.WINDOW_CLERK, password=PASSWORD)
    page = client.get("/").content.decode()
    assert '项目落地"一件事"服务平台' in page
    assert "王丽" in page and "综合窗口受理员" in page
    assert '<a href="/" aria-current="page">首页</a>' in page
    assert 'href="/catalog/"' in page and 'href="/approvals/apply/"' in page


def test_layout_serves_its_own_stylesheet_and_htmx(client, world):
    client.login(username=Role.RESIDENT, password=PASSWORD)
    page = client.get("/").content.decode()
    assert 'href="/static/web/onestop.css"' in page
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "http://" not in page and "https://" not in page  # nothing from the network


def test_admin_site_links_only_for_accounts_the_admin_site_lets_in(world):
    from onestop import testing

    plain = testing.account(Role.ADMINISTRATOR)
    assert "/admin/" not in _links(plain) and "/admin/seals/seal/" not in _links(plain)
    staff = testing.account(Role.ADMINISTRATOR, is_staff=True)
    assert "/admin/" in _links(staff) and "/admin/seals/seal/" not in _links(staff)


def test_header_counts_unread_messages_and_links_the_inbox(client, world):
    from django.utils import timezone

    from onestop.lights.actions import notify
    from onestop.lights.models import Notification as Message

    steward, now = world[Role.STEWARD], timezone.now()
    client.login(username=Role.STEWARD, password=PASSWORD)
    page = client.get("/").content.decode()
    assert 'href="/lights/inbox"' in page and 'data-unread' not in page and 'steward-notices' not in page

    Message.objects.create(recipient=steward, title="审批即将超时", created_at=now)
    Message.objects.create(recipient=steward, title="已读", created_at=now, read_at=now)
    Message.objects.create(recipient=world[Role.COACH], title="别人的", created_at=now)
    notify([steward], "mention", "提到了您")  # a steward's reminder is a notice of the same, one inbox
    notify([steward], "mention", "又提到了您")
    page = client.get("/").content.decode()
    assert 'data-unread="3"' in page and 'steward-notices' not in page
    assert client.get("/lights/inbox").status_code == 200


def test_batch_sealing_is_offered_to_whoever_may_use_a_seal(client, world, settings, tmp_path):
    from onestop.seals import actions as seals

    settings.SEALS_DIR = str(tmp_path / "seals")
    clerk = world[Role.WINDOW_CLERK]
    assert "/seals/batches/new" not in _links(clerk)  # no grant on any seal yet
    seal = seals.create_seal(world[Role.ADMINISTRATOR], kind="official", department=world[Role.APPROVER].department_id)
    seals.grant_use(world[Role.ADMINISTRATOR], seal.pk, clerk.pk)
    assert "/seals/batches/new" in _links(clerk)
    assert client.login(username=Role.WINDOW_CLERK, password=PASSWORD)
    assert client.get("/seals/batches/new").status_code == 200
