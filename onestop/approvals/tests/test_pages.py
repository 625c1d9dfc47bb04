"""The pages: the clerk's intake screen accepts through the checklist, the queue and task page decide, the
enterprise portal applies and shows every department's progress, the timeline lists the trail."""
from django.test import Client

from onestop.approvals import actions
from onestop.approvals.builders import required_ids
from onestop.approvals.models import AppState, Application, TaskState


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_portal_applies_and_the_window_accepts_through_the_checklist(w):
    portal = client_for(w.enterprise_user)
    r = portal.post("/approvals/apply/", {"stage": w.stages[1].pk, "project": w.project.pk})
    app = Application.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/approvals/{app.pk}/"
    clerk = client_for(w.clerk)
    page = clerk.get(f"/approvals/{app.pk}/").content.decode()
    assert 'data-testid="intake"' in page and "企业设立登记申请表" in page
    ids = required_ids(app)
    r = clerk.post(f"/approvals/{app.pk}/", {"do": "accept", "provided": ids[1:]})
    assert r.status_code == 200 and "企业设立登记申请表" in r.content.decode().split('data-testid="error"')[1][:400]
    r = clerk.post(f"/approvals/{app.pk}/", {"do": "accept", "provided": ids})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == AppState.IN_REVIEW
    listing = portal.get("/approvals/").content.decode()
    assert app.number in listing and "企业设立登记部门" in listing and "公章刻制备案部门" in listing


def test_the_queue_and_task_page_decide_and_the_timeline_shows_it(w):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    approver = client_for(w.approvers["企业设立登记"])
    queue = approver.get("/approvals/queue/").content.decode()
    task = app.tasks.get(matter=w.matters["企业设立登记"])
    assert f"/approvals/tasks/{task.pk}/" in queue and "公章刻制备案" not in queue
    r = approver.post(f"/approvals/tasks/{task.pk}/", {"do": "reject", "reasons": ""})
    assert r.status_code == 200 and 'data-testid="error"' in r.content.decode()
    assert approver.post(f"/approvals/tasks/{task.pk}/", {"do": "approve", "opinion": "同意设立"}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED and task.opinion == "同意设立"
    other = client_for(w.approvers["公章刻制备案"])
    assert "同意设立" in other.get(f"/approvals/tasks/{task.pk}/").content.decode()  # sees, cannot act
    assert 'data-testid="approve"' not in other.get(f"/approvals/tasks/{task.pk}/").content.decode()
    trail = client_for(w.clerk).get(f"/approvals/{app.pk}/timeline/").content.decode()
    assert "approvals.accepted" in trail and "approvals.task_approved" in trail


def test_pages_need_a_login_and_hide_what_the_caller_cannot_see(w):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    assert Client().get("/approvals/").status_code == 302
    assert client_for(w.approvers["施工许可"]).get(f"/approvals/{app.pk}/").status_code == 404


def test_pages_are_chinese_by_default_and_english_on_request(w):
    c = client_for(w.enterprise_user)
    assert "网上申报" in c.get("/approvals/apply/").content.decode()
    c.cookies["django_language"] = "en"
    assert "Apply online" in c.get("/approvals/apply/", headers={"Accept-Language": "en"}).content.decode()
