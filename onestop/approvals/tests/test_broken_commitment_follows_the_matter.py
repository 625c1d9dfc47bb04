"""A broken commitment (失信) is always recorded; it stops the application when the catalogue's matter says so
(`Matter.broken_commitment_stops`, 失信即终止), whatever kind of owed material (容缺 or 告知承诺) it was.
In a stage application the document may be asked by several of the stage's matters: the strictest decides."""
import pytest

from onestop.approvals import actions, followups
from onestop.approvals.builders import build, required_ids
from onestop.approvals.models import AppState, MaterialStatus
from onestop.approvals.tests.conftest import day
from onestop.audit.models import Event
from onestop.catalog.models import Material

pytestmark = pytest.mark.django_db
MATTER = "企业投资项目备案"


def accepted(w, owed_name: str, *, matter=None, stage=None):
    """An application accepted with the material named `owed_name` owed for 10 days; returns (app, owed row)."""
    kw = {"stage_id": stage.pk} if stage else {"matter_id": matter.pk}
    app = actions.submit_application(w.enterprise_user, project_id=w.project.pk, at=day(2026, 3, 2), **kw)
    owed = app.materials.select_related("material").get(material__name=owed_name,
                                                        material__matter=matter or stage.matters.first())
    provided = [pk for pk in required_ids(app) if pk != owed.material_id]
    actions.accept_application(w.clerk, app.pk, provided=provided, deferred={owed.material_id: 10},
                               commitment="申请人承诺十日内补交", at=day(2026, 3, 2))
    return app, owed


def test_a_matter_that_says_so_stops_the_application_even_for_a_deferred_material(db):
    w = build("BC1")
    matter = w.matters[MATTER]
    assert matter.broken_commitment_stops  # the default
    app, owed = accepted(w, f"{MATTER}证明材料", matter=matter)  # 容缺 (may_defer), not 告知承诺
    assert not owed.material.may_commit
    row = followups.record_broken_commitment(w.clerk, owed.pk, reason="逾期未补交", at=day(2026, 3, 20))
    app.refresh_from_db()
    assert row.status == MaterialStatus.BROKEN and app.state == AppState.STOPPED
    event = Event.objects.filter(action="approvals.commitment_broken").latest("id")
    assert event.after["stopped"] is True and event.after["decided_by"] == "catalogue"


def test_a_matter_that_says_no_only_records_it_even_for_a_commitment_material(db):
    w = build("BC2")
    matter = w.matters[MATTER]
    matter.broken_commitment_stops = False
    matter.save(update_fields=["broken_commitment_stops"])
    app, owed = accepted(w, f"{MATTER}承诺书", matter=matter)  # 告知承诺 (may_commit)
    assert owed.material.may_commit
    row = followups.record_broken_commitment(w.clerk, owed.pk, reason="承诺内容不实", at=day(2026, 3, 20))
    app.refresh_from_db()
    assert row.status == MaterialStatus.BROKEN and app.state == AppState.IN_REVIEW
    assert Event.objects.filter(action="approvals.commitment_broken").latest("id").after["stopped"] is False


def test_the_clerks_explicit_choice_still_overrides_the_catalogue(db):
    w = build("BC3")
    app, owed = accepted(w, f"{MATTER}证明材料", matter=w.matters[MATTER])
    followups.record_broken_commitment(w.clerk, owed.pk, reason="已说明原因", stop=False, at=day(2026, 3, 20))
    app.refresh_from_db()
    assert app.state == AppState.IN_REVIEW
    assert Event.objects.filter(action="approvals.commitment_broken").latest("id").after["decided_by"] == "clerk"


STAGE = (("立项", [("甲事项", 3, 5), ("乙事项", 3, 5)]),)


def stage_world(prefix: str, strict: str | None):
    """Both matters of the stage ask for 营业执照 (may be deferred); only `strict` stops on a broken commitment."""
    w = build(prefix, stages=STAGE)
    for name, m in w.matters.items():
        Material.objects.create(matter=m, position=5, name="营业执照", required=True, may_defer=True)
        m.broken_commitment_stops = name == strict
        m.save(update_fields=["broken_commitment_stops"])
    return w


@pytest.mark.parametrize("strict, stops", [("乙事项", True), (None, False)])
def test_in_a_stage_any_matter_asking_for_the_same_document_decides(db, strict, stops):
    w = stage_world(f"BC4{strict or 'N'}", strict)
    stage = w.stages[0]
    app, owed = accepted(w, "营业执照", stage=stage)
    assert owed.material.matter.name == "甲事项"  # the row broken is 甲's, the strict matter is 乙
    followups.record_broken_commitment(w.clerk, owed.pk, reason="营业执照未补交", at=day(2026, 3, 20))
    app.refresh_from_db()
    assert (app.state == AppState.STOPPED) is stops


def test_in_a_stage_a_document_only_a_lenient_matter_asks_for_does_not_stop(db):
    w = stage_world("BC5", "乙事项")
    app, owed = accepted(w, "甲事项证明材料", stage=w.stages[0])
    followups.record_broken_commitment(w.clerk, owed.pk, reason="逾期未补交", at=day(2026, 3, 20))
    app.refresh_from_db()
    assert app.state == AppState.IN_REVIEW
