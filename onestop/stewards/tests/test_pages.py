"""Pages: the steward's desk, a project's workspace (group, staff, plan, table, route), in Chinese and English."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.stewards import actions, plan_actions
from onestop.stewards.models import Message

pytestmark = pytest.mark.django_db


def test_the_stewards_desk_lists_its_projects_with_lights_and_notifications(w, as_):
    plan_actions.add_milestone(w.stewards[0], w.projects[0].pk, name="立项", planned_start=date(2026, 10, 12),
                               planned_end=date(2026, 10, 14))
    actions.post_message(w.users[0], w.projects[0].pk, f"@{w.stewards[0].username} 在吗")
    page = as_(w.stewards[0]).get("/stewards/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "项目1" in text and "项目2" not in text and 'class="light red"' in text
    assert "联络群中提到了您" in text and "管家工作台" in text


def test_the_workspace_shows_the_group_plan_table_and_route_to_members_only(w, as_):
    actions.post_message(w.users[0], w.projects[0].pk, "你好，管家")
    page = as_(w.stewards[0]).get(f"/stewards/projects/{w.projects[0].pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("联络群", "作战计划表", "分工明细表", "办理路径", "你好，管家", 'hx-trigger="every 2s"', "<svg"):
        assert words in text
    assert as_(w.outsider).get(f"/stewards/projects/{w.projects[0].pk}/").status_code == 404
    assert as_(w.stewards[1]).get(f"/stewards/projects/{w.projects[0].pk}/messages/").status_code == 404


def test_posting_through_htmx_returns_the_thread_and_a_bad_attachment_shows_beside_the_form(w, as_):
    c = as_(w.users[0])
    url = f"/stewards/projects/{w.projects[0].pk}/messages/"
    ok = c.post(url, {"body": "图纸已上传"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "图纸已上传" in ok.content.decode()
    bad = c.post(url, {"body": "x", "attachment": SimpleUploadedFile("a.exe", b"MZ")}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and 'id="post-error"' in bad.content.decode() and "不允许的附件类型" in bad.content.decode()
    assert Message.objects.count() == 1
    plain = c.post(url, {"body": "无脚本也能发"})
    assert plain.status_code == 302 and plain["Location"].endswith("#group")


def test_the_polled_thread_shows_read_receipts_to_the_author(w, as_):
    actions.post_message(w.users[0], w.projects[0].pk, "请回复")
    as_(w.stewards[0]).get(f"/stewards/projects/{w.projects[0].pk}/messages/")
    text = as_(w.users[0]).get(f"/stewards/projects/{w.projects[0].pk}/messages/").content.decode()
    assert "1 人已读" in text or "Read by 1" in text


def test_a_refused_form_shows_the_message_and_writes_nothing(w, as_):
    r = as_(w.stewards[0]).post(f"/stewards/projects/{w.projects[0].pk}/milestones/",
                                {"name": "X", "planned_start": "2026-10-20", "planned_end": "2026-10-10"})
    assert r.status_code == 400 and "计划完成不得早于计划开始" in r.content.decode()
    assert not w.projects[0].milestones.exists()


def test_the_pages_switch_to_english(w, as_):
    c = as_(w.stewards[0])
    c.post("/i18n/setlang/", {"language": "en", "next": "/stewards/"})
    text = c.get(f"/stewards/projects/{w.projects[0].pk}/").content.decode()
    assert "Liaison group" in text and "Battle plan" in text and "Division of labour" in text
    assert "Steward's desk" in c.get("/stewards/").content.decode()


def test_a_supervisors_desk_counts_the_projects_it_sees_and_links_the_full_list_past_the_first(w, as_, monkeypatch):
    from onestop.stewards import views

    desk = as_(w.supervisor).get("/stewards/").content.decode()
    assert f'data-testid="others-count">{len(w.projects)}<' in desk and 'data-testid="all-projects"' not in desk
    monkeypatch.setattr(views, "OTHERS_SHOWN", len(w.projects) - 1)
    desk = as_(w.supervisor).get("/stewards/").content.decode()
    listed = desk.split('data-testid="others-count"')[1].split("</section>")[0]
    shown = len(w.projects) - 1
    assert listed.count('href="/stewards/projects/') == shown and f"仅列出前 {shown} 个，全部项目见项目列表。" in listed
    assert 'href="/enterprises/projects/"' in listed
