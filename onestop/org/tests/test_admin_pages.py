"""The Django admin has every model of org and enterprises, and what is saved there is audited."""
from __future__ import annotations

import pytest
from django.contrib import admin

from onestop.audit.models import Event
from onestop.enterprises.creditcode import make
from onestop.enterprises.models import Enterprise
from onestop.org.models import Role
from onestop.org.tests.builders import account_for, world

MODELS = ["org.place", "org.servicecentre", "org.department", "org.account", "enterprises.enterprise",
          "enterprises.contact", "enterprises.project", "enterprises.commissionerassignment"]


@pytest.fixture
def superuser_client(places, client):
    w = world(places)
    boss = account_for(Role.ADMINISTRATOR, w, is_staff=True, is_superuser=True)
    client.force_login(boss)
    client.w = w
    return client


def test_every_model_of_org_and_enterprises_is_in_the_admin():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert set(MODELS) <= registered


@pytest.mark.parametrize("label", MODELS)
def test_admin_list_and_add_pages_open(superuser_client, label):
    app, model = label.split(".")
    assert superuser_client.get(f"/admin/{app}/{model}/").status_code == 200
    assert superuser_client.get(f"/admin/{app}/{model}/add/").status_code == 200


def test_admin_refuses_a_wrong_credit_code_and_audits_a_good_one(superuser_client):
    w = superuser_client.w
    form = {"kind": "enterprise", "name": "后台登记公司", "credit_code": "91370200163562681H", "legal_representative": "郑十",
            "place": w.places["town"].pk, "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}
    response = superuser_client.post("/admin/enterprises/enterprise/add/", form)
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Enterprise.objects.filter(name="后台登记公司").exists()
    form["credit_code"] = make("9", "1", "370211", 55_555)
    response = superuser_client.post("/admin/enterprises/enterprise/add/", form)
    assert response.status_code == 302
    created = Enterprise.objects.get(name="后台登记公司")
    assert Event.objects.filter(chain__aggregate_id=str(created.pk), action="enterprise.added_in_admin").exists()


def test_admin_shows_the_role_fields_of_an_account(superuser_client):
    clerk = superuser_client.w.accounts[Role.WINDOW_CLERK]
    page = superuser_client.get(f"/admin/org/account/{clerk.pk}/change/").content.decode()
    assert 'name="role"' in page and 'name="service_centre"' in page
