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
    again = approver.post(f"/approvals/tasks/{task.pk}/", {"do": "approve", "opinion": "再次"}).content.decode()
    refused = again.split('data-testid="error"')[1].split("</div>")[0]
    assert "<p>当前状态: 准予</p>" in refused and "approved" not in refused  # the state in words, not its key
    other = client_for(w.approvers["公章刻制备案"])
    assert "同意设立" in other.get(f"/approvals/tasks/{task.pk}/").content.decode()  # sees, cannot act
    assert 'data-testid="approve"' not in other.get(f"/approvals/tasks/{task.pk}/").content.decode()
    trail = client_for(w.clerk).get(f"/approvals/{app.pk}/timeline/").content.decode()
    assert 'data-action="approvals.accepted">窗口受理<' in trail and app.acceptance_no in trail
    approval = trail.split('data-action="approvals.task_approved">')[1].split("</li>")[0]
    assert approval.startswith("部门准予许可<") and "企业设立登记" in approval and "同意设立" in approval
    assert "部门审批人员" in trail.split('data-action="approvals.task_approved"')[0].rsplit("<li>", 1)[1]  # who, as what


def test_the_task_and_application_pages_show_the_form_under_its_matters_labels(w):
    w.matters["企业设立登记"].form_fields = [{"name": "enterprise_name", "label": "企业名称", "required": True}]
    w.matters["企业设立登记"].save(update_fields=["form_fields"])
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    task = app.tasks.get(matter=w.matters["企业设立登记"])
    form = client_for(w.approvers["企业设立登记"]).get(f"/approvals/tasks/{task.pk}/").content.decode()
    form = form.split('data-testid="form">')[1].split("</dl>")[0]
    assert form.startswith(f"<dt>企业名称</dt><dd>{w.investor.name}</dd>")  # its own field first, labelled
    assert "<dt>credit_code</dt>" in form  # the rest of the one form after it
    whole = client_for(w.clerk).get(f"/approvals/{app.pk}/").content.decode()
    whole = whole.split('data-testid="form">')[1].split("</dl>")[0]
    assert "<dt>企业名称</dt>" in whole and "<dt>credit_code</dt>" in whole  # every matter's fields, once each
    assert whole.count("<dt>") == len(app.form_data)


def test_the_task_page_names_the_rest_of_the_one_form_as_the_catalogue_labels_it(w):
    seal = w.matters["公章刻制备案"]
    seal.form_fields = [{"name": "credit_code", "label": "统一社会信用代码", "required": True}]
    seal.save(update_fields=["form_fields"])
    w.matters["企业设立登记"].form_fields = [{"name": "enterprise_name", "label": "企业名称", "required": True}]
    w.matters["企业设立登记"].save(update_fields=["form_fields"])
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk,
                                     form_data={"credit_code": "91370211MA3CNXXX1X"})
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    task = app.tasks.get(matter=w.matters["企业设立登记"])
    form = client_for(w.approvers["企业设立登记"]).get(f"/approvals/tasks/{task.pk}/").content.decode()
    form = form.split('data-testid="form">')[1].split("</dl>")[0]
    assert "<dt>统一社会信用代码</dt>" in form and "<dt>credit_code</dt>" not in form


def test_the_list_offers_applying_and_the_queue_only_to_those_they_serve(w):
    def links(user) -> tuple[bool, bool]:
        page = client_for(user).get("/approvals/").content.decode()
        return 'data-testid="apply-link"' in page, 'data-testid="queue-link"' in page

    assert links(w.enterprise_user) == (True, False)
    assert links(w.clerk) == (True, False)
    assert links(w.approvers["施工许可"]) == (False, True)


def test_pages_need_a_login_and_hide_what_the_caller_cannot_see(w):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    assert Client().get("/approvals/").status_code == 302
    assert client_for(w.approvers["施工许可"]).get(f"/approvals/{app.pk}/").status_code == 404


def test_pages_are_chinese_by_default_and_english_on_request(w):
    c = client_for(w.enterprise_user)
    assert "网上申报" in c.get("/approvals/apply/").content.decode()
    c.cookies["django_language"] = "en"
    assert "Apply online" in c.get("/approvals/apply/", headers={"Accept-Language": "en"}).content.decode()


def test_the_portal_shows_the_chosen_matters_one_form_prefilled_and_takes_what_the_records_lack(w):
    permit = w.matters["施工许可"]
    permit.form_fields = [*permit.form_fields, {"name": "start_date", "label": "计划开工日期", "type": "date",
                                                "required": True}]
    permit.save(update_fields=["form_fields"])
    portal = client_for(w.enterprise_user)
    choice = {"matter": permit.pk, "project": w.project.pk}
    page = portal.get("/approvals/apply/", choice).content.decode()
    form = page.split('data-testid="apply-form"')[1]
    assert f'name="form.enterprise_name" id="form.enterprise_name" value="{w.investor.name}" required' in form
    assert 'name="form.start_date" id="form.start_date" value="" type="date" required' in form
    refused = portal.post("/approvals/apply/", {**choice, "form.contact_phone": "13900000000"}).content.decode()
    assert "计划开工日期" in refused.split('data-testid="error"')[1].split("</div>")[0]
    assert 'value="13900000000"' in refused and not Application.objects.exists()  # what was typed stays
    r = portal.post("/approvals/apply/", {**choice, "form.start_date": "2026-12-01"})
    app = Application.objects.get()
    assert r.status_code == 302 and app.form_data["start_date"] == "2026-12-01"
    assert app.form_data["enterprise_name"] == w.investor.name


def test_the_portal_names_a_choice_it_cannot_take(w):
    portal = client_for(w.enterprise_user)
    both = portal.get("/approvals/apply/", {"matter": w.matters["施工许可"].pk, "stage": w.stages[0].pk}).content.decode()
    assert "请选择一个事项或一个一件事阶段" in both and 'data-testid="apply-form"' not in both
    junk = portal.post("/approvals/apply/", {"matter": "abc"})
    assert junk.status_code == 200 and "请选择一个事项或一个一件事阶段" in junk.content.decode()


def test_the_actions_panel_shows_only_what_the_caller_may_do_there(w):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    portal = client_for(w.enterprise_user).get(f"/approvals/{app.pk}/").content.decode()
    assert 'data-testid="actions"' not in portal  # in review, nothing owed: nothing for the enterprise to do
    window = client_for(w.clerk).get(f"/approvals/{app.pk}/").content.decode()
    actions_panel = window.split('data-testid="actions"')[1].split("</section>")[0]
    assert 'value="handover"' in actions_panel and 'value="issue"' not in actions_panel


def test_the_window_names_the_applying_enterprise_by_its_credit_code_and_the_form_is_its_own(w):
    window = client_for(w.clerk)
    choice = {"matter": w.matters["施工许可"].pk, "applicant": w.investor.credit_code.lower()}
    page = window.get("/approvals/apply/", choice).content.decode()
    assert f'value="{w.investor.name}"' in page.split('data-testid="apply-form"')[1]
    r = window.post("/approvals/apply/", {**choice, "form.project_name": "临街门面改造"})
    app = Application.objects.get()
    assert r.status_code == 302 and app.applicant == w.investor and app.channel == "window"
    unknown = window.get("/approvals/apply/", {**choice, "applicant": "91370211000000000X"})
    text = unknown.content.decode()
    assert "没有该统一社会信用代码的企业" in text and 'data-testid="apply-form"' not in text
    assert 'name="applicant"' not in client_for(w.enterprise_user).get("/approvals/apply/").content.decode()
