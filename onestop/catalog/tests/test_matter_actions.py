"""Creating, updating and deactivating matters: administrators only, validated, audited, all or nothing."""
from __future__ import annotations

import pytest

from onestop.audit.models import Event
from onestop.catalog import actions
from onestop.catalog.models import Material, Matter
from onestop.catalog.tests.conftest import matter_data
from onestop.errors import Forbidden, InvalidInput, NotAuthenticated
from onestop.org.models import Role
from onestop.testing import account, department


def counts() -> tuple[int, int, int]:
    return Matter.objects.count(), Material.objects.count(), Event.objects.count()


def test_administrator_creates_a_matter_with_materials_and_an_audit_event(places, admin):
    department(places["town"], code="GH")
    matter = actions.create_matter(admin, matter_data("BL-100", "GH"))
    assert [m.name for m in matter.materials.order_by("position")] == ["申请书", "营业执照复印件", "环境影响承诺书"]
    assert matter.materials.get(name="营业执照复印件").may_defer
    assert matter.form_fields[1] == {"name": "land_status", "label": "用地情况", "type": "select", "required": False,
                                     "options": ["未取得", "已取得"]}
    event = Event.objects.get(action="catalog.matter.created")
    assert event.actor_id == admin.pk and event.before is None and event.after["code"] == "BL-100"
    assert event.after["materials"][2]["may_commit"] is True


@pytest.mark.parametrize("change, field", [
    ({"code": "BL-001"}, "code"),
    ({"department": "NOPE"}, "department"),
    ({"promised_limit": 30}, "promised_limit"),
    ({"legal_limit": -1}, "legal_limit"),
    ({"lowest_level": "province"}, "lowest_level"),
    ({"source": "village", "lowest_level": "town"}, "lowest_level"),
    ({"form_fields": [{"name": "Bad Name", "label": "x"}]}, "form_fields.0.name"),
    ({"form_fields": [{"name": "kind", "label": "类别", "type": "select"}]}, "form_fields.0.options"),
    ({"form_fields": [{"name": "a", "label": "x", "type": "slider"}]}, "form_fields.0.type"),
    ({"form_fields": [{"name": "a", "label": "x"}, {"name": "a", "label": "y"}]}, "form_fields.1.name"),
    ({"materials": [{"name": "申请书"}, {"name": "申请书"}]}, "materials.1.name"),
])
def test_bad_matter_is_refused_naming_the_field_and_nothing_is_written(catalogue, admin, change, field):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        actions.create_matter(admin, matter_data("BL-900", "GH", **change) if "code" not in change
                              else matter_data(change["code"], "GH"))
    assert field in caught.value.fields
    assert counts() == before


def test_duplicate_code_is_a_duplicate_error(catalogue, admin):
    with pytest.raises(InvalidInput) as caught:
        actions.create_matter(admin, matter_data("BL-001", "GH"))
    assert caught.value.code == "duplicate" and set(caught.value.fields) == {"code"}


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_only_administrators_write_the_catalogue(catalogue, places, role):
    extra = {"department": catalogue["departments"][0]} if role in ("approver", "department_head") else {}
    if role == "window_clerk":
        from onestop.testing import service_centre
        extra = {"service_centre": service_centre(places["town"])}
    if role in ("supervisor", "help_agent", "grid_worker"):
        extra = {"place": places["town"]}
    if role in ("enterprise", "employer_unit"):
        from onestop.testing import enterprise
        extra = {"organisation": enterprise()}
    user = account(role, **extra)
    before = counts()
    with pytest.raises(Forbidden):
        actions.create_matter(user, matter_data("BL-901", "GH"))
    with pytest.raises(Forbidden):
        actions.update_matter(user, "BL-001", {"name": "改名"})
    assert counts() == before


def test_anonymous_write_needs_login(catalogue):
    from django.contrib.auth.models import AnonymousUser
    with pytest.raises(NotAuthenticated):
        actions.deactivate_matter(AnonymousUser(), "BL-001")


def test_superuser_without_the_role_may_write(catalogue):
    boss = account(Role.RESIDENT, is_superuser=True)
    assert actions.update_matter(boss, "BL-001", {"name": "建设工程规划许可（新）"}).name == "建设工程规划许可（新）"


def test_update_replaces_materials_keeping_the_rows_that_stay(catalogue, admin):
    kept = Material.objects.get(matter__code="BL-001", name="申请书")
    matter = actions.update_matter(admin, "BL-001", {"materials": [
        {"name": "设计方案", "required": True, "may_commit": True}, {"name": "申请书", "required": False}]})
    rows = list(matter.materials.order_by("position"))
    assert [(m.name, m.position) for m in rows] == [("设计方案", 1), ("申请书", 2)]
    assert rows[1].pk == kept.pk and not rows[1].required
    event = Event.objects.filter(action="catalog.matter.updated").last()
    assert len(event.before["materials"]) == 3 and len(event.after["materials"]) == 2


def test_a_dropped_material_is_retired_not_deleted_and_comes_back_by_name(catalogue, admin):
    """Applications refer to materials (PROTECT), so dropping one from a matter only retires it."""
    dropped = Material.objects.get(matter__code="BL-001", name="营业执照复印件")
    actions.update_matter(admin, "BL-001", {"materials": [{"name": "申请书"}]})
    assert not Material.objects.filter(pk=dropped.pk).exists()
    assert Material.all_objects.get(pk=dropped.pk).active is False
    matter = actions.update_matter(admin, "BL-001", {"materials": [{"name": "营业执照复印件", "may_defer": True},
                                                                   {"name": "申请书"}]})
    assert [m.pk for m in matter.materials.order_by("position")][0] == dropped.pk


def test_update_with_no_change_writes_no_event(catalogue, admin):
    before = Event.objects.count()
    actions.update_matter(admin, "BL-001", {"name": "建设工程规划许可"})
    assert Event.objects.count() == before


def test_code_cannot_be_changed(catalogue, admin):
    with pytest.raises(InvalidInput) as caught:
        actions.update_matter(admin, "BL-001", {"code": "BL-777"})
    assert "code" in caught.value.fields


def test_deactivate_hides_the_matter_and_is_audited_with_the_reason(catalogue, admin):
    from onestop.catalog import queries
    actions.deactivate_matter(admin, "BL-001", reason="事项取消")
    assert not Matter.objects.get(code="BL-001").active
    assert "BL-001" not in {m.code for m in queries.matters()}
    event = Event.objects.get(action="catalog.matter.deactivated")
    assert event.reason == "事项取消" and event.before["active"] and not event.after["active"]
