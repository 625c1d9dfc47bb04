"""Reading a catalogue file (Excel or JSON) and checking every row of it before anything is written.

`read_file` turns the bytes into a `Document`: raw entries (one per matter and bundle), each knowing where
each of its fields came from (sheet, row, column), so that `check_document` can report every problem as
a `RowError` (工作表, 行号, 列, 问题) and return the canonical entries of `spec.py` only if there is none.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Callable
from zipfile import BadZipFile

from onestop.catalog import layout
from onestop.catalog.queries import FORMAT_NAME
from onestop.catalog.spec import Issue, Path, clean_bundle, clean_matter
from onestop.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: where it is and what is wrong, in Chinese and English."""

    sheet: str
    row: int
    column: str
    field: str
    zh: str
    en: str

    @property
    def key(self) -> str:
        return f"{self.sheet}[{self.row}].{self.field}" if self.row else f"{self.sheet}.{self.field}"

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "field": self.field,
                "problem": {"zh": self.zh, "en": self.en}}


Locator = Callable[[Path], tuple[str, int, str]]


@dataclass
class Entry:
    """A matter or bundle as read from the file, with where each field came from."""

    raw: dict[str, Any]
    locate: Locator

    def error(self, issue: Issue) -> RowError:
        sheet, row, column = self.locate(issue.path)
        return RowError(sheet, row, column, issue.dotted, issue.zh, issue.en)


@dataclass
class Document:
    matters: list[Entry] = field(default_factory=list)
    bundles: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # problems found while reading
    rows: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)  # sheet -> row -> cells, for pages


class ImportRejected(InvalidInput):
    """400 for a bad file: the DESIGN.md shape, `fields` keyed "sheet[row].field", plus every row error."""

    code = "invalid_import"

    def __init__(self, errors: list[RowError], document: Document | None = None) -> None:
        first = errors[0]
        super().__init__(
            f"导入文件有{len(errors)}处错误，未导入任何内容。第一处：{first.sheet}第{first.row}行“{first.column}”：{first.zh}",
            f"The file has {len(errors)} error(s); nothing was imported. First: sheet {first.sheet}, row "
            f"{first.row}, {first.field}: {first.en}",
            fields={e.key: e.en for e in errors},
        )
        self.errors = errors
        self.document = document

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "rows": [e.as_dict() for e in self.errors]}


def file_error(zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, code="invalid_import", fields={"file": en})


def read_file(content: bytes, filename: str) -> Document:
    """An .xlsx or .json catalogue file -> Document; an unreadable file is refused naming `file`."""
    if len(content) > MAX_BYTES:
        raise file_error("文件过大（最大10MB）。", "The file is too large (at most 10 MB).")
    name = filename.lower()
    if name.endswith(".json"):
        return read_json(content)
    if name.endswith(".xlsx"):
        return read_xlsx(content)
    raise file_error("只能导入 .xlsx 或 .json 文件。", "Only .xlsx or .json files can be imported.")


# -- JSON ------------------------------------------------------------------------------------------

def read_json(content: bytes) -> Document:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise file_error(f"不是有效的 JSON 文件：{exc}", f"Not a valid JSON file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("matters", []), list) \
            or not isinstance(data.get("bundles", []), list):
        raise file_error("JSON 必须是含有 matters 和 bundles 列表的对象。",
                         "The JSON must be an object with lists `matters` and `bundles`.")
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise file_error("不是事项清单文件（format 不符）。", f"Not a catalogue file (format must be {FORMAT_NAME!r}).")
    doc = Document()
    for key, target in (("matters", doc.matters), ("bundles", doc.bundles)):
        for i, raw in enumerate(data.get(key, [])):
            locate = _json_locator(key, i + 1)
            if not isinstance(raw, dict):
                doc.errors.append(RowError(key, i + 1, "", "", "每一项必须是对象。", "Each entry must be an object."))
                continue
            target.append(Entry(raw, locate))
    return doc


def _json_locator(key: str, row: int) -> Locator:
    return lambda path: (key, row, ".".join(str(p) for p in path))


# -- Excel -----------------------------------------------------------------------------------------

def read_xlsx(content: bytes) -> Document:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise file_error(f"不是有效的 Excel（.xlsx）文件：{exc}", f"Not a valid Excel (.xlsx) file: {exc}") from None
    doc = Document()
    tables = {sheet.key: _read_sheet(book, sheet, doc) for sheet in layout.DATA_SHEETS}
    book.close()
    if tables["matters"] is None:
        return doc
    _assemble_matters(doc, tables)
    _assemble_bundles(doc, tables)
    return doc


Rows = list[tuple[int, dict[str, Any]]]


def _read_sheet(book: Any, sheet: layout.Sheet, doc: Document) -> Rows | None:
    """Rows of one sheet as (row number, {field: value}); headers matched by Chinese text or field name."""
    if sheet.title not in book.sheetnames:
        if sheet in (layout.MATTERS,):
            doc.errors.append(RowError(sheet.title, 0, "", "", f"缺少工作表“{sheet.title}”。", f"Sheet {sheet.title!r} is missing."))
            return None
        return []
    rows = book[sheet.title].iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_header = {h: f for f, h in sheet.columns} | {f: f for f, _ in sheet.columns}
    index: dict[int, str] = {}
    for i, cell in enumerate(header):
        text = str(cell).strip() if cell is not None else ""
        if text in by_header:
            index[i] = by_header[text]
    missing = [f for f in sheet.required if f not in index.values()]
    for f in missing:
        doc.errors.append(RowError(sheet.title, 1, sheet.header(f), f, f"缺少列“{sheet.header(f)}”。",
                                   f"Column {sheet.header(f)!r} ({f}) is missing."))
    if missing:
        return []
    out: Rows = []
    cells_by_row = doc.rows.setdefault(sheet.title, {})
    for number, values in enumerate(rows, start=2):
        record = {index[i]: v for i, v in enumerate(values) if i in index}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
            continue
        out.append((number, record))
        cells_by_row[number] = record
    return out


def _position(sheet: layout.Sheet, number: int, record: dict, doc: Document) -> float:
    value = record.get("position")
    if value is None or (isinstance(value, str) and not value.strip()):
        return float(number)
    try:
        return float(value)
    except (TypeError, ValueError):
        doc.errors.append(RowError(sheet.title, number, sheet.header("position"), "position", "序号必须是数字。",
                                   "The position must be a number."))
        return float(number)


def _children(doc: Document, sheet: layout.Sheet, rows: Rows, parent_key: str, parents: set[str]) -> dict[str, Rows]:
    """Rows of a child sheet grouped by their parent code, in position order; unknown parents reported."""
    grouped: dict[str, list[tuple[float, int, dict]]] = {}
    for number, record in rows:
        code = str(record.get(parent_key) or "").strip()
        if isinstance(record.get(parent_key), float) and record[parent_key].is_integer():
            code = str(int(record[parent_key]))
        if code not in parents:
            parent_sheet = layout.MATTERS if parent_key == "matter" else layout.BUNDLES
            doc.errors.append(RowError(
                sheet.title, number, sheet.header(parent_key), parent_key,
                f"编码“{code}”在工作表“{parent_sheet.title}”中不存在。" if code else "必须填写。",
                f"Code {code!r} is not in sheet {parent_sheet.title!r}." if code else "This field is required.",
            ))
            continue
        grouped.setdefault(code, []).append((_position(sheet, number, record, doc), number, record))
    return {code: [(n, r) for _, n, r in sorted(items, key=lambda t: (t[0], t[1]))] for code, items in grouped.items()}


def _code(record: dict) -> str:
    value = record.get("code")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value or "").strip()


def _assemble_matters(doc: Document, tables: dict[str, Rows | None]) -> None:
    matter_rows = tables["matters"] or []
    codes = {_code(r) for _, r in matter_rows if _code(r)}
    materials = _children(doc, layout.MATERIALS, tables["materials"] or [], "matter", codes)
    fields = _children(doc, layout.FORM_FIELDS, tables["form_fields"] or [], "matter", codes)
    for number, record in matter_rows:
        code = _code(record)
        mats, flds = materials.pop(code, []), fields.pop(code, [])
        raw = {k: v for k, v in record.items()}
        raw["materials"] = [{k: v for k, v in r.items() if k not in ("matter", "position")} for _, r in mats]
        raw["form_fields"] = [{k: v for k, v in r.items() if k not in ("matter", "position") and v is not None}
                              for _, r in flds]
        doc.matters.append(Entry(raw, _xlsx_matter_locator(number, [n for n, _ in mats], [n for n, _ in flds])))


def _assemble_bundles(doc: Document, tables: dict[str, Rows | None]) -> None:
    bundle_rows = tables["bundles"] or []
    codes = {_code(r) for _, r in bundle_rows if _code(r)}
    stages = _children(doc, layout.STAGES, tables["stages"] or [], "bundle", codes)
    for code, rows in stages.items():
        seen: dict[Any, int] = {}
        for number, record in rows:
            pos = record.get("position")
            if pos not in (None, "") and pos in seen:
                doc.errors.append(RowError(layout.STAGES.title, number, layout.STAGES.header("position"), "position",
                                           f"阶段序号与第{seen[pos]}行重复。", f"Same stage position as row {seen[pos]}."))
            seen.setdefault(pos, number)
    for number, record in bundle_rows:
        rows = stages.pop(_code(record), [])
        raw = dict(record)
        raw["stages"] = [{k: v for k, v in r.items() if k not in ("bundle", "position")} for _, r in rows]
        doc.bundles.append(Entry(raw, _xlsx_bundle_locator(number, [n for n, _ in rows])))


def _xlsx_matter_locator(row: int, material_rows: list[int], field_rows: list[int]) -> Locator:
    def locate(path: Path) -> tuple[str, int, str]:
        head = path[0] if path else ""
        if head in ("materials", "form_fields") and len(path) >= 2 and isinstance(path[1], int):
            sheet = layout.MATERIALS if head == "materials" else layout.FORM_FIELDS
            rows = material_rows if head == "materials" else field_rows
            return sheet.title, rows[path[1]], sheet.header(str(path[2])) if len(path) > 2 else ""
        return layout.MATTERS.title, row, layout.MATTERS.header(str(head))
    return locate


def _xlsx_bundle_locator(row: int, stage_rows: list[int]) -> Locator:
    def locate(path: Path) -> tuple[str, int, str]:
        if path and path[0] == "stages" and len(path) >= 2 and isinstance(path[1], int):
            return layout.STAGES.title, stage_rows[path[1]], layout.STAGES.header(str(path[2])) if len(path) > 2 else ""
        return layout.BUNDLES.title, row, layout.BUNDLES.header(str(path[0]) if path else "")
    return locate


# -- checking --------------------------------------------------------------------------------------

@dataclass
class Checked:
    matters: list[dict]
    bundles: list[dict]
    errors: list[RowError]


def check_document(doc: Document, departments: set[str], existing_matters: set[str]) -> Checked:
    """Check every entry; cross-entry rules: codes unique in the file, stages name known matters."""
    errors = list(doc.errors)
    matters = _check_entries(doc.matters, lambda raw: clean_matter(raw, departments), errors)
    known = existing_matters | {m["code"] for m in matters if m["code"]}
    bundles = _check_entries(doc.bundles, lambda raw: clean_bundle(raw, known), errors)
    order = {s.title: i for i, s in enumerate(layout.DATA_SHEETS)} | {s.key: i for i, s in enumerate(layout.DATA_SHEETS)}
    errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row))
    return Checked(matters, bundles, errors)


def _check_entries(entries: list[Entry], clean: Callable[[dict], tuple[dict, list[Issue]]], errors: list[RowError]) -> list[dict]:
    out, first_at = [], {}
    for entry in entries:
        value, issues = clean(entry.raw)
        code = value["code"]
        if code and code in first_at:
            sheet, row, _ = first_at[code]
            issues.append(Issue(("code",), f"编码“{code}”在文件中重复（已见于第{row}行）。",
                                f"Code {code!r} appears twice in the file (first at row {row})."))
        elif code:
            first_at[code] = entry.locate(("code",))
        errors.extend(entry.error(issue) for issue in issues)
        out.append(value)
    return out
