"""What waits for each role on its home (待办), read through the apps that own the work."""
from __future__ import annotations

import pytest

from onestop.org.models import Role
from onestop.web.tests.world import PASSWORD, WAITING, add_work, build_world
from onestop.web.waiting import waiting_for


@pytest.fixture
def world(places):
    accounts = build_world(places)
    add_work(accounts, places)
    return accounts


@pytest.mark.parametrize("role", list(WAITING), ids=list(WAITING))
def test_home_lists_what_waits_for_the_role(client, world, role):
    assert client.login(username=role, password=PASSWORD)
    page = client.get("/").content.decode()
    for text in WAITING[role]:
        assert text in page, f"{role}: {text!r} missing"


def test_counts_are_those_of_the_owning_apps(world):
    counts = {role: {p.key: p.count for p in waiting_for(world[role])} for role in world}
    assert counts[Role.WINDOW_CLERK] == {"intake": 1}
    assert counts[Role.APPROVER] == {"queue": 1}
    assert counts[Role.DEPARTMENT_HEAD] == {"queue": 1, "ledger": 2}  # the task and the application went red
    assert counts[Role.SUPERVISOR] == {"ledger": 2, "comments": 0}
    assert counts[Role.GRID_WORKER] == {"help": 1}
    assert counts[Role.HELP_AGENT] == {"help": 0}
    assert counts[Role.COMMISSIONER] == {"demands": 1}
    assert counts[Role.ENTERPRISE] == {"applications": 2}
    assert counts[Role.EMPLOYER_UNIT] == {"applications": 0}
    assert counts[Role.COACH] == {}  # coaches no project as its steward


def test_a_late_task_shows_red_and_links_its_page(client, world):
    client.login(username=Role.APPROVER, password=PASSWORD)
    page = client.get("/").content.decode()
    section = page[page.index('data-testid="waiting-queue"'):]
    assert 'class="light light-red"' in section.split("</section>")[0]
    assert 'href="/approvals/tasks/' in section and 'href="/approvals/queue/"' in section


def test_nothing_waiting_says_so(client, places):
    build_world(places)
    client.login(username=Role.EMPLOYER_UNIT, password=PASSWORD)
    page = client.get("/").content.decode()
    assert "您的申请" in page and "这里暂时没有等您处理的事项。" in page
