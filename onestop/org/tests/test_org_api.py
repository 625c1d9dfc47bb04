"""The organisation API: the place tree (public), centres, departments with hall roles, /me with scope."""
from __future__ import annotations

from onestop import testing
from onestop.org.models import Role
from onestop.org.tests.builders import world


def test_places_come_in_tree_order_with_parent_and_depth(places, client):
    rows = client.get("/api/places").json()
    paths = [r["path"] for r in rows]
    assert paths == sorted(paths)
    by_name = {r["name"]: r for r in rows}
    assert by_name["泊里镇"]["parent_id"] == places["district"].pk and by_name["泊里镇"]["depth"] == 1
    assert by_name["西海岸新区"]["children_count"] == 2


def test_place_filters(places, client):
    def listed(q):
        return [r["name"] for r in client.get(f"/api/places?{q}").json()]

    assert listed("kind=town") == ["泊里镇", "大场镇"] or sorted(listed("kind=town")) == ["大场镇", "泊里镇"]
    assert sorted(listed(f"parent={places['district'].pk}")) == ["大场镇", "泊里镇"]
    assert listed(f"within={places['town'].pk}") == ["泊里新村", "东泊里村", "东泊里村第一网格"]
    assert listed("roots=true") == ["西海岸新区"]
    response = client.get("/api/places?parent=4040404")
    assert response.status_code == 400 and "parent" in response.json()["fields"]
    assert client.get("/api/places?kind=planet").status_code == 400


def test_a_place_with_its_ancestors(places, client):
    body = client.get(f"/api/places/{places['grid'].pk}").json()
    assert [a["name"] for a in body["ancestors"]] == ["西海岸新区", "泊里镇", "泊里新村", "东泊里村"]
    missing = client.get("/api/places/999999")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_departments_show_their_hall_role(places, client):
    testing.department(places["town"], name="泊里镇政务服务办", hall_role="lead")
    testing.department(places["town"], name="泊里镇综合执法中队", hall_role="on_demand")
    rows = client.get("/api/departments?hall_role=lead").json()
    assert [r["name"] for r in rows] == ["泊里镇政务服务办"] and rows[0]["hall_role"] == "lead"
    assert len(client.get(f"/api/departments?within={places['other_town'].pk}").json()) == 0


def test_service_centres_by_level(places, client):
    testing.service_centre(places["district"], level="district", name="西海岸新区行政服务中心")
    testing.service_centre(places["village"], level="village", name="东泊里村便民服务点")
    assert [c["name"] for c in client.get("/api/service-centres?level=village").json()] == ["东泊里村便民服务点"]


def test_me_tells_the_role_and_the_scope(places, client):
    w = world(places)
    client.force_login(w.accounts[Role.SUPERVISOR])
    me = client.get("/api/me").json()
    assert me["role"] == "supervisor" and me["scope"] == {
        "kind": "area", "place": {"id": places["town"].pk, "kind": "town", "code": "boli", "name": "泊里镇"}}
    assert me["may"] == {"register_enterprise": False, "create_project": False, "administer_org": False}
    client.force_login(w.accounts[Role.ENTERPRISE])
    me = client.get("/api/me").json()
    assert me["organisation"]["id"] == w.enterprise.pk and me["scope"]["kind"] == "organisation"
    assert me["may"]["create_project"] is True


def test_me_needs_a_login(client):
    response = client.get("/api/me")
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"
