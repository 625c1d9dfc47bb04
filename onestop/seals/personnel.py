"""The HR bureau's case (人社局：在线填报、电子签章、网上流转、联合审批), built on the approvals app.

1. `submit_personnel_batch`: an employer unit (机关事业单位) files a batch of personnel matters online —
   appointments 岗位聘任, pay changes 工资调整, annual promotions 年度晋级, new staff 人员新增, retirements
   在职人员转退休 — as ONE approvals application carrying the rows in its form data (`form_data["rows"]`),
   and seals the submission list (报送清单, a PDF) with its OWN seal, unlocked by its holder's passphrase,
   instead of carrying paper to be stamped. The sealed list is kept under the seals directory; its path and
   SHA-256 are recorded on the application (`form_data["submission"]`) and in the audit trail.
2. The bureau's departments approve the application's tasks jointly through approvals' own actions.
3. `issue_personnel_results`: the window closes the application (approvals' `issue_results`) and, in the
   same transaction, issues one sealed result per row with the bureau's seal — the e-appointment letter
   (电子聘书) for appointments, the approval decision (准予许可决定书) otherwise — each archived as an
   `IssuedDocument`, found by its number and re-verified with `onestop.seals.verify`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from onestop.approvals import actions as approvals
from onestop.approvals.models import AppState, Application, IssueMethod
from onestop.audit.actions import record
from onestop.catalog.models import Bundle, Material, Matter
from onestop.errors import Forbidden, InvalidInput, NotFound, field_error
from onestop.org.access import is_logged_in
from onestop.org.models import Role
from onestop.seals import sheet
from onestop.seals.actions import (
    issue_document, next_number, open_engine, require_usable, seal_for, seal_pdf, seals_dir, store, write_atomically,
)
from onestop.seals.documents import register_font

MAX_ROWS = 500
# matter kind (by a word of its name) -> the row fields it requires besides name and post
KINDS = (("聘任", "appointment", ("start", "end")), ("工资", "pay", ("date",)), ("晋级", "promotion", ("date",)),
         ("新增", "new_staff", ("date",)), ("退休", "retirement", ("date",)))
LIMITS = {"name": 32, "post": 64, "unit": 64, "grade": 32, "note": 200}


def personnel_kind(title: str) -> tuple[str, tuple[str, ...]]:
    for word, kind, needs in KINDS:
        if word in title:
            return kind, needs
    return "other", ("date",)


# --- rows -------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_row(raw: Any, needs: tuple[str, ...], unit: str) -> tuple[dict[str, str], dict[str, str]]:
    """One row's cleaned fields and its problems (field -> problem)."""
    if not isinstance(raw, dict):
        return {}, {"row": "must be an object of fields"}
    errors: dict[str, str] = {}
    data = {k: _text(v) for k, v in raw.items()
            if k in (*LIMITS, "id_number") and not isinstance(v, (dt.date, dt.datetime))}
    data["unit"] = data.get("unit") or unit
    for field in ("name", "post", *needs):
        if raw.get(field) in (None, ""):
            errors[field] = "required"
    if data.get("id_number") and not sheet.id_ok(data["id_number"].upper()):
        errors["id_number"] = "not a valid identity number"
    for field in ("date", "start", "end"):
        if raw.get(field) in (None, ""):
            continue
        day = sheet._date(raw[field])
        if day is None:
            errors[field] = "not a date"
        else:
            data[field] = sheet._cn(day)
    start, end = sheet._date(raw.get("start")), sheet._date(raw.get("end"))
    if start and end:
        if end < start:
            errors["end"] = "before the start"
        data["term"] = f"{sheet._cn(start)}至{sheet._cn(end)}"
    for field, limit in LIMITS.items():
        if len(data.get(field, "")) > limit:
            errors[field] = f"longer than {limit} characters"
    return data, errors


def validate_rows(rows: Any, needs: tuple[str, ...], unit: str) -> list[dict[str, str]]:
    """Every row checked; InvalidInput naming each bad row and field (`rows.<n>.<field>`, n from 1)."""
    if not isinstance(rows, list) or not rows:
        raise field_error("rows", "请至少填报一行。", "Give at least one row.")
    if len(rows) > MAX_ROWS:
        raise field_error("rows", f"一次最多填报{MAX_ROWS}行。", f"At most {MAX_ROWS} rows per batch.")
    out, errors = [], {}
    for n, raw in enumerate(rows, start=1):
        data, bad = _check_row(raw, needs, unit)
        errors.update({f"rows.{n}.{field}": problem for field, problem in bad.items()})
        out.append(data)
    if errors:
        bad_rows = sorted({int(k.split(".")[1]) for k in errors})
        raise InvalidInput(f"第{'、'.join(map(str, bad_rows))}行填报有误，未提交。",
                           f"Rows {', '.join(map(str, bad_rows))} are invalid; nothing was submitted.", fields=errors)
    return out


def rows_from_text(text: str, matter_code: str) -> list[dict[str, str]]:
    """The page's rows, one a line: 姓名, 岗位, 日期 (聘期开始 for an appointment), 聘期结束, 岗位等级."""
    matter = Matter.objects.filter(code=matter_code).first()
    appointment = bool(matter and personnel_kind(matter.name)[0] == "appointment")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"[,，\t]", line)]
        if not any(cells):
            continue
        cells += [""] * (5 - len(cells))
        row = {"name": cells[0], "post": cells[1], "grade": cells[4]}
        row.update({"start": cells[2], "end": cells[3]} if appointment else {"date": cells[2]})
        rows.append(row)
    return rows


def personnel_matters():
    """The HR bureau's matters an employer unit files online (人社局事项)."""
    return Matter.objects.filter(active=True, department__name__contains="人力资源和社会保障").order_by("code")


def own_seals(account: Any):
    """The caller's organisation's seals it may use (for the page's seal choice)."""
    from onestop.seals.models import Seal

    if not is_logged_in(account) or not account.organisation_id:
        return Seal.objects.none()
    return Seal.objects.filter(organisation_id=account.organisation_id, grants__account=account, revoked_at=None)


# --- the sealed submission list ---------------------------------------------------------------------------


def _scope(matter_code: str) -> dict[str, int]:
    """A matter by its code, or a bundle by its code (its first stage: several departments approve jointly)."""
    matter = Matter.objects.filter(code=matter_code, active=True).first()
    if matter is not None:
        return {"matter_id": matter.pk}
    bundle = Bundle.objects.filter(code=matter_code).first()
    stage = bundle.stages.order_by("position").first() if bundle else None
    if stage is None:
        raise field_error("matter_code", "事项不存在或已停用。", "No such matter or bundle.", code="unknown")
    return {"stage_id": stage.pk}


def render_submission(unit: str, title: str, number: str, rows: list[dict[str, str]], day: dt.date,
                      document_number: str = "") -> bytes:
    """报送清单: one PDF listing every row (a new page every 28 rows), the unit's name and the date; its
    document number (报送材料编号) in the PDF's Subject, as on every issued document, for the verify page."""
    font = register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"{title}报送清单 {number}")
    if document_number:
        c.setSubject(document_number)
    width, height = A4
    for start in range(0, len(rows), 28):
        c.setFont(font, 18)
        c.drawCentredString(width / 2, height - 70, f"{title}报送清单")
        c.setFont(font, 10)
        c.drawString(60, height - 100, f"报送单位：{unit}    办件编号：{number}    共{len(rows)}人")
        if document_number:
            c.drawString(60, height - 115, f"文书编号：{document_number}")
        y = height - 130
        c.drawString(60, y, "序号    姓名        岗位                        日期 / 聘期")
        for i, row in enumerate(rows[start:start + 28], start=start + 1):
            y -= 20
            when = row.get("term") or row.get("date", "")
            c.drawString(60, y, f"{i:<6}  {row.get('name', '')[:8]:<10}  {row.get('post', '')[:16]:<24}  {when}")
        c.drawString(width - 240, 150, f"报送单位（电子签章）：{unit}")
        c.drawString(width - 240, 130, f"{day.year}年{day.month}月{day.day}日")
        c.showPage()
    c.save()
    return buf.getvalue()


def submission_path(app: Application):
    digest = hashlib.sha256(f"submission-{app.pk}".encode()).hexdigest()
    return seals_dir() / "submissions" / digest[:2] / f"{app.number}-{digest[:12]}.pdf"


def submit_personnel_batch(account: Any, *, matter_code: str, rows: list[dict[str, Any]], seal_id: int,
                           passphrase: str, centre_id: int | None = None, form_data: dict | None = None) -> Application:
    """在线填报 + 电子签章: one application carrying the rows, its submission list sealed with the unit's seal.

    `form_data` fills the matter's form beyond what the records say (contact ...); 涉及人数 (`staff_count`)
    is the number of rows."""
    if not is_logged_in(account) or account.role != Role.EMPLOYER_UNIT or not account.organisation_id:
        raise Forbidden("只有用人单位账号可以报送人事事项。", "Only an employer unit may file personnel matters.")
    seal = seal_for(account, seal_id)
    if seal.organisation_id != account.organisation_id:
        raise field_error("seal_id", "须使用本单位的电子印章。", "Use your own organisation's seal.")
    require_usable(account, seal)
    scope = _scope(matter_code)
    title = Matter.objects.get(pk=scope["matter_id"]).name if "matter_id" in scope else \
        Bundle.objects.get(stages__pk=scope["stage_id"]).name
    _, needs = personnel_kind(title)
    clean = validate_rows(rows, needs, account.organisation.name)
    if form_data is not None and not isinstance(form_data, dict):
        raise field_error("form_data", "表单须为字段名到值的映射。", "The form must map field names to values.")
    day = timezone.localdate()
    # the engine is opened before anything is written: a wrong passphrase (or PIN) writes nothing
    with open_engine(seal, passphrase, passphrase) as engine, transaction.atomic():
        app = _file(account, scope, clean, centre_id, form_data or {})
        number = next_number("submission")
        pdf = render_submission(seal.owner_name, app.title, app.number, clean, day, number)
        sealed = seal_pdf(engine, pdf, level="B-LT", reason="报送清单", location=seal.owner_name)
        path = submission_path(app)
        write_atomically(path, sealed)
        sha = hashlib.sha256(sealed).hexdigest()
        # an issued document of its own (报送材料): in the seal's use log (用印记录) and found by its number
        doc = store(account, seal, "submission", number,
                    {"application_no": app.number, "matter": app.title, "unit": seal.owner_name, "rows": len(clean)},
                    sha, path, title=f"{app.title}报送清单")
        submission = {"sha256": sha, "path": str(path.relative_to(seals_dir())), "seal": seal.pk,
                      "sealed_at": timezone.now().isoformat(), "rows": len(clean), "document": number,
                      "document_id": doc.pk}
        app.form_data = {**app.form_data, "submission": submission}
        Application.objects.filter(pk=app.pk).update(form_data=app.form_data)
        record(app, "personnel.submission_sealed", account, after=submission)
    return app


def _file(account: Any, scope: dict[str, int], rows: list[dict[str, str]], centre_id: int | None,
          form: dict) -> Application:
    matters = Matter.objects.filter(pk=scope["matter_id"]) if "matter_id" in scope else \
        Matter.objects.filter(stages__pk=scope["stage_id"], active=True)
    required = Material.objects.filter(matter__in=matters, required=True).values_list("pk", flat=True)
    form = {**form, "staff_count": len(rows), "rows": rows}
    return approvals.submit_application(account, **scope, form_data=form, provided=list(required), centre_id=centre_id)


def submission_pdf(app: Application) -> bytes:
    """The sealed submission list's bytes, checked against the SHA-256 recorded at submission."""
    info = app.form_data.get("submission") or {}
    if not info:
        raise NotFound("submission", "报送清单")
    data = (seals_dir() / info["path"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != info["sha256"]:
        raise NotFound("submission", "报送清单")
    return data


# --- issuing the results ----------------------------------------------------------------------------------


def _result(kind: str, app: Application, row: dict[str, str]) -> tuple[str, dict[str, Any]]:
    if kind == "appointment":
        return "appointment", {**row, "application_no": app.number}
    content = "；".join(f"{k}：{row[k]}" for k in ("post", "grade", "date", "note") if row.get(k))
    return "approval", {"recipient": row["name"], "matter": app.title, "application_no": app.number,
                        "content": f"{row.get('unit', '')} {row['name']}（{content}）"}


def issue_personnel_results(clerk: Any, app_id: int, *, seal_id: int, level: str = "B-LT") -> list[str]:
    """统一出件: close the application and issue one sealed result per row with the bureau's seal, in one go.

    All or nothing: a refusal (no grant on the seal, a revoked seal, an undecided application) writes no
    document and leaves the application as it was. Returns the document numbers, in row order."""
    with transaction.atomic():
        app = approvals.issue_results(clerk, app_id, method=IssueMethod.ELECTRONIC)
        numbers: list[str] = []
        if app.state == AppState.ISSUED and not app.rejected_tasks:
            kind, _ = personnel_kind(app.title)
            for row in app.form_data.get("rows") or []:
                doc_kind, data = _result(kind, app, row)
                numbers.append(issue_document(clerk, seal_id=seal_id, kind=doc_kind, data=data, level=level).number)
        app.form_data = {**app.form_data, "documents": numbers}
        Application.objects.filter(pk=app.pk).update(form_data=app.form_data)
        record(app, "personnel.results_issued", clerk, after={"seal": seal_id, "documents": numbers})
    return numbers
