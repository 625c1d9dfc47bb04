"""The API end to end: a resident raises, the agent works it from /queue, the resident authorises and rates;
the commissioner's demand through /demands; an outsider gets 404, a bystander 403; Open311 needs no login."""
from __future__ import annotations

from onestop.approvals.models import Application


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_request_through_the_api(w, client):
    client.force_login(w.resident)
    res = _post(client, "/api/outreach/requests", {"matter_id": w.village_matter.pk, "place_id": w.p["village"].pk,
                                                   "description": "代办优待证"})
    assert res.status_code == 201 and res.json()["agent_id"] == w.village_agent.pk and res.json()["light"] == "green"
    assert res.json()["village_level"] is True
    pk = res.json()["id"]
    client.force_login(w.other_agent)
    assert _post(client, f"/api/outreach/requests/{pk}/accept").status_code == 404
    client.force_login(w.town_agents[0])
    assert _post(client, f"/api/outreach/requests/{pk}/file").status_code == 403  # sees it, not its agent
    client.force_login(w.village_agent)
    assert [r["id"] for r in client.get("/api/outreach/queue").json()] == [pk]
    assert _post(client, f"/api/outreach/requests/{pk}/accept").json()["state"] == "accepted"
    refused = _post(client, f"/api/outreach/requests/{pk}/file")
    assert refused.status_code == 403 and refused.json()["error"] == "not_authorised"
    client.force_login(w.resident)
    assert _post(client, f"/api/outreach/requests/{pk}/authorise").json()["authorised"] is True
    client.force_login(w.village_agent)
    filed = _post(client, f"/api/outreach/requests/{pk}/file").json()
    assert Application.objects.get(pk=filed["application_id"]).channel == "village_agent"
    assert _post(client, f"/api/outreach/requests/{pk}/complete", {"result": "已申报"}).json()["state"] == "done"
    client.force_login(w.resident)
    rated = _post(client, f"/api/outreach/requests/{pk}/rate", {"level": "very_satisfied"}).json()
    assert rated["rating_score"] == 100
    client.logout()
    (row,) = client.get("/api/outreach/open311/requests.json").json()
    assert row["status"] == "closed" and "李大娘" not in str(row)
    single = client.get(f"/api/outreach/open311/requests/{row['service_request_id']}.json")
    assert single.status_code == 200 and single.json() == [row]
    assert client.get("/api/outreach/requests").status_code == 401


def test_a_demand_through_the_api(w, client):
    client.force_login(w.commissioner)
    res = _post(client, "/api/outreach/demands", {"enterprise_id": w.enterprise.pk, "category": "financing",
                                                  "description": "贷款贴息", "department_id": w.department.pk})
    assert res.status_code == 201 and res.json()["state"] == "assigned"
    pk = res.json()["id"]
    bad = _post(client, f"/api/outreach/demands/{pk}/resolve", {"resolution": ""})
    assert bad.status_code == 400 and "resolution" in bad.json()["fields"]
    assert _post(client, f"/api/outreach/demands/{pk}/resolve", {"resolution": "已对接银行"}).json()["state"] == "resolved"
    assert client.get("/api/outreach/enterprises").json()[0]["open_demands"] == 0
    client.force_login(w.enterprise_user)
    assert _post(client, f"/api/outreach/demands/{pk}/verdict", {"verdict": "confirmed"}).json()["verdict"] == "confirmed"
    client.force_login(w.supervisor)
    assert client.get("/api/outreach/overview").json()["demands_resolved"] == 1
    review = client.get("/api/outreach/review", {"period": "2026"})
    assert review.status_code == 200 and client.get("/api/outreach/review", {"period": "26"}).status_code == 400
