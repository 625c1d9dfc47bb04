"""The supervision board: node counts per light, filters (unknown → 400 naming it), late lists, SVG, pages."""
from datetime import timedelta

import pytest
from django.utils import timezone

from onestop.approvals import actions
from onestop.approvals.models import Task
from onestop.lights import queries
from onestop.worktime import actions as clock

from .conftest import accepted_stage

TASK = "企业投资项目备案"


@pytest.fixture
def lit(w):
    """Stage 1 accepted twice: 60 days ago (every task red) and now (green), one of the new ones paused."""
    now = timezone.now()
    old = accepted_stage(w, at=now - timedelta(days=60))
    new = accepted_stage(w, at=now)
    paused = Task.objects.get(application=new, matter__name=TASK)
    clock.pause_clock(paused, w.approvers[TASK], reason="supplement", at=now)
    claimed = Task.objects.get(application=old, matter__name=TASK)
    actions.claim_task(w.approvers[TASK], claimed.pk, at=now - timedelta(days=59))
    return {"old": old, "new": new, "paused": paused, "claimed": claimed}


def node(data, name):
    return next(n for s in data["stages"] for n in s["nodes"] if n["name"] == name)


def test_each_node_counts_its_tasks_by_light(client, w, lit):
    client.force_login(w.supervisor)
    data = client.get(f"/api/lights/board/{w.bundle.pk}").json()
    assert [s["name"] for s in data["stages"]] == ["项目立项", "企业登记注册", "建设施工", "竣工验收"]
    assert node(data, TASK)["counts"] == {"green": 0, "yellow": 0, "red": 1, "paused": 1}
    assert node(data, TASK)["light"] == "red"
    assert node(data, "环评审批")["counts"] == {"green": 1, "yellow": 0, "red": 1, "paused": 0}
    assert node(data, "施工许可")["counts"] == {"green": 0, "yellow": 0, "red": 0, "paused": 0}
    assert data["stages"][0]["light"] == "red"


def test_unknown_and_malformed_filters_are_a_400_naming_them(client, w, lit):
    client.force_login(w.supervisor)
    r = client.get(f"/api/lights/board/{w.bundle.pk}?colour=red&department=99999&date_from=2026-13-01")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"colour", "department", "date_from"}
    assert r.json()["fields"]["colour"] == "unknown filter"
    page = client.get(f"/lights/board/{w.bundle.pk}?colour=red")
    assert page.status_code == 400 and "colour" in page.content.decode()


def test_filters_narrow_the_board(client, w, lit):
    client.force_login(w.supervisor)
    dept = w.departments["环评审批"]
    data = client.get(f"/api/lights/board/{w.bundle.pk}?department={dept.pk}").json()
    assert node(data, TASK)["counts"]["red"] == 0 and node(data, "环评审批")["counts"]["red"] == 1
    today = timezone.localdate().isoformat()
    data = client.get(f"/api/lights/board/{w.bundle.pk}?date_from={today}").json()
    assert node(data, "环评审批")["counts"] == {"green": 1, "yellow": 0, "red": 0, "paused": 0}
    data = client.get(f"/api/lights/board/{w.bundle.pk}?town={w.places['other_town'].pk}").json()
    assert node(data, TASK)["counts"]["red"] == 0


def test_department_staff_see_their_department_and_others_are_refused(client, w, lit):
    client.force_login(w.approvers["环评审批"])
    data = client.get(f"/api/lights/board/{w.bundle.pk}").json()
    assert node(data, TASK)["counts"]["red"] == 0 and node(data, "环评审批")["counts"]["red"] == 1
    client.force_login(w.enterprise_user)
    assert client.get(f"/api/lights/board/{w.bundle.pk}").status_code == 403
    client.force_login(w.supervisor)
    assert client.get("/api/lights/board/999999").status_code == 404


def test_late_lists_by_department_and_person(client, w, lit):
    client.force_login(w.supervisor)
    late = client.get("/api/lights/late").json()
    assert sum(r["red"] for r in late["by_department"]) == 3
    people = {r["person"] for r in late["by_person"]}
    assert w.approvers[TASK].display_name in people and None in people
    assert {t["id"] for t in late["first_page"]} == set(lit["old"].tasks.values_list("pk", flat=True))
    counts = client.get("/api/lights/counts").json()
    assert sum(r["red"] for r in counts) == 3 and sum(r["paused"] for r in counts) == 1


def test_the_svg_marks_red_nodes_and_links_each_to_its_tasks(client, w, lit):
    client.force_login(w.supervisor)
    r = client.get(f"/api/lights/board/{w.bundle.pk}/flow.svg")
    assert r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    matter = w.matters[TASK]
    assert f'data-node="{matter.pk}" data-light="red"' in svg
    assert f"/lights/board/{w.bundle.pk}/nodes/{matter.pk}" in svg
    tasks = client.get(f"/api/lights/board/{w.bundle.pk}/nodes/{matter.pk}/tasks?light=red").json()
    assert [t["id"] for t in tasks] == [lit["claimed"].pk]


def test_board_node_and_item_pages_render(client, w, lit):
    client.force_login(w.supervisor)
    page = client.get(f"/lights/board/{w.bundle.pk}").content.decode()
    assert "<svg" in page and "项目立项" in page
    matter = w.matters[TASK]
    page = client.get(f"/lights/board/{w.bundle.pk}/nodes/{matter.pk}").content.decode()
    assert f"/lights/items/approvals.Task/{lit['claimed'].pk}" in page
    r = client.get(f"/lights/items/approvals.Task/{lit['claimed'].pk}")
    assert r.status_code == 200 and "light red" in r.content.decode()
    assert client.get("/lights/").status_code == 200


def test_composite_lights_take_the_worst_part(w, lit):
    assert queries.application_light(lit["old"]) == "red"
    assert queries.application_light(lit["new"]) == "green"  # its own clock and the running tasks are green
    assert queries.project_light(w.project) == "red"


def test_pages_are_chinese_by_default_and_english_on_request(client, w, lit):
    client.force_login(w.supervisor)
    page = client.get(f"/lights/board/{w.bundle.pk}").content.decode()
    assert "挂图督办" in page and "按部门的超期" in page and "承诺 3 天" in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/lights/board/{w.bundle.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Supervision board" in page and "Late by department" in page
