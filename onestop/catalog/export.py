"""Writing the whole catalogue as JSON or as the Excel file of `layout.py` (导出事项清单).

The Excel file is also the template a centre fills in: an instructions sheet, the department codes, drop-
down lists for every closed choice, a frozen header row.
"""
from __future__ import annotations

import json
from io import BytesIO
from typing import Any

from onestop.catalog import layout
from onestop.catalog.queries import catalogue_document
from onestop.catalog.spec import FIELD_TYPES
from onestop.org.models import Department


def export_json(document: dict[str, Any] | None = None) -> bytes:
    return json.dumps(document or catalogue_document(), ensure_ascii=False, indent=2).encode("utf-8")


def _yes(value: bool) -> str:
    return layout.YES if value else layout.NO


def _matter_row(m: dict) -> list[Any]:
    return [m["code"], m["name"], m["department"], m["legal_limit"], m["promised_limit"],
            layout.UNIT_LABEL.get(m["limit_unit"], m["limit_unit"]), m["warn_days"],
            layout.LEVEL_LABEL.get(m["lowest_level"], m["lowest_level"]),
            layout.SOURCE_LABEL.get(m["source"], m["source"]), m["legal_basis"], _yes(m["active"]),
            _yes(m.get("broken_commitment_stops", True))]


def _rows(document: dict[str, Any]) -> dict[str, list[list[Any]]]:
    rows: dict[str, list[list[Any]]] = {s.key: [] for s in layout.DATA_SHEETS}
    for m in document["matters"]:
        rows["matters"].append(_matter_row(m))
        for i, mat in enumerate(m["materials"], start=1):
            rows["materials"].append([m["code"], i, mat["name"], _yes(mat["required"]), _yes(mat["may_defer"]),
                                      _yes(mat["may_commit"]), mat["note"]])
        for i, f in enumerate(m["form_fields"], start=1):
            rows["form_fields"].append([m["code"], i, f.get("name", ""), f.get("label", ""), f.get("type", "text"),
                                        _yes(bool(f.get("required"))), "|".join(f.get("options") or [])])
    for b in document["bundles"]:
        rows["bundles"].append([b["code"], b["name"], b["description"]])
        for i, s in enumerate(b["stages"], start=1):
            rows["stages"].append([b["code"], i, s["name"], s["promised_limit"],
                                   layout.UNIT_LABEL.get(s["limit_unit"], s["limit_unit"]), "、".join(s["matters"])])
    return rows


def _choices(*words: str) -> str:
    return '"' + ",".join(words) + '"'


DROPDOWNS = {
    "limit_unit": _choices(*layout.UNIT_LABEL.values()),
    "lowest_level": _choices(*layout.LEVEL_LABEL.values()),
    "source": _choices(*layout.SOURCE_LABEL.values()),
    "active": _choices(layout.YES, layout.NO),
    "broken_commitment_stops": _choices(layout.YES, layout.NO),
    "required": _choices(layout.YES, layout.NO),
    "may_defer": _choices(layout.YES, layout.NO),
    "may_commit": _choices(layout.YES, layout.NO),
    "type": _choices(*FIELD_TYPES),
}


def export_xlsx(document: dict[str, Any] | None = None) -> bytes:
    """The catalogue (or, with an empty document, the blank template) as an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    document = document if document is not None else catalogue_document()
    book = Workbook()
    readme = book.active
    readme.title = layout.README_TITLE
    for line in layout.README_LINES:
        readme.append([line])
    readme.column_dimensions["A"].width = 120
    readme["A1"].font = Font(bold=True, size=14)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    rows = _rows(document)
    for sheet in layout.DATA_SHEETS:
        ws = book.create_sheet(sheet.title)
        ws.append([header for _, header in sheet.columns])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows[sheet.key]:
            ws.append(row)
        ws.freeze_panes = "A2"
        for i, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for i, (field, _) in enumerate(sheet.columns, start=1):
            letter = get_column_letter(i)
            if field in DROPDOWNS:
                dv = DataValidation(type="list", formula1=DROPDOWNS[field], allow_blank=True)
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
            if field in ("legal_basis", "matters", "note", "description"):
                for cell in ws[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    depts = book.create_sheet(layout.DEPARTMENTS_TITLE)
    depts.append(["部门编码", "部门名称", "所在地"])
    for d in Department.objects.select_related("place").order_by("code"):
        depts.append([d.code, d.name, d.place.name])
    for cell in depts[1]:
        cell.font, cell.fill = bold, fill
    depts.column_dimensions["A"].width, depts.column_dimensions["B"].width = 14, 36
    out = BytesIO()
    book.save(out)
    return out.getvalue()
