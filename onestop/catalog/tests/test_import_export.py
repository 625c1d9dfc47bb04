"""Import and export of the whole catalogue: round trip, row-by-row errors, nothing written from a bad file."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from onestop.audit.models import Event
from onestop.catalog import actions, layout, queries
from onestop.catalog.export import export_json, export_xlsx
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.catalog.transfer import ImportRejected
from onestop.errors import Forbidden, InvalidInput
from onestop.org.models import Role
from onestop.testing import account


def state() -> tuple[int, ...]:
    return (Matter.objects.count(), Material.objects.count(), Bundle.objects.count(), Stage.objects.count(),
            Event.objects.count())


def edit_xlsx(content: bytes, edits: dict[str, list[tuple[int, int, object]]], append: dict | None = None) -> bytes:
    """Change cells (sheet -> [(row, column, value)]) and append rows (sheet -> [row values])."""
    book = load_workbook(BytesIO(content))
    for title, cells in edits.items():
        for row, col, value in cells:
            book[title].cell(row=row, column=col, value=value)
    for title, rows in (append or {}).items():
        for row in rows:
            book[title].append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_export_then_import_gives_the_same_catalogue(catalogue, admin, fmt):
    actions.deactivate_matter(admin, "CN-001")
    before = queries.catalogue_document()
    content = export_xlsx() if fmt == "xlsx" else export_json()
    # Into an empty catalogue: everything is created again from the file alone.
    Bundle.objects.all().delete()
    Matter.objects.all().delete()
    report = actions.import_catalogue(admin, content, f"catalogue.{fmt}")
    assert sorted(report.created) == ["BL-001", "BL-002", "CN-001"] and report.bundles_created == ["XMLD"]
    assert queries.catalogue_document() == before
    # And over itself: nothing changes, no matter event is written.
    events = Event.objects.count()
    report = actions.import_catalogue(admin, content, f"catalogue.{fmt}")
    assert report.created == report.updated == [] and len(report.unchanged) == 3
    assert Event.objects.count() == events + 1  # the import event alone


def test_excel_layout_has_chinese_sheets_and_headers(catalogue):
    book = load_workbook(BytesIO(export_xlsx()))
    assert book.sheetnames == [layout.README_TITLE, "事项", "材料", "表单字段", "一件事", "阶段", layout.DEPARTMENTS_TITLE]
    assert [c.value for c in book["事项"][1]][:3] == ["事项编码", "事项名称", "部门编码"]
    row = {h.value: c.value for h, c in zip(book["事项"][1], book["事项"][2])}
    assert row["时限单位"] == "工作日" and row["最低办理层级"] == "镇级" and row["事项来源"] == "赋权事项"
    materials = [[c.value for c in r] for r in book["材料"].iter_rows(min_row=2)]
    assert ["BL-001", 2, "营业执照复印件", "是", "是", "否", None] in materials


def test_good_excel_file_updates_and_creates_by_code_in_one_audited_import(catalogue, admin):
    content = edit_xlsx(export_xlsx(), {"事项": [(2, 2, "建设工程规划许可证核发")]}, append={
        "事项": [["BL-003", "临时建设工程规划许可", "GH", 20, 10, "工作日", None, "镇级", "赋权事项", "", "是"]],
        "材料": [["BL-003", 1, "临时建设申请", "是", "否", "是", ""]],
    })
    report = actions.import_catalogue(admin, content, "new.xlsx")
    assert report.created == ["BL-003"] and report.updated == ["BL-001"]
    assert Matter.objects.get(code="BL-001").name == "建设工程规划许可证核发"
    assert Matter.objects.get(code="BL-003").materials.get().may_commit
    assert Event.objects.filter(action="catalog.matter.updated", reason__startswith="import new.xlsx").count() == 1
    imported = Event.objects.get(action="catalog.catalogue.imported")
    assert imported.after["created"] == ["BL-003"] and imported.actor_id == admin.pk


def test_bad_excel_file_reports_every_row_and_imports_nothing(catalogue, admin):
    content = edit_xlsx(export_xlsx(), {"事项": [(2, 5, 99)]}, append={  # promised 99 > legal 20
        "事项": [["BL-003", "临时建设工程规划许可", "NOPE", 20, 10, "工作日", None, "镇级", "赋权事项", "", "是"],
                 ["BL-002", "重复编码", "JJ", 5, 1, "工作日", None, "镇级", "赋权事项", "", "是"]],
        "材料": [["ZZ-404", 1, "无主材料", "是", "否", "否", ""]],
        "阶段": [["XMLD", 3, "竣工验收", 5, "工作日", "BL-001、XX-1"]],
    })
    before = state()
    with pytest.raises(ImportRejected) as caught:
        actions.import_catalogue(admin, content, "bad.xlsx")
    found = {(e.sheet, e.row, e.field) for e in caught.value.errors}
    assert ("事项", 2, "promised_limit") in found
    assert ("事项", 5, "department") in found
    assert ("事项", 6, "code") in found  # BL-002 is already at row 3
    assert ("材料", 11, "matter") in found
    assert ("阶段", 4, "stages.2.matters") in found
    body = caught.value.as_dict()
    assert body["error"] == "invalid_import" and "事项[5].department" in body["fields"]
    assert {"sheet": "事项", "row": 5, "column": "部门编码", "field": "department",
            "problem": {"zh": "部门编码“NOPE”不存在。", "en": "Unknown department code 'NOPE'."}} in body["rows"]
    assert state() == before
    assert Matter.objects.get(code="BL-001").promised_limit == 5


def test_missing_column_and_unreadable_files_are_refused_naming_the_file(catalogue, admin):
    book = load_workbook(BytesIO(export_xlsx()))
    book["事项"].delete_cols(3)  # 部门编码
    out = BytesIO()
    book.save(out)
    with pytest.raises(ImportRejected) as caught:
        actions.import_catalogue(admin, out.getvalue(), "x.xlsx")
    assert caught.value.errors[0].column == "部门编码"
    for content, name in ((b"not a zip", "x.xlsx"), (b"{nope", "x.json"), (b"a,b", "x.csv"),
                          (json.dumps({"format": "other"}).encode(), "x.json")):
        with pytest.raises(InvalidInput) as caught:
            actions.import_catalogue(admin, content, name)
        assert set(caught.value.fields) == {"file"}


def test_json_errors_name_the_entry_and_path(catalogue, admin):
    doc = queries.catalogue_document()
    doc["matters"][0]["materials"][1]["required"] = "maybe"
    doc["matters"][1]["form_fields"] = [{"name": "x", "label": "X", "type": "select"}]
    doc["bundles"][0]["stages"][0]["matters"] = ["NOPE"]
    before = state()
    with pytest.raises(ImportRejected) as caught:
        actions.import_catalogue(admin, json.dumps(doc).encode(), "c.json")
    assert {e.key for e in caught.value.errors} == {
        "matters[1].materials.1.required", "matters[2].form_fields.0.options", "bundles[1].stages.0.matters"}
    assert state() == before


def test_import_needs_an_administrator(catalogue):
    with pytest.raises(Forbidden):
        actions.import_catalogue(account(Role.SUPERVISOR, place=catalogue["departments"][0].place), export_json(), "c.json")
