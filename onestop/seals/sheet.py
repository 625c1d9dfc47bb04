"""Reading a spreadsheet of appointment letters (聘任名单) with row-by-row validation (openpyxl).

Columns are found by their header (Chinese or English): 姓名 name, 身份证号 id_number, 聘用单位 unit,
岗位 post, 岗位等级 grade, 聘期开始 start, 聘期结束 end. Every bad row is reported at once, as
`rows.<n>.<field>` in the error's fields, and nothing is created.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook

from onestop.errors import InvalidInput, field_error

HEADERS = {
    "姓名": "name", "name": "name", "身份证号": "id_number", "id_number": "id_number", "聘用单位": "unit",
    "unit": "unit", "岗位": "post", "post": "post", "岗位等级": "grade", "grade": "grade",
    "聘期开始": "start", "start": "start", "聘期结束": "end", "end": "end",
}
REQUIRED = ("name", "unit", "post", "start", "end")
ID_RE = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_ok(value: str) -> bool:
    """GB 11643 resident identity number with its check digit."""
    if not ID_RE.match(value):
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], ID_WEIGHTS))
    return "10X98765432"[total % 11] == value[17]


def id_check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _row(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    data = {k: str(v).strip() for k, v in values.items() if v is not None and not isinstance(v, (dt.date, dt.datetime))}
    for field in REQUIRED:
        if values.get(field) in (None, ""):
            errors[field] = "required"
    if data.get("id_number") and not id_ok(data["id_number"].upper()):
        errors["id_number"] = "not a valid identity number"
    start, end = _date(values.get("start")), _date(values.get("end"))
    if values.get("start") not in (None, "") and start is None:
        errors["start"] = "not a date"
    if values.get("end") not in (None, "") and end is None:
        errors["end"] = "not a date"
    if start and end:
        if end < start:
            errors["end"] = "before the start"
        data["start"], data["end"] = _cn(start), _cn(end)
        data["term"] = f"{_cn(start)}至{_cn(end)}"
    for field, limit in (("name", 32), ("unit", 64), ("post", 64)):
        if len(data.get(field, "")) > limit:
            errors[field] = f"longer than {limit} characters"
    return data, errors


def parse_appointments(data: bytes, *, max_rows: int) -> list[tuple[int, dict[str, Any]]]:
    """[(row number, fields)] of a valid sheet; InvalidInput naming every bad row otherwise."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise field_error("file", "不是有效的Excel（.xlsx）文件。", "The file is not an .xlsx spreadsheet.") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {i: HEADERS.get(str(h).strip()) for i, h in enumerate(header) if h is not None}
    missing = [f for f in REQUIRED if f not in columns.values()]
    if missing:
        raise InvalidInput("表头缺少必填列。", "The header lacks required columns.",
                           fields={"file": f"missing columns: {', '.join(missing)}"})
    out, errors = [], {}
    for n, raw in enumerate(rows, start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        values = {columns[i]: v for i, v in enumerate(raw) if columns.get(i)}
        data, bad = _row(values)
        for field, problem in bad.items():
            errors[f"rows.{n}.{field}"] = problem
        out.append((n, data))
        if len(out) > max_rows:
            raise field_error("file", f"一次最多{max_rows}行。", f"At most {max_rows} rows per batch.")
    wb.close()
    if not out:
        raise field_error("file", "表格没有数据行。", "The spreadsheet has no rows.")
    if errors:
        raise InvalidInput(f"表格有{len({k.split('.')[1] for k in errors})}行数据有误，未开始用印。",
                           "Some rows are invalid; nothing was sealed.", fields=errors)
    return out


def make_sheet(rows: list[dict[str, Any]]) -> bytes:
    """An .xlsx with the standard header (for tests, the benchmark and as a download template)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "聘用单位", "岗位", "岗位等级", "聘期开始", "聘期结束"])
    for r in rows:
        ws.append([r.get("name"), r.get("id_number"), r.get("unit"), r.get("post"), r.get("grade"),
                   r.get("start"), r.get("end")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sample_rows(n: int, unit: str = "青岛西海岸新区第一中学") -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        first17 = f"370211199{i % 10}{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
        rows.append({"name": f"职工{i + 1:04d}", "id_number": first17 + id_check_digit(first17), "unit": unit,
                     "post": "专业技术岗位", "grade": f"{(i % 13) + 1}级", "start": dt.date(2026, 1, 1),
                     "end": dt.date(2028, 12, 31)})
    return rows
