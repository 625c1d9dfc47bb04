"""Registering an enterprise (登记企业): checked code, one transaction, an audit event; bad input writes nothing."""
from __future__ import annotations

import pytest

from onestop.audit.models import Event
from onestop.enterprises import actions
from onestop.enterprises.creditcode import make
from onestop.enterprises.models import Enterprise
from onestop.errors import Forbidden, InvalidInput
from onestop.org.models import Role


def body(w, **kw):
    return {"name": "青岛泊里氢能装备有限公司", "credit_code": make("9", "1", "370211", 13_572_468),
            "legal_representative": "孙七", "place_id": w.places["village"].pk, "industry": "氢能", **kw}


def counts():
    return Enterprise.objects.count(), Event.objects.count()


def test_clerk_registers_an_enterprise_and_the_trail_records_it(w, api):
    response = api(w.accounts[Role.WINDOW_CLERK]).post("/api/enterprises", body(w))
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(pk=response.json()["id"])
    assert created.place == w.places["village"] and created.industry == "氢能"
    event = Event.objects.get(chain__aggregate_type="enterprises.Enterprise", chain__aggregate_id=str(created.pk))
    assert event.action == "enterprise.registered"
    assert event.actor_id == w.accounts[Role.WINDOW_CLERK].pk
    assert event.before is None and event.after["credit_code"] == created.credit_code


def test_lower_case_code_is_stored_upper_case(w, api):
    code = make("9", "1", "370211", 24_680)
    response = api(w.accounts[Role.ADMINISTRATOR]).post("/api/enterprises", body(w, credit_code=code.lower()))
    assert response.status_code == 201 and response.json()["credit_code"] == code


@pytest.mark.parametrize("bad_code", ["91370200163562681H", "9137020016356268", "91370200163562681I"])
def test_a_wrong_credit_code_is_refused_naming_the_field_and_nothing_is_written(w, api, bad_code):
    before = counts()
    response = api(w.accounts[Role.WINDOW_CLERK]).post("/api/enterprises", body(w, credit_code=bad_code))
    assert response.status_code == 400
    payload = response.json()
    assert list(payload["fields"]) == ["credit_code"]
    assert "统一社会信用代码" in payload["message"]["zh"] and "credit code" in payload["message"]["en"]
    assert counts() == before


def test_a_duplicate_credit_code_is_refused_naming_the_field(w, api):
    before = counts()
    response = api(w.accounts[Role.WINDOW_CLERK]).post("/api/enterprises", body(w, credit_code=w.enterprise.credit_code))
    assert response.status_code == 400
    assert response.json()["error"] == "duplicate" and "credit_code" in response.json()["fields"]
    assert counts() == before


def test_an_unknown_place_is_refused_naming_place_id(w, api):
    before = counts()
    response = api(w.accounts[Role.WINDOW_CLERK]).post("/api/enterprises", body(w, place_id=999_999))
    assert response.status_code == 400 and list(response.json()["fields"]) == ["place_id"]
    assert counts() == before


def test_a_malformed_body_is_refused_naming_each_field(w, api):
    before = counts()
    response = api(w.accounts[Role.WINDOW_CLERK]).post(
        "/api/enterprises", {"name": "", "credit_code": 12, "place_id": "here", "registered_on": "yesterday"})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"name", "credit_code", "place_id", "registered_on", "legal_representative"} <= set(fields)
    assert counts() == before


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(w, client):
    client.force_login(w.accounts[Role.WINDOW_CLERK])
    before = counts()
    response = client.post("/api/enterprises", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert counts() == before
    payload = response.json()
    assert payload["error"] == "invalid" and "body" in payload["fields"]
    assert set(payload["message"]) == {"zh", "en"}


def test_a_clerk_may_not_register_outside_its_area(w):
    before = counts()
    with pytest.raises(Forbidden) as refused:
        actions.register_enterprise(w.accounts[Role.WINDOW_CLERK], name="大场镇某公司", credit_code=make("9", "1", "370211", 5),
                                    legal_representative="周八", place_id=w.places["other_town"].pk)
    assert "place_id" in refused.value.fields
    assert counts() == before


def test_a_registration_date_in_the_future_is_refused(w):
    from datetime import date

    with pytest.raises(InvalidInput) as refused:
        actions.register_enterprise(w.accounts[Role.ADMINISTRATOR], name="未来公司", credit_code=make("9", "1", "370211", 6),
                                    legal_representative="吴九", place_id=w.places["town"].pk, registered_on=date(2999, 1, 1))
    assert "registered_on" in refused.value.fields


def test_a_repeated_registration_with_the_same_idempotency_key_registers_once(w, client):
    import json

    client.force_login(w.accounts[Role.WINDOW_CLERK])
    data = json.dumps(body(w))
    first = client.post("/api/enterprises", data, content_type="application/json", HTTP_IDEMPOTENCY_KEY="reg-0001")
    again = client.post("/api/enterprises", data, content_type="application/json", HTTP_IDEMPOTENCY_KEY="reg-0001")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert Enterprise.objects.filter(name="青岛泊里氢能装备有限公司").count() == 1
    assert Event.objects.filter(action="enterprise.registered").count() == 1
