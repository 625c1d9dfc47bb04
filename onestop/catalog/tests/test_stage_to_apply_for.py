"""`queries.stage_to_apply_for`: a stage, its matters in use and their materials in use, read in one
statement, in the order the ORM's own reads give."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.approvals.builders import build
from onestop.catalog.models import Material, Matter, Stage
from onestop.catalog.queries import stage_to_apply_for

pytestmark = pytest.mark.django_db


def orm_reading(stage: Stage) -> tuple[list[int], list[int]]:
    matters = list(stage.matters.filter(active=True).order_by("code"))
    materials = Material.objects.filter(matter__in=matters, active=True).order_by("matter__code", "position")
    return [m.pk for m in matters], list(materials.values_list("pk", flat=True))


def test_a_stage_is_read_with_its_matters_and_materials_in_use_in_order_in_one_statement():
    w = build("Q")
    stage = w.stages[2]  # three matters
    first, second, _ = stage.matters.order_by("code")
    Material.objects.filter(matter=first, position=2).update(active=False)
    Matter.objects.filter(pk=second.pk).update(active=False)
    Material.objects.filter(matter=first, position=1).update(position=9)  # now last of its matter's
    with CaptureQueriesContext(connection) as queries:
        found, matters, materials = stage_to_apply_for(stage.pk)
    assert len(queries) == 1
    assert (found.pk, found.name, found.promised_limit) == (stage.pk, stage.name, stage.promised_limit)
    assert ([m.pk for m in matters], materials) == orm_reading(stage)
    assert matters[0].form_fields == first.form_fields
    assert matters[0].get_deferred_fields() >= {"name", "code", "department_id"}


def test_a_stage_without_matters_in_use_has_none_and_an_unknown_stage_is_none():
    w = build("Q")
    stage = w.stages[3]
    Matter.objects.filter(stages=stage).update(active=False)
    assert stage_to_apply_for(stage.pk)[1:] == ([], [])
    Material.objects.filter(matter__stages=w.stages[1]).update(active=False)
    _, matters, materials = stage_to_apply_for(w.stages[1].pk)
    assert (len(matters), materials) == (2, [])  # matters without a material in use are still there
    assert stage_to_apply_for(10 ** 9) is None
