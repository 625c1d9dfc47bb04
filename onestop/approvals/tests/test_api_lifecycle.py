"""The API carries an application through its whole life: apply, accept (容缺), 补正, approve, issue,
hand-over, timeline, coaching."""
import json

from django.test import Client

from onestop.approvals.builders import required_ids
from onestop.approvals.models import Application


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, url: str, body: dict | None = None):
    r = c.post(f"/api/approvals{url}", data=json.dumps(body or {}), content_type="application/json")
    return r.status_code, r.json()


def test_the_whole_life_through_the_api(w):
    portal, clerk = client_for(w.enterprise_user), client_for(w.clerk)
    status, app = post(portal, "/applications", {"stage_id": w.stages[1].pk, "project_id": w.project.pk})
    assert status == 201 and app["state"] == "submitted" and app["form_data"]["enterprise_name"] == w.investor.name
    row = Application.objects.get(pk=app["id"])
    owed = row.materials.get(material__name="企业设立登记证明材料").material_id
    provided = [m for m in required_ids(row) if m != owed]
    status, app = post(clerk, f"/applications/{row.pk}/accept", {"provided": provided, "deferred": {str(owed): 3},
                                                                  "commitment": "三日内补交"})
    assert status == 200 and app["state"] == "in_review" and len(app["tasks"]) == 2 and app["light"] == "green"
    first, second = app["tasks"]
    approver1, approver2 = client_for(w.approvers[first["matter"]]), client_for(w.approvers[second["matter"]])
    status, task = post(approver1, f"/tasks/{first['id']}/supplement", {"what": "补充股东会决议", "days": 3})
    assert status == 200 and task["state"] == "supplement" and task["light"] == "paused"
    status, task = post(portal, f"/tasks/{first['id']}/supply", {"note": "已补充"})
    assert status == 200 and task["state"] == "claimed" and task["clock_state"] == "running"
    material = next(m for m in app["materials"] if m["material_id"] == owed)
    status, body = post(portal, f"/materials/{material['id']}/supply")
    assert status == 200 and body["status"] == "supplied"
    assert post(approver1, f"/tasks/{first['id']}/approve", {"opinion": "同意"})[0] == 200
    assert post(approver2, f"/tasks/{second['id']}/approve", {"opinion": "同意"})[0] == 200
    status, app = post(clerk, f"/applications/{row.pk}/handover", {"to_centre_id": w.other_centre.pk, "note": "跨域"})
    assert status == 200 and app["handled_at_id"] == w.other_centre.pk
    assert post(clerk, f"/applications/{row.pk}/issue", {"method": "mail"})[0] == 403  # no longer its window
    status, app = post(client_for(w.other_clerk), f"/applications/{row.pk}/issue", {"method": "mail"})
    assert status == 200 and app["state"] == "issued" and {r["result"] for r in app["results"]} == {"approved"}
    events = portal.get(f"/api/approvals/applications/{row.pk}/timeline").json()
    assert [e["action"] for e in events][-2:] == ["approvals.handed_over", "approvals.issued"]
    assert len(portal.get("/api/approvals/applications").json()["items"]) == 2  # the next stage opened


def test_coaching_records_through_the_api(w):
    coach = client_for(w.coach)
    status, body = post(coach, f"/projects/{w.project.pk}/coaching", {"guidance": "先做节能审查", "matter_id": None})
    assert status == 201 and body["guidance"] == "先做节能审查"
    assert post(coach, f"/projects/{w.project.pk}/coaching", {"guidance": " "})[0] == 400
    assert post(client_for(w.clerk), f"/projects/{w.project.pk}/coaching", {"guidance": "x"})[0] == 403
    assert [r["guidance"] for r in coach.get(f"/api/approvals/projects/{w.project.pk}/coaching").json()] == ["先做节能审查"]
