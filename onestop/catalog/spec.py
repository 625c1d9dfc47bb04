"""Checking and normalising catalogue entries (事项/一件事) before anything is written.

One path for every way in (the API, the import of a file, the pages): a raw dict whose values may be
strings from an Excel cell, Python values from JSON or a Pydantic model, is turned into the canonical
dict below, and every problem is collected as an `Issue` naming the path of the field at fault, so the
caller can say "sheet 材料, row 7, 材料名称: ..." or `"materials.2.name": "..."`.

Canonical matter (also the JSON export and the audit before/after):
    {"code", "name", "department" (code), "legal_limit", "promised_limit", "limit_unit", "warn_days",
     "lowest_level", "source", "legal_basis", "active", "broken_commitment_stops",
     "materials": [{"name", "required", "may_defer", "may_commit", "note"}],
     "form_fields": [{"name", "label", "type", "required", "options"?}]}
Canonical bundle: {"code", "name", "description", "stages": [{"name", "promised_limit", "limit_unit",
"matters": [codes]}]}; list order is the position (1-based in the database).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from onestop.catalog.models import HandlingLevel, LimitUnit, MatterSource

Path = tuple[str | int, ...]

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

#: Form field types a matter's form may use (表单字段类型). `select`/`multiselect` need `options`.
FIELD_TYPES = (
    "text", "textarea", "integer", "number", "money", "date", "boolean", "select", "multiselect",
    "phone", "email", "idcard", "credit_code", "address", "file",
)
OPTION_TYPES = ("select", "multiselect")
FORM_FIELD_KEYS = ("name", "label", "type", "required", "options")

# Words accepted for each choice, besides the stored value (what a centre writes in a spreadsheet).
UNIT_WORDS = {LimitUnit.WORKDAY: ("工作日",), LimitUnit.NATURAL: ("自然日", "日历日")}
LEVEL_WORDS = {
    HandlingLevel.DISTRICT: ("区级", "区", "新区"),
    HandlingLevel.TOWN: ("镇级", "镇", "街道"),
    HandlingLevel.VILLAGE: ("村级", "村", "社区"),
}
SOURCE_WORDS = {
    MatterSource.DELEGATED: ("赋权事项", "赋权", "下放"),
    MatterSource.VILLAGE: ("村内办理", "村内办理便民事项", "便民事项"),
    MatterSource.OWN: ("本级事项", "本级"),
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "✓", "需要", "必需", "必填", "可以", "可"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "×", "不", "不需要", "非必需", "不可", ""}


@dataclass(frozen=True)
class Issue:
    """One problem with one field: where (`path` inside the entry) and what, in Chinese and English."""

    path: Path
    zh: str
    en: str

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)


class Checker:
    """Collects issues while coercing values; `prefix` is prepended to every path it reports."""

    def __init__(self, prefix: Path = ()) -> None:
        self.prefix = prefix
        self.issues: list[Issue] = []

    def add(self, path: Path, zh: str, en: str) -> None:
        self.issues.append(Issue(self.prefix + path, zh, en))

    def text(self, raw: dict, key: str, *, path: Path = (), required: bool = True, max_length: int = 0) -> str:
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():  # an Excel cell holding 12 gives 12.0
            text = str(int(value))
        if required and not text:
            self.add(path + (key,), "必须填写。", "This field is required.")
        elif max_length and len(text) > max_length:
            self.add(path + (key,), f"不能超过{max_length}个字符。", f"At most {max_length} characters.")
        return text

    def integer(self, raw: dict, key: str, *, path: Path = (), required: bool = True) -> int | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path + (key,), "必须填写。", "This field is required.")
            return None
        try:
            number = value if isinstance(value, int) and not isinstance(value, bool) else float(str(value).strip())
            if isinstance(number, float):
                if not number.is_integer():
                    raise ValueError
                number = int(number)
        except (TypeError, ValueError):
            self.add(path + (key,), "必须是整数（天数）。", "Must be a whole number of days.")
            return None
        if number < 0:
            self.add(path + (key,), "不能为负数。", "Must not be negative.")
            return None
        if number > 3650:
            self.add(path + (key,), "天数过大（最多3650天）。", "Too many days (at most 3650).")
            return None
        return number

    def boolean(self, raw: dict, key: str, *, path: Path = (), default: bool = False) -> bool:
        value = raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return default if word == "" else False
        self.add(path + (key,), "请填写“是”或“否”。", "Must be yes (是) or no (否).")
        return default

    def choice(self, raw: dict, key: str, words: dict[str, tuple[str, ...]], *, path: Path = (),
               default: str | None = None) -> str:
        text = self.text(raw, key, path=path, required=default is None)
        if not text:
            return default or ""
        for value, synonyms in words.items():
            if text == value or text in synonyms or text.lower() == str(value):
                return str(value)
        allowed = "、".join(synonyms[0] if synonyms else str(value) for value, synonyms in words.items())
        allowed_en = ", ".join(str(v) for v in words)
        self.add(path + (key,), f"无效的取值“{text}”，应为：{allowed}。", f"Unknown value {text!r}; expected one of: {allowed_en}.")
        return ""


def split_codes(value: Any) -> list[str]:
    """"A-1、A-2, A-3" (or a list) -> ["A-1", "A-2", "A-3"]."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part for part in re.split(r"[\s,，、;；]+", str(value)) if part]


def clean_form_fields(check: Checker, raw_fields: Any) -> list[dict]:
    """The form field spec: a list of {name, label, type, required, options}; names unique."""
    if raw_fields in (None, ""):
        return []
    if not isinstance(raw_fields, list):
        check.add(("form_fields",), "表单字段必须是列表。", "form_fields must be a list.")
        return []
    cleaned, seen = [], set()
    for i, raw in enumerate(raw_fields):
        path: Path = ("form_fields", i)
        if not isinstance(raw, dict):
            check.add(path, "每个表单字段必须是对象。", "Each form field must be an object.")
            continue
        unknown = sorted(set(raw) - set(FORM_FIELD_KEYS))
        if unknown:
            check.add(path + (unknown[0],), "未知的字段属性。", f"Unknown form field key {unknown[0]!r}.")
        name = check.text(raw, "name", path=path)
        if name and not FIELD_NAME_RE.match(name):
            check.add(path + ("name",), "字段名只能用小写英文字母、数字和下划线，以字母开头。",
                      "A field name is lower-case letters, digits and underscores, starting with a letter.")
        elif name in seen:
            check.add(path + ("name",), f"字段名“{name}”重复。", f"Duplicate field name {name!r}.")
        seen.add(name)
        field = {
            "name": name,
            "label": check.text(raw, "label", path=path, max_length=64),
            "type": check.choice(raw, "type", {t: () for t in FIELD_TYPES}, path=path, default="text"),
            "required": check.boolean(raw, "required", path=path),
        }
        options = split_options(raw.get("options"))
        if field["type"] in OPTION_TYPES:
            if not options:
                check.add(path + ("options",), "选择类字段必须给出选项。", "A select field needs options.")
            field["options"] = options
        elif options:
            check.add(path + ("options",), "只有选择类字段可以有选项。", "Only select fields take options.")
        cleaned.append(field)
    return cleaned


def split_options(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[|｜\n]", str(value)) if part.strip()]


def clean_materials(check: Checker, raw_materials: Any) -> list[dict]:
    """Materials in order; names unique within the matter."""
    if raw_materials in (None, ""):
        return []
    if not isinstance(raw_materials, list):
        check.add(("materials",), "材料必须是列表。", "materials must be a list.")
        return []
    cleaned, seen = [], set()
    for i, raw in enumerate(raw_materials):
        path: Path = ("materials", i)
        if not isinstance(raw, dict):
            check.add(path, "每项材料必须是对象。", "Each material must be an object.")
            continue
        name = check.text(raw, "name", path=path, max_length=128)
        if name and name in seen:
            check.add(path + ("name",), f"材料“{name}”重复。", f"Duplicate material {name!r}.")
        seen.add(name)
        cleaned.append({
            "name": name,
            "required": check.boolean(raw, "required", path=path, default=True),
            "may_defer": check.boolean(raw, "may_defer", path=path),
            "may_commit": check.boolean(raw, "may_commit", path=path),
            "note": check.text(raw, "note", path=path, required=False, max_length=255),
        })
    return cleaned


def clean_matter(raw: dict, departments: Iterable[str], prefix: Path = ()) -> tuple[dict, list[Issue]]:
    """Coerce and check one matter; `departments` are the known department codes."""
    check = Checker(prefix)
    code = check.text(raw, "code", max_length=32)
    if code and not CODE_RE.match(code):
        check.add(("code",), "事项编码只能包含字母、数字、点、横线和下划线。",
                  "A matter code is letters, digits, dots, dashes and underscores.")
    department = check.text(raw, "department")
    if department and department not in departments:
        check.add(("department",), f"部门编码“{department}”不存在。", f"Unknown department code {department!r}.")
    matter = {
        "code": code,
        "name": check.text(raw, "name", max_length=128),
        "department": department,
        "legal_limit": check.integer(raw, "legal_limit"),
        "promised_limit": check.integer(raw, "promised_limit"),
        "limit_unit": check.choice(raw, "limit_unit", UNIT_WORDS, default=LimitUnit.WORKDAY),
        "warn_days": check.integer(raw, "warn_days", required=False),
        "lowest_level": check.choice(raw, "lowest_level", LEVEL_WORDS),
        "source": check.choice(raw, "source", SOURCE_WORDS),
        "legal_basis": check.text(raw, "legal_basis", required=False),
        "active": check.boolean(raw, "active", default=True),
        "broken_commitment_stops": check.boolean(raw, "broken_commitment_stops", default=True),
        "materials": clean_materials(check, raw.get("materials")),
        "form_fields": clean_form_fields(check, raw.get("form_fields")),
    }
    legal, promised, warn = matter["legal_limit"], matter["promised_limit"], matter["warn_days"]
    if legal is not None and promised is not None and promised > legal:
        check.add(("promised_limit",), f"承诺时限（{promised}天）不能超过法定时限（{legal}天）。",
                  f"The promised limit ({promised} days) exceeds the legal limit ({legal} days).")
    if warn is not None and promised is not None and warn > promised:
        check.add(("warn_days",), "预警天数不能超过承诺时限。", "Warn days must not exceed the promised limit.")
    if matter["source"] == MatterSource.VILLAGE and matter["lowest_level"] not in ("", HandlingLevel.VILLAGE):
        check.add(("lowest_level",), "村内办理事项的最低办理层级必须是村级。",
                  "A matter handled inside villages must have the village as its lowest level.")
    return matter, check.issues


def clean_bundle(raw: dict, matters: Iterable[str], prefix: Path = ()) -> tuple[dict, list[Issue]]:
    """Coerce and check one bundle and its ordered stages; `matters` are the known matter codes."""
    check = Checker(prefix)
    known = set(matters)
    code = check.text(raw, "code", max_length=32)
    if code and not CODE_RE.match(code):
        check.add(("code",), "一件事编码只能包含字母、数字、点、横线和下划线。",
                  "A bundle code is letters, digits, dots, dashes and underscores.")
    bundle = {"code": code, "name": check.text(raw, "name", max_length=128),
              "description": check.text(raw, "description", required=False), "stages": []}
    stages = raw.get("stages") or []
    if not isinstance(stages, list) or not stages:
        check.add(("stages",), "一件事至少要有一个阶段。", "A bundle needs at least one stage.")
        return bundle, check.issues
    names: set[str] = set()
    for i, stage in enumerate(stages):
        path: Path = ("stages", i)
        if not isinstance(stage, dict):
            check.add(path, "每个阶段必须是对象。", "Each stage must be an object.")
            continue
        name = check.text(stage, "name", path=path, max_length=64)
        if name and name in names:
            check.add(path + ("name",), f"阶段“{name}”重复。", f"Duplicate stage {name!r}.")
        names.add(name)
        codes = split_codes(stage.get("matters"))
        if not codes:
            check.add(path + ("matters",), "每个阶段至少要有一个事项。", "A stage needs at least one matter.")
        for c in codes:
            if c not in known:
                check.add(path + ("matters",), f"事项编码“{c}”不存在。", f"Unknown matter code {c!r}.")
        if len(set(codes)) != len(codes):
            check.add(path + ("matters",), "同一阶段中事项重复。", "A matter is listed twice in the stage.")
        bundle["stages"].append({
            "name": name,
            "promised_limit": check.integer(stage, "promised_limit", path=path),
            "limit_unit": check.choice(stage, "limit_unit", UNIT_WORDS, path=path, default=LimitUnit.WORKDAY),
            "matters": sorted(set(codes)),  # parallel: no order
        })
    return bundle, check.issues
