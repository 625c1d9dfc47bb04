"""A project walks through all four stages of the project-landing bundle (issue 4, "Done when").

Stage 1 is a simulated approval (no land yet) with a one-time notice, a 容缺 material supplied late (the
alert raised by the sweep, closed by the supply) and a 补正 that pauses one department's clock; the land
certificate turns it formal, carrying the opinions over, and it is issued that day. Stage 2 opens by
itself; the project company registered meanwhile applies from stage 3 on. Stage 3 is handed over to the
district centre (跨域通办), rejected by one department, issued with every result, and reapplied for. Stage 4
closes the bundle.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from onestop.approvals import actions, followups, queries
from onestop.approvals.builders import required_ids
from onestop.approvals.models import AppState, Application, MaterialStatus, TaskState
from onestop.enterprises import actions as enterprise_actions
from onestop.enterprises.creditcode import make as make_code
from onestop.errors import Conflict, Forbidden
from onestop.worktime.models import ClockEvent, ClockState

from .conftest import day

SH = ZoneInfo("Asia/Shanghai")


def midnight(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=SH)


def trail(app: Application) -> list[str]:
    return [e.action for e in queries.timeline(app)]


def tasks(app: Application) -> dict[str, object]:
    return {t.matter.name: t for t in app.tasks.select_related("matter")}


def approve_all(w, app, at, opinion="同意"):
    for task in app.tasks.select_related("matter").filter(state__in=[TaskState.OPEN, TaskState.CLAIMED]):
        actions.approve_task(w.approver_of(task), task.pk, opinion=opinion, at=at)
    app.refresh_from_db()
    return app


def stage_one_simulated(w) -> Application:
    followups.record_coaching(w.coach, w.project.pk, guidance="备案与环评材料可并联准备", matter_id=w.matters["环评审批"].pk,
                              at=day(2026, 2, 27))
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[0].pk, project_id=w.project.pk,
                                     simulated=True, at=day(2026, 3, 2, 8))
    assert app.channel == "online" and app.form_data["project_name"] == w.project.name
    # the clerk finds two materials missing: one notice names both (一次性告知)
    everything = required_ids(app)
    owed = app.materials.get(material__name="用地预审与选址证明材料").material_id
    lacking = app.materials.get(material__name="环评审批申请表").material_id
    partial = [m for m in everything if m not in (owed, lacking)]
    app = actions.notify_missing(w.clerk, app.pk, provided=partial, at=day(2026, 3, 2, 8))
    assert app.state == AppState.NOTIFIED
    assert {n["name"] for n in app.missing_notice} == {"用地预审与选址证明材料", "环评审批申请表"}
    app = actions.resubmit(w.enterprise_user, app.pk, provided=[*partial, lacking])
    assert app.state == AppState.SUBMITTED
    # 容缺受理: the owed material gets 5 working days and the signed commitment
    app = actions.accept_application(w.clerk, app.pk, provided=[*partial, lacking], deferred={owed: 5},
                                     commitment="本企业承诺5个工作日内补交", at=day(2026, 3, 2))
    assert app.state == AppState.IN_REVIEW and app.acceptance_no.startswith("SL20260302")
    assert app.clock_state == ClockState.RUNNING and app.due_at == midnight(2026, 3, 10)  # 5 working days
    t = tasks(app)
    assert t["企业投资项目备案"].due_at == midnight(2026, 3, 6)  # 3 working days: Mar 3, 4, 5
    owed_row = app.materials.get(material_id=owed)
    assert owed_row.status == MaterialStatus.DEFERRED and owed_row.due_at == midnight(2026, 3, 10)

    # 补正 pauses the environmental task's clock; the supply resumes it two working days later
    env = t["环评审批"]
    env = actions.request_supplement(w.approver_of(env), env.pk, what="补充污染防治设施说明", days=3, at=day(2026, 3, 3))
    assert env.state == TaskState.SUPPLEMENT and env.clock_state == ClockState.PAUSED
    assert env.pause_due_at == midnight(2026, 3, 7)
    with pytest.raises(Conflict) as err:
        actions.approve_task(w.approver_of(env), env.pk, opinion="同意", at=day(2026, 3, 4))
    assert err.value.state == TaskState.SUPPLEMENT
    env = actions.supply_supplement(w.enterprise_user, env.pk, note="已补充", at=day(2026, 3, 5))
    assert env.state == TaskState.CLAIMED and env.due_at == midnight(2026, 3, 12)  # moved by exactly 2 counted days

    # another department's approver sees the progress but may not act (403)
    assert queries.sees(w.approver_of(env), app)
    with pytest.raises(Forbidden):
        actions.approve_task(w.approver_of(t["企业投资项目备案"]), env.pk, opinion="越权")

    # the owed material passes its deadline: the sweep raises the alert once; the late supply closes it
    assert followups.sweep_commitments(midnight(2026, 3, 10)) == 1
    assert followups.sweep_commitments(midnight(2026, 3, 11)) == 0
    app.refresh_from_db()
    assert app.alert
    row = followups.supply_material(w.enterprise_user, owed_row.pk, at=day(2026, 3, 11))
    assert row.status == MaterialStatus.SUPPLIED and row.clock_state == ClockState.STOPPED
    app.refresh_from_db()
    assert not app.alert

    actions.claim_task(w.approver_of(t["用地预审与选址"]), t["用地预审与选址"].pk)
    app = approve_all(w, app, day(2026, 3, 11), opinion="模拟审批意见：同意")
    assert app.state == AppState.APPROVED and app.open_tasks == 0 and app.simulated
    with pytest.raises(Conflict) as err:  # a simulated result is not issued
        actions.issue_results(w.clerk, app.pk, at=day(2026, 3, 12))
    assert err.value.state == "simulated"
    assert not Application.objects.filter(previous=app).exists()  # the next stage waits for the land
    return app


def test_a_project_walks_through_the_four_stages(w):
    app1 = stage_one_simulated(w)
    with pytest.raises(Conflict):
        followups.formalize(w.clerk, app1.pk, at=day(2026, 3, 16))  # no land certificate yet
    enterprise_actions.record_land_certificate(w.clerk, w.project.pk, number="鲁(2026)青岛市黄岛区不动产权第001号",
                                               issued_on=date(2026, 3, 16))
    app1 = followups.formalize(w.clerk, app1.pk, at=day(2026, 3, 16, 10))
    assert not app1.simulated and all(x.carried_over for x in app1.tasks.all())
    app1 = actions.issue_results(w.clerk, app1.pk, method="electronic", at=day(2026, 3, 16, 11))
    assert app1.state == AppState.ISSUED and app1.land_to_permit_days == 0  # 拿地即开工
    assert app1.clock_state == ClockState.STOPPED and len(app1.results) == 3
    assert trail(app1) == [
        "approvals.submitted", "approvals.missing_notified", "approvals.resubmitted", "approvals.accepted",
        "approvals.supplement_requested", "approvals.supplement_supplied", "approvals.commitment_overdue",
        "approvals.material_supplied", "approvals.task_claimed", "approvals.task_approved", "approvals.task_approved",
        "approvals.task_approved", "approvals.formalized", "approvals.next_stage_opened", "approvals.issued"]
    # every clock's log replays: start, stop (and the paused task's pause and resume)
    env = tasks(app1)["环评审批"]
    assert [e.kind for e in ClockEvent.objects.filter(clock_type="approvals.Task", clock_id=env.pk)] == [
        "start", "pause", "resume", "stop"]

    # stage 2 opened by itself, pre-filled from the one form
    app2 = Application.objects.get(previous=app1)
    assert app2.stage == w.stages[1] and app2.state == AppState.SUBMITTED
    assert app2.form_data["project_name"] == w.project.name and app2.form_data["contact_phone"] == "13800000000"
    app2 = actions.accept_application(w.clerk, app2.pk, provided=required_ids(app2), at=day(2026, 3, 17))
    company = enterprise_actions.register_enterprise(
        w.clerk, name="青岛新材料项目有限公司", credit_code=make_code("9", "1", "370211", 90_000_777),
        legal_representative="王五", place_id=w.places["town"].pk, address="泊里镇工业园1号")
    enterprise_actions.update_project(w.clerk, w.project.pk, {"company_id": company.pk})
    app2 = approve_all(w, app2, day(2026, 3, 18))
    assert app2.state == AppState.APPROVED
    actions.issue_results(w.clerk, app2.pk, at=day(2026, 3, 18))

    # stage 3: the project company applies; handed over to the district centre (跨域通办)
    app3 = Application.objects.get(previous=app2)
    assert app3.applicant == company and app3.form_data["enterprise_name"] == company.name
    followups.hand_over(w.clerk, app3.pk, to_centre_id=w.other_centre.pk, note="企业在区中心办理")
    assert queries.sees(w.clerk, app3) and queries.sees(w.other_clerk, app3)
    with pytest.raises(Forbidden):  # the town window no longer handles it
        actions.accept_application(w.clerk, app3.pk, provided=required_ids(app3))
    app3 = actions.accept_application(w.other_clerk, app3.pk, provided=required_ids(app3), at=day(2026, 3, 19))
    t3 = tasks(app3)
    actions.reject_task(w.approver_of(t3["消防设计审查"]), t3["消防设计审查"].pk, reasons="消防车道宽度不足", at=day(2026, 3, 20))
    app3 = approve_all(w, app3, day(2026, 3, 23))
    assert app3.state == AppState.REJECTED and app3.rejected_tasks == 1
    app3 = actions.issue_results(w.other_clerk, app3.pk, at=day(2026, 3, 23))
    assert {r["matter"]: r["result"] for r in app3.results} == {
        "建设工程规划许可": "approved", "施工许可": "approved", "消防设计审查": "rejected"}
    assert not Application.objects.filter(previous=app3).exists()
    assert "approvals.handed_over" in trail(app3)

    # re-application after the rejection, then the last stage
    app3b = actions.reapply(w.enterprise_user, app3.pk, form_data={"contact_phone": "13900000000"}, at=day(2026, 3, 25))
    assert app3b.resubmission_of == app3 and app3b.previous == app2 and app3b.handled_at == w.other_centre
    app3b = actions.accept_application(w.other_clerk, app3b.pk, provided=required_ids(app3b), at=day(2026, 3, 25))
    app3b = approve_all(w, app3b, day(2026, 3, 26))
    assert app3b.state == AppState.APPROVED
    actions.issue_results(w.other_clerk, app3b.pk, at=day(2026, 3, 26))
    app4 = Application.objects.get(previous=app3b)
    app4 = actions.accept_application(w.other_clerk, app4.pk, provided=required_ids(app4), at=day(2026, 4, 1))
    app4 = approve_all(w, app4, day(2026, 4, 2))
    app4 = actions.issue_results(w.other_clerk, app4.pk, at=day(2026, 4, 2))
    assert app4.state == AppState.ISSUED and not Application.objects.filter(previous=app4).exists()
    assert Application.objects.filter(project=w.project).count() == 5
    assert queries.visible_applications(w.enterprise_user).filter(project=w.project).count() == 5
