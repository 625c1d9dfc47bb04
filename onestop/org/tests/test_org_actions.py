"""Administrators maintain places, centres, departments and accounts; each write is audited, bad input
names the field and writes nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest

from onestop.audit.models import Event
from onestop.errors import Forbidden, InvalidInput
from onestop.org import actions
from onestop.org.models import Account, Department, Place, Role
from onestop.org.tests.builders import world


@pytest.fixture
def admin(places):
    return world(places).accounts[Role.ADMINISTRATOR]


def test_an_administrator_adds_a_village_under_a_community_and_it_is_audited(places, admin):
    village = actions.create_place(admin, kind="village", code="v-xi", name="西泊里村", parent_id=places["community"].pk,
                                   latitude=Decimal("35.95"), longitude=Decimal("119.93"))
    assert village.path == places["community"].path + "v-xi/"
    event = Event.objects.get(chain__aggregate_type="org.Place", chain__aggregate_id=str(village.pk))
    assert event.action == "place.created" and event.after["name"] == "西泊里村"


@pytest.mark.parametrize(("kw", "field"), [
    ({"kind": "village", "parent_key": "town"}, "parent_id"),  # a village sits under a community
    ({"kind": "district", "parent_key": "district"}, "parent_id"),  # a district is a root
    ({"kind": "grid", "parent_key": None}, "parent_id"),
    ({"kind": "planet", "parent_key": None}, "kind"),
    ({"kind": "village", "parent_key": "community", "latitude": Decimal("123")}, "latitude"),
    ({"kind": "village", "parent_key": "community", "code": "DUP"}, "code"),
])
def test_bad_places_are_refused_naming_the_field(places, admin, kw, field):
    parent = places[kw.pop("parent_key")] if kw.get("parent_key") else None
    kw.pop("parent_key", None)
    if kw.get("code") == "DUP":
        kw["code"] = places["village"].code
    before = (Place.objects.count(), Event.objects.count())
    with pytest.raises(InvalidInput) as refused:
        actions.create_place(admin, **{"code": "x1", "name": "某地", "latitude": Decimal("35.9"),
                                       "longitude": Decimal("119.9"), **kw},
                             parent_id=parent.pk if parent else None)
    assert field in refused.value.fields
    assert (Place.objects.count(), Event.objects.count()) == before


def test_an_unknown_parent_is_refused(admin):
    with pytest.raises(InvalidInput) as refused:
        actions.create_place(admin, kind="town", code="t", name="某镇", parent_id=55555,
                             latitude=Decimal(0), longitude=Decimal(0))
    assert list(refused.value.fields) == ["parent_id"]


def test_only_administrators_maintain_the_organisation(places):
    w = world(places)
    for role in Role.values:
        if role == Role.ADMINISTRATOR:
            continue
        with pytest.raises(Forbidden):
            actions.create_department(w.accounts[role], code=f"X-{role}", name="某办", hall_role="on_demand",
                                      place_id=places["town"].pk)
    assert not Department.objects.filter(code__startswith="X-").exists()


def test_a_department_with_its_hall_role(places, admin):
    dept = actions.create_department(admin, code="ZRZY", name="泊里镇自然资源所", hall_role="on_demand",
                                     place_id=places["town"].pk)
    assert dept.get_hall_role_display() and Event.objects.filter(action="department.created").count() == 1
    with pytest.raises(InvalidInput) as refused:
        actions.create_department(admin, code="ZRZY", name="重复", hall_role="lead", place_id=places["town"].pk)
    assert refused.value.code == "duplicate"
    with pytest.raises(InvalidInput) as refused:
        actions.create_department(admin, code="BAD", name="坏角色", hall_role="boss", place_id=places["town"].pk)
    assert "hall_role" in refused.value.fields


def test_a_service_centre(places, admin):
    centre = actions.create_service_centre(admin, name="东泊里村便民服务点", level="village", place_id=places["village"].pk)
    assert Event.objects.filter(action="service_centre.created", chain__aggregate_id=str(centre.pk)).exists()


def test_an_account_is_created_with_its_attachment_and_the_trail_never_holds_the_password(places, admin):
    dept = actions.create_department(admin, code="JF", name="经发中心", hall_role="resident", place_id=places["town"].pk)
    account = actions.create_account(admin, username="li.approver", role="approver", display_name="李审批",
                                     password="s3cret-pass!", department_id=dept.pk)
    assert account.check_password("s3cret-pass!")
    event = Event.objects.get(chain__aggregate_type="org.Account", chain__aggregate_id=str(account.pk))
    assert event.action == "account.created" and "password" not in event.after
    assert "s3cret" not in str(event.after)


def test_an_account_missing_its_roles_attachment_is_refused_naming_it(admin):
    before = Account.objects.count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_account(admin, username="no.dept", role="department_head", display_name="无部门")
    assert list(refused.value.fields) == ["department_id"]
    with pytest.raises(InvalidInput) as refused:
        actions.create_account(admin, username="ghost", role="supervisor", display_name="x", place_id=31337)
    assert list(refused.value.fields) == ["place_id"]
    with pytest.raises(InvalidInput) as refused:
        actions.create_account(admin, username=admin.username, role="resident", display_name="同名")
    assert refused.value.code == "duplicate"
    assert Account.objects.count() == before
