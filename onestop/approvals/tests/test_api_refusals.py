"""Bad input and refusals through the API: the error names the field or the state, nothing is half-written,
and what was refused leaves no audit event; plus Idempotency-Key on creation and the queue's order."""
import json

import pytest
from django.test import Client

from onestop.approvals.builders import required_ids
from onestop.approvals.models import AppState, Application, Task, TaskState
from onestop.approvals.queries import timeline
from onestop.org.models import Role
from onestop.testing import account, department, enterprise


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, url: str, body: dict | None = None, **headers):
    r = c.post(f"/api/approvals{url}", data=json.dumps(body or {}), content_type="application/json", headers=headers)
    return r.status_code, r.json()


@pytest.fixture
def online(w):
    """An application for stage 1, submitted online by the investor with every required material."""
    c = client_for(w.enterprise_user)
    status, body = post(c, "/applications", {"stage_id": w.stages[0].pk, "project_id": w.project.pk})
    assert status == 201, body
    return Application.objects.get(pk=body["id"])


def test_a_missing_required_material_is_named_and_nothing_is_written(w, online):
    everything = required_ids(online)
    status, body = post(client_for(w.clerk), f"/applications/{online.pk}/accept", {"provided": everything[1:]})
    assert status == 400 and body["error"] == "missing_materials"
    assert "企业投资项目备案申请表" in body["message"]["zh"] and "企业投资项目备案申请表" in body["fields"]["materials"]
    online.refresh_from_db()
    assert online.state == AppState.SUBMITTED and not online.tasks.exists() and online.clock_state == "idle"
    assert [e.action for e in timeline(online)] == ["approvals.submitted"]


def test_deferring_needs_a_commitment_and_a_material_that_may_be_deferred(w, online):
    rows = {r.material.name: r.material_id for r in online.materials.select_related("material")}
    owed = rows["企业投资项目备案证明材料"]
    provided = [m for m in required_ids(online) if m != owed]
    c = client_for(w.clerk)
    status, body = post(c, f"/applications/{online.pk}/accept", {"provided": provided, "deferred": {owed: 5}})
    assert status == 400 and "commitment" in body["fields"]
    status, body = post(c, f"/applications/{online.pk}/accept", {
        "provided": [m for m in provided if m != rows["企业投资项目备案申请表"]],
        "deferred": {owed: 5, rows["企业投资项目备案申请表"]: 5}, "commitment": "承诺"})
    assert status == 400 and "deferred" in body["fields"] and "申请表" in body["message"]["zh"]
    status, body = post(c, f"/applications/{online.pk}/accept", {"provided": provided, "deferred": {owed: 5},
                                                                 "commitment": "承诺按期补交"})
    assert status == 200 and body["state"] == "in_review"
    assert {m["status"] for m in body["materials"] if m["material_id"] == owed} == {"deferred"}


def test_an_action_that_does_not_fit_the_state_is_409_with_the_state(w, online):
    c = client_for(w.clerk)
    assert post(c, f"/applications/{online.pk}/accept", {"provided": required_ids(online)})[0] == 200
    status, body = post(c, f"/applications/{online.pk}/accept", {"provided": required_ids(online)})
    assert status == 409 and body["state"] == "in_review"
    status, body = post(c, f"/applications/{online.pk}/issue", {"method": "window"})
    assert status == 409 and body["state"] == "in_review"


def test_rejection_needs_reasons_and_other_departments_may_only_look(w, online):
    post(client_for(w.clerk), f"/applications/{online.pk}/accept", {"provided": required_ids(online)})
    task = Task.objects.get(application=online, matter=w.matters["环评审批"])
    own, other = w.approvers["环评审批"], w.approvers["企业投资项目备案"]
    status, body = post(client_for(own), f"/tasks/{task.pk}/reject", {"reasons": "  "})
    assert status == 400 and body["fields"] == {"reasons": "Give the reasons for the rejection."}
    status, body = post(client_for(other), f"/tasks/{task.pk}/approve", {"opinion": "同意"})
    assert status == 403
    assert client_for(other).get(f"/api/approvals/tasks/{task.pk}").status_code == 200  # sees the progress
    stranger = account(Role.APPROVER, department=department(w.places["town"]))
    assert post(client_for(stranger), f"/tasks/{task.pk}/approve", {"opinion": "同意"})[0] == 404
    assert client_for(stranger).get(f"/api/approvals/applications/{online.pk}").status_code == 404
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and task.clock_state == "running"
    assert [e.action for e in timeline(online)] == ["approvals.submitted", "approvals.accepted"]


def test_unknown_matter_and_empty_form_fields_are_named(w):
    c = client_for(w.enterprise_user)
    status, body = post(c, "/applications", {"matter_id": 999999})
    assert status == 400 and "matter_id" in body["fields"]
    status, body = post(c, "/applications", {"matter_id": w.matters["环评审批"].pk})  # no project: no project name
    assert status == 400 and body["fields"] == {"form.project_name": "required"}
    status, body = post(c, "/applications", {"matter_id": w.matters["环评审批"].pk, "stage_id": w.stages[0].pk})
    assert status == 400 and "matter_id" in body["fields"]
    other = enterprise()
    status, body = post(c, "/applications", {"matter_id": w.matters["环评审批"].pk, "applicant_id": other.pk,
                                              "form_data": {"project_name": "x"}})
    assert status == 403
    assert not Application.objects.exists()


def test_the_same_idempotency_key_returns_the_first_application_and_another_body_is_409(w):
    c = client_for(w.enterprise_user)
    body = {"stage_id": w.stages[0].pk, "project_id": w.project.pk}
    first = post(c, "/applications", body, **{"Idempotency-Key": "k-1"})
    again = post(c, "/applications", body, **{"Idempotency-Key": "k-1"})
    assert first[0] == again[0] == 201 and first[1]["id"] == again[1]["id"]
    status, _ = post(c, "/applications", {**body, "simulated": True}, **{"Idempotency-Key": "k-1"})
    assert status == 409 and Application.objects.count() == 1


def test_the_queue_shows_the_most_urgent_first(w):
    from onestop.approvals import actions

    from .conftest import day

    c = client_for(w.enterprise_user)
    ids = []
    for d in (5, 2, 3):
        _, body = post(c, "/applications", {"matter_id": w.matters["环评审批"].pk, "project_id": w.project.pk})
        app = Application.objects.get(pk=body["id"])
        actions.accept_application(w.clerk, app.pk, provided=required_ids(app), at=day(2026, 3, d))
        ids.append(app.pk)
    r = client_for(w.approvers["环评审批"]).get("/api/approvals/queue")
    assert [t["application_id"] for t in r.json()["items"]] == [ids[1], ids[2], ids[0]]
    assert client_for(w.approvers["施工许可"]).get("/api/approvals/queue").json()["items"] == []
