"""The Django admin: administrators only, form fields checked by the same rules, every save audited."""
from __future__ import annotations

import json

import pytest

from onestop.audit.models import Event
from onestop.catalog.models import Matter
from onestop.org.models import Role
from onestop.testing import account

pytestmark = pytest.mark.django_db


def form(matter: Matter, **changes) -> dict:
    materials = list(matter.materials.order_by("position"))
    data = {
        "code": matter.code, "name": matter.name, "department": matter.department_id,
        "legal_limit": matter.legal_limit, "promised_limit": matter.promised_limit, "limit_unit": matter.limit_unit,
        "warn_days": "", "lowest_level": matter.lowest_level, "source": matter.source,
        "legal_basis": matter.legal_basis, "form_fields": json.dumps(matter.form_fields, ensure_ascii=False),
        "active": "on",
        "materials-TOTAL_FORMS": len(materials), "materials-INITIAL_FORMS": len(materials),
        "materials-MIN_NUM_FORMS": 0, "materials-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(materials):
        data.update({f"materials-{i}-id": m.pk, f"materials-{i}-matter": matter.pk, f"materials-{i}-position": m.position,
                     f"materials-{i}-name": m.name, f"materials-{i}-note": m.note})
        for flag in ("required", "may_defer", "may_commit"):
            if getattr(m, flag):
                data[f"materials-{i}-{flag}"] = "on"
    return {**data, **changes}


def test_admin_change_of_a_matter_is_audited(client, catalogue):
    client.force_login(account(Role.ADMINISTRATOR, is_staff=True))
    matter = Matter.objects.get(code="BL-001")
    response = client.post(f"/admin/catalog/matter/{matter.pk}/change/", form(matter, promised_limit=3))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.filter(action="catalog.matter.updated").last()
    assert event.before["promised_limit"] == 5 and event.after["promised_limit"] == 3 and event.reason == "admin"


def test_admin_refuses_a_bad_form_field_spec(client, catalogue):
    client.force_login(account(Role.ADMINISTRATOR, is_staff=True))
    matter = Matter.objects.get(code="BL-001")
    events = Event.objects.count()
    bad = json.dumps([{"name": "Bad Name", "label": "x"}])
    response = client.post(f"/admin/catalog/matter/{matter.pk}/change/", form(matter, form_fields=bad))
    assert response.status_code == 200 and "字段名只能用小写英文字母" in response.content.decode()
    assert Event.objects.count() == events


def test_admin_is_closed_to_other_staff(client, catalogue):
    client.force_login(account(Role.SUPERVISOR, place=catalogue["departments"][0].place, is_staff=True))
    assert client.get("/admin/catalog/matter/").status_code == 403
