"""The project's route (办理路径) from the catalogue with expected dates on the calendar, and its PDF."""
from datetime import date

import pytest

from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.stewards import route

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundled(w):
    bundle = Bundle.objects.create(code="XMLD", name="项目落地一件事")
    stage1 = Stage.objects.create(bundle=bundle, position=1, name="项目立项", promised_limit=3)
    stage2 = Stage.objects.create(bundle=bundle, position=2, name="建设施工", promised_limit=5)
    filing = Matter.objects.create(code="M1", name="企业投资项目备案", department=w.department, legal_limit=5,
                                   promised_limit=2, lowest_level="town", source="delegated")
    permit = Matter.objects.create(code="M2", name="建筑工程施工许可", department=w.department, legal_limit=15,
                                   promised_limit=5, lowest_level="town", source="delegated", legal_basis="《建筑法》")
    Material.objects.create(matter=filing, position=1, name="项目备案申请表")
    Material.objects.create(matter=permit, position=1, name="施工图审查合格书", may_defer=True)
    Material.objects.create(matter=permit, position=2, name="资金到位证明", may_commit=True, required=False)
    stage1.matters.add(filing)
    stage2.matters.add(permit)
    project = w.projects[0]
    project.bundle = bundle
    project.save(update_fields=["bundle"])
    return project


def test_the_route_lists_stages_matters_materials_and_expected_dates_on_the_calendar(bundled):
    r = route.build(bundled, date(2026, 9, 28))  # Monday; 10-01..10-07 National Day, 10-10 a working Saturday
    assert [(s.name, s.expected_start, s.expected_end) for s in r.stages] == [
        ("项目立项", date(2026, 9, 28), date(2026, 10, 8)),  # 09-29, 09-30, 10-08
        ("建设施工", date(2026, 10, 9), date(2026, 10, 14)),  # 10-09, 10-10, 10-12, 10-13, 10-14
    ]
    permit = r.stages[1].matters[0]
    assert (permit.name, permit.promised_limit, permit.legal_limit, permit.department) == \
        ("建筑工程施工许可", 5, 15, "规划建设办公室")
    assert [(m.name, m.may_defer, m.may_commit, m.required) for m in permit.materials] == [
        ("施工图审查合格书", True, False, True), ("资金到位证明", False, True, False)]
    assert r.expected_end == date(2026, 10, 14)


def test_the_route_api_and_the_pdf_with_its_embedded_chinese_font(bundled, as_, w):
    c = as_(w.users[0])
    body = c.get(f"/api/stewards/projects/{bundled.pk}/route?start=2026-09-28").json()
    assert body["bundle"] == "项目落地一件事" and body["expected_end"] == "2026-10-14"
    pdf = c.get(f"/api/stewards/projects/{bundled.pk}/route.pdf?start=2026-09-28")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"/FontFile2" in pdf.content and b"WenQuanYi" in pdf.content
    assert c.logout() is None
    assert as_(w.outsider).get(f"/api/stewards/projects/{bundled.pk}/route.pdf").status_code == 404


def test_stages_the_project_has_passed_are_marked_done_and_the_dates_start_at_its_stage(bundled):
    bundled.stage = "construction"
    bundled.save(update_fields=["stage"])
    r = route.build(bundled, date(2026, 9, 28))
    assert [(s.name, s.done, s.expected_start, s.expected_end) for s in r.stages] == [
        ("项目立项", True, None, None),
        ("建设施工", False, date(2026, 9, 28), date(2026, 10, 10)),  # 09-29, 09-30, 10-08, 10-09, 10-10 (调休)
    ]
