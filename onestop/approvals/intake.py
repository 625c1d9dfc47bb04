"""Intake at the comprehensive window (无差别综合受理): the materials checklist, the one-time notice of what
is missing (一次性告知), acceptance, and acceptance with materials owed (容缺受理) under a signed commitment.

On acceptance every matter becomes a task in its department's queue and every clock starts (in bulk,
see `clocks`). Same rules as `actions`: one transaction, permission, state (409), one audit event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from django.db import transaction

from onestop import sql
from onestop.audit.actions import record
from onestop.catalog.models import Matter
from onestop.errors import Forbidden, InvalidInput, field_error

from . import clocks, documents
from .actions import (
    _now, _set, conflict, is_applicant, is_clerk_of, locked_application, require_clerk, stage_matters,
)
from .models import AppState, Application, MaterialStatus, SubmittedMaterial, Task


# What starting a matter's task reads of the matter.
TIMED = ("department_id", "promised_limit", "legal_limit", "limit_unit", "warn_days")


# -- intake (无差别综合受理) -----------------------------------------------------------------------------


CHECKLIST = ("id", "material_id", "status", "material__name", "material__required", "material__may_defer",
             "material__may_commit")


@dataclass
class _Material:
    name: str
    required: bool
    may_defer: bool
    may_commit: bool


@dataclass
class _Row:
    """A submitted material as the checklist needs it (read as plain values: cheaper than model rows)."""

    pk: int
    material_id: int
    status: str
    material: _Material


def _checklist(app: Application, provided: Iterable[int]) -> tuple[list[Any], set[int]]:
    rows = [_Row(pk, mid, status, _Material(*flags)) for pk, mid, status, *flags in sql.rows(
        SubmittedMaterial, CHECKLIST, {"application_id": app.pk}, order="id")]
    given = set(provided)
    unknown = given - {r.material_id for r in rows}
    if unknown:
        raise field_error("provided", f"材料不属于该申请：{sorted(unknown)}", f"Not materials of this application: {sorted(unknown)}.")
    return rows, given


def _missing(rows: list[SubmittedMaterial], given: set[int], deferred: dict[int, int]) -> list[SubmittedMaterial]:
    return [r for r in rows if r.material.required and r.material_id not in given and r.material_id not in deferred]


def _names(rows: Iterable[SubmittedMaterial]) -> str:
    return "、".join(r.material.name for r in rows)


def notify_missing(actor: Any, app_id: int, *, provided: Iterable[int], note: str = "",
                   at: datetime | None = None) -> Application:
    """一次性告知: one notice listing every required material missing from the checklist."""
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.state != AppState.SUBMITTED:
            raise conflict(app.state, "只有待受理的申请可以一次性告知", "Only an application awaiting intake can be notified")
        rows, given = _checklist(app, provided)
        missing = _missing(rows, given, {})
        if not missing:
            raise field_error("provided", "材料齐全，无需告知，请直接受理。", "Nothing required is missing: accept it.")
        notice = [{"material": r.material_id, "name": r.material.name} for r in missing]
        _mark(rows, given)
        Application.objects.filter(pk=app.pk).update(state=AppState.NOTIFIED, missing_notice=notice)
        record(app, "approvals.missing_notified", actor, before={"state": app.state},
               after={"state": AppState.NOTIFIED, "missing": notice}, reason=note)
    app.refresh_from_db()
    return app


def _mark(rows: list[SubmittedMaterial], given: set[int]) -> None:
    """Store the checklist: provided or missing (only rows that change)."""
    now_provided = [r.pk for r in rows if r.material_id in given and r.status != MaterialStatus.PROVIDED]
    now_missing = [r.pk for r in rows if r.material_id not in given and r.status == MaterialStatus.PROVIDED]
    if now_provided:
        SubmittedMaterial.objects.filter(pk__in=now_provided).update(status=MaterialStatus.PROVIDED)
    if now_missing:
        SubmittedMaterial.objects.filter(pk__in=now_missing).update(status=MaterialStatus.MISSING)


def resubmit(actor: Any, app_id: int, *, provided: Iterable[int], at: datetime | None = None) -> Application:
    """After the one-time notice, the applicant brings what was missing: back to intake."""
    with transaction.atomic():
        app = locked_application(actor, app_id)
        if not (is_applicant(actor, app) or is_clerk_of(actor, app)):
            raise Forbidden("只有申请人或受理窗口可以补齐材料。", "Only the applicant or the window may resubmit.")
        if app.state != AppState.NOTIFIED:
            raise conflict(app.state, "只有已一次性告知的申请可以补齐后再次提交", "Only a notified application can be resubmitted")
        rows, given = _checklist(app, provided)
        _mark(rows, given)
        Application.objects.filter(pk=app.pk).update(state=AppState.SUBMITTED)
        record(app, "approvals.resubmitted", actor, before={"state": app.state},
               after={"state": AppState.SUBMITTED, "provided": sorted(given)})
    app.refresh_from_db()
    return app


def _check_deferred(rows: list[SubmittedMaterial], deferred: dict[int, int], commitment: str) -> None:
    by_id = {r.material_id: r for r in rows}
    for material_id, days in deferred.items():
        row = by_id.get(material_id)
        if row is None:
            raise field_error("deferred", f"材料不属于该申请：{material_id}", f"Not a material of this application: {material_id}.")
        if not (row.material.may_defer or row.material.may_commit):
            raise field_error("deferred", f"“{row.material.name}”不允许容缺受理。",
                              f"“{row.material.name}” may not be supplied later.")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise field_error("deferred", "补交期限须为 1 至 365 天。", "The deadline must be 1 to 365 days.")
    if deferred and not commitment.strip():
        raise field_error("commitment", "容缺受理须有申请人签署的告知承诺。",
                          "Accepting with missing materials needs the applicant's signed commitment.", code="required")


def _limit(app: Application, matters: list[Matter]) -> clocks.Limit:
    if app.stage_id:
        stage = app.stage
        legal = max([m.legal_limit for m in matters] or [stage.promised_limit])
        return clocks.Limit(stage.promised_limit, max(legal, stage.promised_limit), stage.limit_unit)
    return clocks.matter_limit(app.matter)


def accept_application(
    actor: Any, app_id: int, *, provided: Iterable[int], deferred: dict[int, int] | None = None,
    commitment: str = "", at: datetime | None = None, seal_id: int | None = None,
) -> Application:
    """受理 (or 容缺受理): every matter becomes a task in its department's queue, every clock starts."""
    deferred = dict(deferred or {})
    at = _now(at)
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.state != AppState.SUBMITTED:
            raise conflict(app.state, "只有待受理的申请可以受理", "Only an application awaiting intake can be accepted")
        rows, given = _checklist(app, provided)
        _check_deferred(rows, deferred, commitment)
        missing = _missing(rows, given, deferred)
        if missing:
            raise InvalidInput(f"缺少必要材料：{_names(missing)}", "Required materials are missing: "
                               + ", ".join(r.material.name for r in missing) + ".",
                               code="missing_materials",
                               fields={"materials": "missing: " + ", ".join(r.material.name for r in missing)})
        matters = [app.matter] if app.matter_id else stage_matters(app.stage_id, TIMED)
        _mark([r for r in rows if r.material_id not in deferred], given)
        started = _start_tasks(app, matters, at, actor)
        started += _defer(rows, deferred, at)
        values, ev = clocks.start_values(_limit(app, matters), at)
        started.append((app, ev))
        number = f"SL{clocks.local_day(at):%Y%m%d}{app.pk:06d}"
        changes = {"state": AppState.IN_REVIEW, "accepted_at": at, "acceptance_no": number,
                   "commitment": commitment.strip(), "open_tasks": len(matters), "rejected_tasks": 0, **values}
        before = app.state
        _set(app, changes)
        if seal_id is not None:  # the sealed acceptance notice's number is the acceptance number
            owed = [r.material.name for r in rows if r.material_id in deferred]
            number = changes["acceptance_no"] = app.acceptance_no = documents.seal_acceptance(
                actor, app, seal_id, owed=owed)
        record(app, "approvals.accepted", actor, before={"state": before}, after={
            "state": AppState.IN_REVIEW, "acceptance_no": number, "tasks": len(matters),
            "deferred": {str(k): v for k, v in deferred.items()}, "due_at": values["due_at"]},
            reason=commitment.strip(), along=sql.Writes(None, (), [(Application, changes, {"id": app.pk})],
                                                        inserts=[clocks.start_rows(started, actor)]))
    return app


def _start_tasks(app: Application, matters: list[Matter], at: datetime, actor: Any) -> list[tuple[Any, Any]]:
    rows, events = [], []
    for m in matters:
        values, ev = clocks.start_values(clocks.matter_limit(m), at)
        rows.append({"application_id": app.pk, "matter_id": m.pk, "department_id": m.department_id, **values})
        events.append(ev)
    names = tuple(rows[0]) if rows else ()
    made = sql.insert_many(Task, names, [tuple(r.values()) for r in rows])
    return [(sql.build(Task, ("id",), (pk,)), ev) for (pk,), ev in zip(made, events)]  # the clock's id is enough


def _defer(rows: list[SubmittedMaterial], deferred: dict[int, int], at: datetime) -> list[tuple[Any, Any]]:
    started = []
    for row in rows:
        if row.material_id in deferred:
            values, ev = clocks.start_values(clocks.Limit(deferred[row.material_id], deferred[row.material_id]), at)
            status = MaterialStatus.DEFERRED if row.material.may_defer else MaterialStatus.COMMITTED
            SubmittedMaterial.objects.filter(pk=row.pk).update(status=status, **values)
            started.append((SubmittedMaterial(pk=row.pk), ev))
    return started
