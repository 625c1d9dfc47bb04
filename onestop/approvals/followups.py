"""Actions around the main flow: commitments (容缺 / 告知承诺), hand-over (跨域通办), coaching (批前辅导) and
simulated approval (模拟审批). Same rules as `actions`: one transaction, permission, state, audit event."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record
from onestop.catalog.models import Matter
from onestop.enterprises.models import Project
from onestop.errors import Forbidden, NotFound, field_error
from onestop.org import access
from onestop.org.models import Role, ServiceCentre

from . import clocks
from .actions import conflict, open_next_stage, is_applicant, is_clerk_of, locked_application, require_clerk
from .models import AppState, Application, CoachingRecord, Handover, MaterialStatus, SubmittedMaterial, TaskState

OWED = (MaterialStatus.DEFERRED, MaterialStatus.COMMITTED)
CLOSED = (AppState.ISSUED, AppState.STOPPED, AppState.WITHDRAWN)


# -- commitments ---------------------------------------------------------------------------------------


def sweep_commitments(now: datetime | None = None) -> int:
    """Raise an alert on every application with a material owed past its deadline (once per material).

    Safe in several workers at once: each material is claimed by a conditional update.
    """
    now = now or timezone.now()
    raised = 0
    due = SubmittedMaterial.objects.filter(status__in=OWED, alerted_at__isnull=True, due_at__lte=now)
    for row in due.select_related("material").order_by("pk")[:500]:
        with transaction.atomic():
            if not SubmittedMaterial.objects.filter(pk=row.pk, alerted_at__isnull=True, status__in=OWED).update(alerted_at=now):
                continue
            Application.objects.filter(pk=row.application_id).update(alert=True)
            record(("approvals.Application", row.application_id), "approvals.commitment_overdue", None,
                   after={"material": row.material_id, "name": row.material.name, "due_at": row.due_at})
            raised += 1
    return raised


def _locked_material(actor: Any, row_id: int) -> SubmittedMaterial:
    row = SubmittedMaterial.objects.select_for_update(of=("self",)).select_related("application", "material").filter(pk=row_id).first()
    if row is None:
        raise NotFound("material", "材料")
    locked_application(actor, row.application_id)  # 404 if not visible; the application's lock first
    return row


def supply_material(actor: Any, row_id: int, *, at: datetime | None = None) -> SubmittedMaterial:
    """补交容缺材料: closes the commitment (and the alert, if nothing else is overdue)."""
    at = at or timezone.now()
    with transaction.atomic():
        row = _locked_material(actor, row_id)
        app = row.application
        if not (is_applicant(actor, app) or is_clerk_of(actor, app)):
            raise Forbidden("只有申请人或受理窗口可以补交材料。", "Only the applicant or the window may supply it.")
        if row.status not in OWED:
            raise conflict(row.status, "该材料不在容缺待补状态", "This material is not owed")
        late = row.due_at is not None and at >= row.due_at
        values = clocks.stop_values(row, at, actor, note="supplied")
        SubmittedMaterial.objects.filter(pk=row.pk).update(status=MaterialStatus.SUPPLIED, supplied_at=at, **values)
        still = SubmittedMaterial.objects.filter(application=app, status__in=OWED, alerted_at__isnull=False).exists()
        Application.objects.filter(pk=app.pk).update(alert=still)
        record(app, "approvals.material_supplied", actor, before={"material": row.material_id, "status": row.status},
               after={"material": row.material_id, "name": row.material.name, "status": MaterialStatus.SUPPLIED,
                      "late": late, "alert": still})
    row.refresh_from_db()
    return row


def broken_commitment_stops(row: SubmittedMaterial) -> bool:
    """Whether the catalogue says a commitment broken on `row` stops its application (失信即终止).

    For a matter's application: that matter's `broken_commitment_stops`. For a stage application the owed
    document may be asked by several of the stage's matters at once (each has its own material of the same
    name, one row each in the application, e.g. 营业执照): the application stops when the row's own matter or
    any of the stage's matters that asks for a material of that name says so, because the applicant broke
    the commitment towards all of them and the strictest matter decides.
    """
    material = row.material
    if material.matter.broken_commitment_stops:
        return True
    app = row.application
    if app.stage_id is None:
        return False
    asking = SubmittedMaterial.objects.filter(application_id=app.pk, material__name=material.name)
    return Matter.objects.filter(pk__in=asking.values("material__matter_id"), stages=app.stage_id,
                                 broken_commitment_stops=True).exists()


def record_broken_commitment(actor: Any, row_id: int, *, reason: str, stop: bool | None = None,
                             at: datetime | None = None) -> SubmittedMaterial:
    """失信记录: the commitment on an owed material (容缺 or 告知承诺) was not kept. It is always recorded;
    the application is stopped when the catalogue says so (`broken_commitment_stops`, above), unless the
    clerk's explicit `stop` says otherwise."""
    if not (reason or "").strip():
        raise field_error("reason", "请写明失信情况。", "Say how the commitment was broken.", code="required")
    at = at or timezone.now()
    with transaction.atomic():
        row = _locked_material(actor, row_id)
        app = row.application
        require_clerk(actor, app)
        if row.status not in OWED:
            raise conflict(row.status, "该材料不在容缺待补状态", "This material is not owed")
        decided_by = "catalogue" if stop is None else "clerk"
        stop = broken_commitment_stops(row) if stop is None else stop
        values = clocks.stop_values(row, at, actor, note="broken")
        SubmittedMaterial.objects.filter(pk=row.pk).update(status=MaterialStatus.BROKEN, **values)
        after: dict[str, Any] = {"material": row.material_id, "name": row.material.name,
                                 "status": MaterialStatus.BROKEN, "stopped": False, "decided_by": decided_by}
        if stop and app.state not in CLOSED:
            app_values = clocks.stop_values(app, at, actor, note="commitment broken") if app.is_open else {}
            Application.objects.filter(pk=app.pk).update(state=AppState.STOPPED, **app_values)
            after.update(stopped=True, state=AppState.STOPPED)
        record(app, "approvals.commitment_broken", actor, before={"material": row.material_id, "status": row.status,
                                                                   "state": app.state}, after=after, reason=reason.strip())
    row.refresh_from_db()
    return row


# -- 跨域通办 ------------------------------------------------------------------------------------------


def hand_over(actor: Any, app_id: int, *, to_centre_id: int, note: str = "", at: datetime | None = None) -> Handover:
    """Hand the application to another service centre; both keep seeing it, the timeline records it."""
    with transaction.atomic():
        app = locked_application(actor, app_id)
        require_clerk(actor, app)
        if app.state in CLOSED:
            raise conflict(app.state, "已办结的办件不能移交", "A closed application cannot be handed over")
        to = ServiceCentre.objects.filter(pk=to_centre_id).first()
        if to is None:
            raise field_error("to_centre_id", "服务中心不存在。", "No such service centre.", code="unknown")
        if to.pk == app.handled_at_id:
            raise field_error("to_centre_id", "已由该中心办理。", "The application is already handled there.")
        handover = Handover.objects.create(application=app, from_centre_id=app.handled_at_id, to_centre=to, by=actor,
                                           at=at or timezone.now(), note=note)
        Application.objects.filter(pk=app.pk).update(handled_at=to)
        record(app, "approvals.handed_over", actor, before={"handled_at": app.handled_at_id},
               after={"handled_at": to.pk, "to": to.name}, reason=note)
    return handover


# -- 批前辅导 ------------------------------------------------------------------------------------------


def record_coaching(actor: Any, project_id: int, *, guidance: str, matter_id: int | None = None,
                    at: datetime | None = None) -> CoachingRecord:
    """A coach (or the project's steward) records the guidance given before the formal application."""
    if not (guidance or "").strip():
        raise field_error("guidance", "请填写辅导内容。", "Say what guidance was given.", code="required")
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        staff = access.has_role(actor, Role.COACH, Role.STEWARD) and actor.pk in (project.coach_id, project.lead_steward_id)
        if not (staff or access.is_admin(actor)):
            raise Forbidden("只有该项目的辅导员或管家可以记录辅导。", "Only the project's coach or steward may record coaching.")
        matter = None
        if matter_id is not None:
            matter = Matter.objects.filter(pk=matter_id).first()
            if matter is None:
                raise field_error("matter_id", "事项不存在。", "No such matter.", code="unknown")
        rec = CoachingRecord.objects.create(project=project, coach=actor, matter=matter, at=at or timezone.now(),
                                            guidance=guidance.strip())
        record(project, "approvals.coaching_recorded", actor,
               after={"record": rec.pk, "matter": matter_id, "guidance": rec.guidance})
    return rec


# -- 模拟审批 ------------------------------------------------------------------------------------------


def formalize(actor: Any, app_id: int, *, at: datetime | None = None) -> Application:
    """模拟审批转正式: once the land certificate is recorded, the simulated application becomes formal and
    keeps every opinion given, so the permits can be issued the day the land is obtained (拿地即开工)."""
    at = at or timezone.now()
    with transaction.atomic():
        app = locked_application(actor, app_id)
        project = Project.objects.select_for_update().get(pk=app.project_id) if app.project_id else None
        if not (is_clerk_of(actor, app) or (project and access.can_manage_project(actor, project))):
            raise Forbidden("只有受理窗口或项目管家可以转为正式办件。", "Only the window or the project's steward may do this.")
        if not app.simulated:
            raise conflict(app.state, "该办件不是模拟审批", "This application is not a simulated one")
        if project is None or project.land_status != "certified":
            raise conflict(getattr(project, "land_status", "none"), "项目尚未登记不动产权证",
                           "The project has no land certificate yet")
        carried = list(app.tasks.filter(state__in=[TaskState.APPROVED, TaskState.REJECTED]).values_list("pk", flat=True))
        app.tasks.filter(pk__in=carried).update(carried_over=True)
        Application.objects.filter(pk=app.pk).update(simulated=False, formal_at=at)
        record(app, "approvals.formalized", actor, before={"simulated": True, "state": app.state},
               after={"simulated": False, "carried_over": carried, "land_certificate_on": project.land_certificate_on},
               reason=project.land_certificate_no)
        if app.state == AppState.APPROVED:
            open_next_stage(app.pk, at)
    app.refresh_from_db()
    return app

