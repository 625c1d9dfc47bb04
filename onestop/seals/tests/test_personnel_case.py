"""The HR bureau's case (在线填报、电子签章、网上流转、联合审批): an employer unit files three appointments
online and seals the list with its own seal; two of the bureau's departments approve jointly; the bureau
issues three e-appointment letters (电子聘书) under its personnel seal (人事专用章), each found by its
number and verified valid."""
from dataclasses import dataclass
from typing import Any

import pytest

from onestop import testing as t
from onestop.approvals import actions as approvals
from onestop.approvals.models import Application
from onestop.audit.models import Event
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.errors import Forbidden, InvalidInput, NotFound
from onestop.org.models import CentreLevel, Role
from onestop.seals import actions as seals
from onestop.seals import personnel, queries, verify
from onestop.seals.models import IssuedDocument, SealUse

PASSPHRASE = "unit-pass-2026"
ROWS = [{"name": "张三", "post": "专业技术岗位", "grade": "十级", "start": "2026-01-01", "end": "2028-12-31"},
        {"name": "李四", "post": "管理岗位", "grade": "八级", "start": "2026-01-01", "end": "2028-12-31"},
        {"name": "王五", "post": "工勤技能岗位", "start": "2026年3月1日", "end": "2029年2月28日"}]


@dataclass
class HR:
    unit: Any
    unit_user: Any
    unit_seal: Any
    clerk: Any
    bureau_seal: Any
    approvers: list
    centre: Any


@pytest.fixture
def hr(places):
    admin = t.account(Role.ADMINISTRATOR)
    centre = t.service_centre(places["district"], name="区行政服务中心", level=CentreLevel.DISTRICT)
    bureau = t.department(places["district"], name="青岛西海岸新区人力资源和社会保障局", code="HR-RSJ")
    offices = [t.department(places["district"], name=f"人力资源和社会保障局{n}", code=f"HR-RSJ{i}")
               for i, n in enumerate(("事业单位人事管理科", "工资福利科"), 1)]
    bundle = Bundle.objects.create(code="HR-PRIN", name="事业单位岗位聘任")
    stage = Stage.objects.create(bundle=bundle, position=1, name="聘任审核", promised_limit=5)
    for i, (office, name) in enumerate(zip(offices, ("事业单位岗位聘任备案", "岗位聘任工资核定")), 1):
        m = Matter.objects.create(code=f"HR-M{i}", name=name, department=office, promised_limit=5, legal_limit=20,
                                  lowest_level="district", source="own", form_fields=[])
        Material.objects.create(matter=m, position=1, name=f"{name}报送清单", required=True)
        stage.matters.add(m)
    unit = t.enterprise(name="青岛西海岸新区第一中学", kind="employer_unit")
    unit_user = t.account(Role.EMPLOYER_UNIT, organisation=unit)
    unit_seal = seals.create_seal(unit_user, kind="official", organisation=unit.pk, passphrase=PASSPHRASE)
    seals.grant_use(unit_user, unit_seal.pk, unit_user.pk)
    clerk = t.account(Role.WINDOW_CLERK, service_centre=centre)
    bureau_seal = seals.create_seal(admin, kind="personnel", department=bureau.pk)
    seals.grant_use(admin, bureau_seal.pk, clerk.pk)
    return HR(unit, unit_user, unit_seal, clerk, bureau_seal, [t.account(Role.APPROVER, department=o) for o in offices],
              centre)


def submit(hr: HR, rows=ROWS, passphrase=PASSPHRASE) -> Application:
    return personnel.submit_personnel_batch(hr.unit_user, matter_code="HR-PRIN", rows=rows, seal_id=hr.unit_seal.pk,
                                            passphrase=passphrase, centre_id=hr.centre.pk)


def nothing_written() -> bool:
    return not Application.objects.exists() and not SealUse.objects.exists() and not IssuedDocument.objects.exists() \
        and not (seals.seals_dir() / "submissions").exists()


def test_unit_seals_its_batch_bureau_approves_jointly_and_issues_three_sealed_letters(hr):
    app = submit(hr)
    assert [r["name"] for r in app.form_data["rows"]] == ["张三", "李四", "王五"]
    report = verify.verify_pdf(personnel.submission_pdf(app))
    assert report["valid"], report
    assert [s["seal_id"] for s in report["signatures"]] == [hr.unit_seal.pk]
    assert "第一中学" in report["signatures"][0]["signer"]
    # the sealed submission is an issued document of its own (报送材料): found by its number, in the use log
    submitted = IssuedDocument.objects.get(kind="submission")
    assert app.form_data["submission"]["document"] == submitted.number and "报" in submitted.number
    assert report["document_number"] == submitted.number
    found = queries.lookup(submitted.number)
    assert found["kind"] == "submission" and found["sha256"] == app.form_data["submission"]["sha256"]
    [use] = queries.uses(hr.unit_user, hr.unit_seal.pk)
    assert use.document == submitted and use.account == hr.unit_user
    assert submitted.number in queries.uses_csv(queries.uses(hr.unit_user, hr.unit_seal.pk))

    approvals.accept_application(hr.clerk, app.pk, provided=[m.material_id for m in app.materials.all()])
    tasks = list(Application.objects.get(pk=app.pk).tasks.order_by("department__code"))
    assert [task.department_id for task in tasks] == [a.department_id for a in hr.approvers]  # joint: two offices
    for task, approver in zip(tasks, hr.approvers):
        approvals.approve_task(approver, task.pk, opinion="同意")

    numbers = personnel.issue_personnel_results(hr.clerk, app.pk, seal_id=hr.bureau_seal.pk)
    assert len(numbers) == 3
    app.refresh_from_db()
    assert app.state == "issued" and app.form_data["documents"] == numbers
    for number, row in zip(numbers, ROWS):
        found = queries.lookup(number)
        assert found["kind"] == "appointment" and found["title"] == "电子聘书"
        doc = IssuedDocument.objects.get(number=number)
        assert doc.data["name"] == row["name"] and list(doc.seals.all()) == [hr.bureau_seal]
        report = verify.verify_pdf((seals.seals_dir() / doc.path).read_bytes())
        assert report["valid"] and report["document_number"] == number, report
        assert [s["seal_id"] for s in report["signatures"]] == [hr.bureau_seal.pk]
    assert Event.objects.filter(action="personnel.results_issued").count() == 1


def test_a_wrong_passphrase_is_refused_and_nothing_is_written(hr):
    with pytest.raises(InvalidInput) as caught:
        submit(hr, passphrase="not-the-passphrase")
    assert caught.value.status == 400 and "passphrase" in caught.value.fields
    assert nothing_written()


def test_a_bad_row_is_named_and_nothing_is_written(hr):
    rows = [ROWS[0], {"name": "赵六", "post": "", "start": "2026-13-01", "end": "2028-12-31"}, ROWS[2]]
    with pytest.raises(InvalidInput) as caught:
        submit(hr, rows=rows)
    assert caught.value.fields == {"rows.2.post": "required", "rows.2.start": "not a date"}
    assert nothing_written()


def test_only_the_units_own_seal_can_seal_its_submission(hr):
    hr.bureau_seal.grants.create(account=hr.unit_user)
    with pytest.raises(InvalidInput) as caught:
        personnel.submit_personnel_batch(hr.unit_user, matter_code="HR-PRIN", rows=ROWS, seal_id=hr.bureau_seal.pk,
                                         passphrase=PASSPHRASE)
    assert "seal_id" in caught.value.fields and nothing_written()


def test_a_pay_change_on_the_demo_form_issues_sealed_decisions_per_row(hr):
    from onestop.demo.catalog_forms import form_fields

    office = hr.approvers[1].department
    m = Matter.objects.create(code="HR-PAY", name="机关事业单位工作人员工资调整审核", department=office, promised_limit=20,
                              legal_limit=20, lowest_level="district", source="own", form_fields=form_fields("hr"))
    Material.objects.create(matter=m, position=1, name="人员信息表", required=True)
    rows = [{"name": "张三", "post": "专业技术岗位", "grade": "九级", "date": "2026-07-01"},
            {"name": "李四", "post": "管理岗位", "date": "2026/07/01"}]
    with pytest.raises(InvalidInput) as caught:  # a pay change needs its effective date
        personnel.submit_personnel_batch(hr.unit_user, matter_code="HR-PAY", rows=[{"name": "王五", "post": "工勤"}],
                                         seal_id=hr.unit_seal.pk, passphrase=PASSPHRASE, centre_id=hr.centre.pk)
    assert caught.value.fields == {"rows.1.date": "required"} and nothing_written()
    app = personnel.submit_personnel_batch(
        hr.unit_user, matter_code="HR-PAY", rows=rows, seal_id=hr.unit_seal.pk, passphrase=PASSPHRASE,
        centre_id=hr.centre.pk, form_data={"contact_name": "周老师", "contact_phone": "13900000000"})
    assert app.form_data["staff_count"] == 2
    approvals.accept_application(hr.clerk, app.pk, provided=[x.material_id for x in app.materials.all()])
    task = app.tasks.get()
    approvals.approve_task(hr.approvers[1], task.pk, opinion="同意")
    numbers = personnel.issue_personnel_results(hr.clerk, app.pk, seal_id=hr.bureau_seal.pk)
    docs = [IssuedDocument.objects.get(number=n) for n in numbers]
    assert [(d.kind, d.recipient) for d in docs] == [("approval", "张三"), ("approval", "李四")]
    assert all(verify.verify_pdf((seals.seals_dir() / d.path).read_bytes())["valid"] for d in docs)


def test_a_clerk_without_the_bureau_seal_issues_nothing(hr):
    app = submit(hr)
    approvals.accept_application(hr.clerk, app.pk, provided=[m.material_id for m in app.materials.all()])
    for task, approver in zip(app.tasks.order_by("department__code"), hr.approvers):
        approvals.approve_task(approver, task.pk, opinion="同意")
    colleague = t.account(Role.WINDOW_CLERK, service_centre=hr.centre)
    with pytest.raises((Forbidden, NotFound)):  # the seals app hides a seal the clerk may not use
        personnel.issue_personnel_results(colleague, app.pk, seal_id=hr.bureau_seal.pk)
    app.refresh_from_db()
    assert app.state == "approved" and not IssuedDocument.objects.exclude(kind="submission").exists()


def test_the_page_files_a_sealed_batch_and_names_a_bad_row(hr, client):
    client.force_login(hr.unit_user)
    page = client.get("/seals/personnel/")
    assert page.status_code == 200 and "事业单位岗位聘任备案" in page.content.decode()
    form = {"matter_code": "HR-M1", "seal_id": hr.unit_seal.pk, "passphrase": PASSPHRASE,
            "rows": "张三,专业技术岗位,2026-01-01,2028-12-31,十级\n李四,,2026-01-01,2028-12-31"}
    bad = client.post("/seals/personnel/", form)
    assert bad.status_code == 400 and "rows.2.post" in bad.content.decode() and nothing_written()
    form["rows"] = "张三,专业技术岗位,2026-01-01,2028-12-31,十级\n李四，管理岗位，2026-01-01，2028-12-31"
    ok = client.post("/seals/personnel/", form)
    app = Application.objects.get()
    assert ok.status_code == 200 and app.number in ok.content.decode()
    assert [r["name"] for r in app.form_data["rows"]] == ["张三", "李四"]
    assert verify.verify_pdf(personnel.submission_pdf(app))["valid"]
