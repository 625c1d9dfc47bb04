"""Updating an enterprise and adding contacts: who may change which fields; before/after in the trail."""
from __future__ import annotations

from onestop.audit.models import Event
from onestop.enterprises.creditcode import make
from onestop.enterprises.models import Contact, Enterprise
from onestop.org.models import Role


def events_of(enterprise):
    return Event.objects.filter(chain__aggregate_type="enterprises.Enterprise",
                                chain__aggregate_id=str(enterprise.pk)).order_by("seq")


def test_the_enterprise_changes_its_own_address_and_the_trail_has_before_and_after(w, api):
    response = api(w.accounts[Role.ENTERPRISE]).patch(f"/api/enterprises/{w.enterprise.pk}", {"address": "泊里镇港城路8号"})
    assert response.status_code == 200, response.content
    event = events_of(w.enterprise).last()
    assert event.action == "enterprise.updated"
    assert event.before["address"] == "" and event.after["address"] == "泊里镇港城路8号"


def test_the_enterprise_may_not_change_its_name_and_nothing_changes(w, api):
    response = api(w.accounts[Role.ENTERPRISE]).patch(f"/api/enterprises/{w.enterprise.pk}",
                                                      {"name": "改名公司", "address": "新地址"})
    assert response.status_code == 403 and "name" in response.json()["fields"]
    w.enterprise.refresh_from_db()
    assert w.enterprise.name == "青岛海之晨工业装备有限公司" and w.enterprise.address == ""
    assert not events_of(w.enterprise).exists()


def test_a_clerk_corrects_the_credit_code_only_to_a_valid_unused_one(w, api):
    clerk = api(w.accounts[Role.WINDOW_CLERK])
    url = f"/api/enterprises/{w.enterprise.pk}"
    assert clerk.patch(url, {"credit_code": "91370200163562681H"}).status_code == 400
    clash = clerk.patch(url, {"credit_code": w.outside_enterprise.credit_code})
    assert clash.status_code == 400 and clash.json()["error"] == "duplicate"
    good = make("9", "1", "370211", 99_001)
    assert clerk.patch(url, {"credit_code": good}).json()["credit_code"] == good
    assert [e.action for e in events_of(w.enterprise)] == ["enterprise.updated"]


def test_an_unknown_place_in_a_patch_is_refused(w, api):
    response = api(w.accounts[Role.ADMINISTRATOR]).patch(f"/api/enterprises/{w.enterprise.pk}", {"place_id": 424242})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["place_id"]


def test_a_patch_that_changes_nothing_writes_no_event(w, api):
    response = api(w.accounts[Role.ADMINISTRATOR]).patch(f"/api/enterprises/{w.enterprise.pk}",
                                                         {"name": w.enterprise.name})
    assert response.status_code == 200 and not events_of(w.enterprise).exists()


def test_the_commissioner_adds_a_contact_recorded_on_the_enterprise_chain(w, api):
    response = api(w.accounts[Role.COMMISSIONER]).post(f"/api/enterprises/{w.enterprise.pk}/contacts",
                                                       {"name": "钱经理", "phone": "13800000000", "title": "总经理"})
    assert response.status_code == 201
    assert Contact.objects.get(pk=response.json()["id"]).enterprise == w.enterprise
    event = events_of(w.enterprise).get()
    assert event.action == "enterprise.contact_added" and event.after["name"] == "钱经理"
    detail = api().get(f"/api/enterprises/{w.enterprise.pk}").json()
    assert [c["name"] for c in detail["contacts"]] == ["钱经理"]


def test_a_contact_without_a_phone_is_refused(w, api):
    response = api(w.accounts[Role.WINDOW_CLERK]).post(f"/api/enterprises/{w.enterprise.pk}/contacts", {"name": "无电话"})
    assert response.status_code == 400 and "phone" in response.json()["fields"]
    assert not Contact.objects.exists()


def test_enterprise_detail_lists_only_the_projects_the_caller_sees(w, api):
    from onestop import testing

    testing.project(w.enterprise, w.places["other_town"], name="大场镇分厂")
    steward_view = api(w.accounts[Role.STEWARD]).get(f"/api/enterprises/{w.enterprise.pk}").json()
    assert [p["name"] for p in steward_view["projects"]] == ["青岛市氢能产业园"]
    assert Enterprise.objects.count() == 3
