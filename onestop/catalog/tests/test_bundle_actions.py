"""Bundles (一件事): ordered stages, each with its matters; stages must name known matters."""
from __future__ import annotations

import pytest

from onestop.audit.models import Event
from onestop.catalog import actions, queries
from onestop.catalog.models import Bundle, Stage
from onestop.errors import Forbidden, InvalidInput
from onestop.org.models import Role
from onestop.testing import account


def test_bundle_keeps_its_stages_in_order_with_their_matters(catalogue):
    bundle = queries.bundle_detail("XMLD")
    stages = list(bundle.stages.all())
    assert [(s.position, s.name) for s in stages] == [(1, "项目立项"), (2, "建设施工")]
    assert sorted(m.code for m in stages[1].matters.all()) == ["BL-001", "CN-001"]
    assert Event.objects.filter(action="catalog.bundle.created").count() == 1


def test_stage_naming_an_unknown_matter_is_refused_and_nothing_is_written(catalogue, admin):
    before = (Bundle.objects.count(), Stage.objects.count(), Event.objects.count())
    with pytest.raises(InvalidInput) as caught:
        actions.create_bundle(admin, {"code": "QYKB", "name": "企业开办", "stages": [
            {"name": "登记", "promised_limit": 1, "matters": ["BL-002"]},
            {"name": "刻章", "promised_limit": 1, "matters": ["NO-SUCH"]}]})
    assert "stages.1.matters" in caught.value.fields
    assert (Bundle.objects.count(), Stage.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("stages, field", [
    ([], "stages"),
    ([{"name": "登记", "promised_limit": 1, "matters": []}], "stages.0.matters"),
    ([{"name": "登记", "promised_limit": -2, "matters": ["BL-002"]}], "stages.0.promised_limit"),
    ([{"name": "登记", "promised_limit": 1, "matters": ["BL-002"]},
      {"name": "登记", "promised_limit": 1, "matters": ["BL-001"]}], "stages.1.name"),
])
def test_bad_stages_are_refused_naming_the_field(catalogue, admin, stages, field):
    with pytest.raises(InvalidInput) as caught:
        actions.create_bundle(admin, {"code": "QYKB", "name": "企业开办", "stages": stages})
    assert field in caught.value.fields


def test_duplicate_bundle_code(catalogue, admin):
    with pytest.raises(InvalidInput) as caught:
        actions.create_bundle(admin, {"code": "XMLD", "name": "x", "stages": [
            {"name": "a", "promised_limit": 1, "matters": ["BL-001"]}]})
    assert caught.value.code == "duplicate" and "code" in caught.value.fields


def test_update_reorders_and_trims_stages_keeping_positions(catalogue, admin):
    first = Stage.objects.get(bundle__code="XMLD", position=1)
    bundle = actions.update_bundle(admin, "XMLD", {"stages": [
        {"name": "项目立项", "promised_limit": 2, "matters": ["BL-002", "BL-001"]}]})
    stages = list(bundle.stages.order_by("position"))
    assert len(stages) == 1 and stages[0].pk == first.pk and stages[0].promised_limit == 2
    event = Event.objects.get(action="catalog.bundle.updated")
    assert len(event.before["stages"]) == 2 and event.after["stages"][0]["matters"] == ["BL-001", "BL-002"]


def test_non_administrator_may_not_create_a_bundle(catalogue):
    with pytest.raises(Forbidden):
        actions.create_bundle(account(Role.COMMISSIONER), {"code": "Q", "name": "x", "stages": []})
