"""Reading a year of the official calendar from a file (CSV or Excel .xlsx, columns date, kind, name).

Every row is checked and every bad row is named ("row 4": what is wrong), so the administrator can fix
the file in one go; the caller imports nothing unless there is no error at all.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO, Iterable

from onestop.worktime.models import FIRST_YEAR, LAST_YEAR, DayKind

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "班": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY,
}
HEADER_WORDS = {"date": "date", "日期": "date", "kind": "kind", "类型": "kind", "name": "name", "名称": "name",
                "节日": "name"}
MAX_ROWS = 2000


@dataclass
class Parsed:
    rows: list[tuple[date, str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d, _, _ in self.rows})


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")) if text.count("-") == 2 else text)


def check_rows(raw: Iterable[tuple[int, Any, Any, Any]]) -> Parsed:
    """Check (line, date, kind, name) rows; `errors` is keyed "row <line>"."""
    out, seen = Parsed(), {}
    for line, raw_date, raw_kind, raw_name in raw:
        key = f"row {line}"
        try:
            day = _as_date(raw_date)
        except (TypeError, ValueError):
            out.errors[key] = f"date {raw_date!r} is not a date like 2027-01-01"
            continue
        kind = KIND_WORDS.get(str(raw_kind or "").strip().lower())
        name = str(raw_name or "").strip()
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            out.errors[key] = f"date {day} is outside {FIRST_YEAR}..{LAST_YEAR}"
        elif kind is None:
            out.errors[key] = f"kind {raw_kind!r} is neither holiday (休) nor workday (班)"
        elif not name or len(name) > 64:
            out.errors[key] = "name is missing" if not name else "name is longer than 64 characters"
        elif kind == DayKind.WORKDAY and day.weekday() < 5:
            out.errors[key] = f"{day} is a weekday, a working day already: only a weekend can be a working weekend"
        elif day in seen:
            out.errors[key] = f"{day} is given twice (also row {seen[day]})"
        else:
            seen[day] = line
            out.rows.append((day, kind, name))
    out.rows.sort()
    return out


def _header(cells: list[Any]) -> dict[str, int] | None:
    columns = {HEADER_WORDS.get(str(c or "").strip().lower()): i for i, c in enumerate(cells)}
    columns.pop(None, None)
    return columns if {"date", "kind", "name"} <= columns.keys() else None


def _table_rows(table: list[list[Any]]) -> Parsed:
    if not table:
        return Parsed(errors={"file": "the file is empty"})
    columns = _header(table[0])
    if columns is None:
        return Parsed(errors={"file": "the first row must name the columns date, kind, name"})
    body = [(n, r) for n, r in enumerate(table[1:], start=2) if any(str(c or "").strip() for c in r)]
    if not body:
        return Parsed(errors={"file": "the file has no rows under its header"})
    if len(body) > MAX_ROWS:
        return Parsed(errors={"file": f"the file has more than {MAX_ROWS} rows"})

    def cell(row: list[Any], name: str) -> Any:
        i = columns[name]
        return row[i] if i < len(row) else None

    return check_rows((n, cell(r, "date"), cell(r, "kind"), cell(r, "name")) for n, r in body)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "neither UTF-8 nor GB18030")


def parse_file(upload: BinaryIO, filename: str) -> Parsed:
    """Read a .csv or .xlsx file of calendar days; unreadable files are an error on "file"."""
    data = upload.read()
    lower = filename.lower()
    try:
        if lower.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            table = [list(r) for r in sheet.iter_rows(values_only=True)]
        elif lower.endswith(".csv"):
            table = [list(r) for r in csv.reader(io.StringIO(_decode(data)))]
        else:
            return Parsed(errors={"file": "the file must be .csv or .xlsx"})
    except Exception as exc:  # a damaged file is the user's input error, whatever the library raises
        return Parsed(errors={"file": f"the file cannot be read ({type(exc).__name__})"})
    return _table_rows(table)
