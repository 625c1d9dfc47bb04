"""The write side of an application's life: apply, intake, tasks, the join, one-window issue.

Each function is one thing a person does, in one transaction: it checks that the caller sees the thing
(404) and may do this (403), that the state fits (409 with the state), writes, and records one audit event
on the application's own chain, so the chain is the application's timeline. Commitments, hand-overs,
coaching and simulated approval are in `followups.py`.

Intake is in `intake.py`, the department tasks and the join in `decisions.py` (both re-exported here).
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from onestop import sql
from onestop.audit.actions import record
from onestop.catalog.models import Material, Matter, Stage
from onestop.catalog.queries import STAGE_NAMES, stage_to_apply_for
from onestop.enterprises.models import Enterprise, Project
from onestop.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from onestop.org.access import ORGANISATION_ROLES, is_admin, is_logged_in
from onestop.org.models import Account, Role, ServiceCentre

from . import clocks, documents, forms
from .models import AppState, Application, Channel, IssueMethod, MaterialStatus, SubmittedMaterial, Task, TaskState
from .queries import sees

STATE_ZH = {
    "submitted": "待受理", "notified": "已一次性告知", "in_review": "并联审批中", "approved": "已准予",
    "rejected": "不予许可", "issued": "已出件办结", "stopped": "已终止", "withdrawn": "已撤回",
    "open": "待办", "claimed": "已签收", "supplement": "补正中", "simulated": "模拟审批",
}
APPLYING_ROLES = frozenset({Role.WINDOW_CLERK, Role.HELP_AGENT, Role.ENTERPRISE, Role.EMPLOYER_UNIT, Role.RESIDENT,
                            Role.ADMINISTRATOR})


def conflict(state: str, zh: str, en: str) -> Conflict:
    return Conflict(f"{zh}（当前状态：{STATE_ZH.get(state, state)}）", f"{en} (state: {state}).", state=state)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _set(instance: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)


LOCKED_WITH = ("stage", "matter", "project")  # what intake and issue read with the application


def locked_application(actor: Any, pk: int) -> Application:
    """Lock the application and check the caller sees it (404 otherwise)."""
    return _seen(actor, sql.get(Application, pk, related=LOCKED_WITH, lock=True))  # every intake


def locked_application_and_log(actor: Any, pk: int) -> tuple[Application, list[clocks.Ev]]:
    """`locked_application` with its clock's log, read by the same statement (every issue stops the clock)."""
    app, log = clocks.get_with_log(Application, pk, related=LOCKED_WITH) or (None, [])
    return _seen(actor, app), log


def _seen(actor: Any, app: Application | None) -> Application:
    if app is None or not sees(actor, app):
        raise NotFound("application", "办件")
    return app


def is_clerk_of(actor: Any, app: Application) -> bool:
    """The window that handles the application (its centre's clerks) or an administrator."""
    return is_admin(actor) or (is_logged_in(actor) and actor.role == Role.WINDOW_CLERK
                               and actor.service_centre_id == app.handled_at_id)


def require_clerk(actor: Any, app: Application) -> None:
    if not is_clerk_of(actor, app):
        raise Forbidden("只有受理该办件的综合窗口可以办理此操作。", "Only the window handling this application may do this.")


def is_applicant(actor: Any, app: Application) -> bool:
    if not is_logged_in(actor):
        return False
    if actor.role in ORGANISATION_ROLES and actor.organisation_id and actor.organisation_id in (
            app.applicant_id, getattr(app.project, "company_id", None) if app.project_id else None):
        return True
    return app.applicant_account_id == actor.pk or app.created_by_id == actor.pk


def offered(actor: Any, app: Application, tasks: list[Task], owed: list) -> set[str]:
    """What `actor` may do on `app` as it stands (a page offers these; each action checks again when sent):
    the applicant's side (resubmit, supply an owed material or a supplement, apply again) is the applicant's
    and the window's; issuing, turning formal and handing over are the window's."""
    clerk = is_clerk_of(actor, app)
    offer = {}
    if clerk or is_applicant(actor, app):
        offer.update(resubmit=app.state == AppState.NOTIFIED, supply_material=bool(owed),
                     supply_task=any(t.state == TaskState.SUPPLEMENT for t in tasks),
                     reapply=app.state == AppState.REJECTED or app.state == AppState.ISSUED and app.rejected_tasks > 0)
    if clerk:
        offer.update(issue=app.state in (AppState.APPROVED, AppState.REJECTED) and not app.simulated,
                     formalize=app.simulated, handover=app.state != AppState.ISSUED)
    return {name for name, on in offer.items() if on}


# -- applying ----------------------------------------------------------------------------------------


def _scope(matter_id: Any, stage_id: Any) -> tuple[Matter | None, Stage | None, list[Matter], list[int]]:
    """What is applied for: a matter or a stage, the matters either holds and their materials' ids."""
    if (matter_id is None) == (stage_id is None):
        raise InvalidInput("请选择一个事项或一个一件事阶段。", "Give either a matter or a bundle stage.",
                           fields={"matter_id": "give either matter_id or stage_id"})
    if matter_id is not None:
        matter = Matter.objects.select_related("department").filter(pk=matter_id, active=True).first()
        if matter is None:
            raise field_error("matter_id", "事项不存在或已停用。", "No such matter (or it is no longer active).",
                              code="unknown")
        return matter, None, [matter], _materials([matter])
    found = stage_to_apply_for(stage_id)
    if found is None:
        raise field_error("stage_id", "一件事阶段不存在。", "No such bundle stage.", code="unknown")
    stage, matters, materials = found
    return None, stage, matters, materials


def _centre_for(actor: Any, centre_id: Any, project: Project | None) -> ServiceCentre | None:
    if actor.role == Role.WINDOW_CLERK and centre_id is None:
        return ServiceCentre(pk=actor.service_centre_id) if actor.service_centre_id else None
    if centre_id is not None:
        centre = ServiceCentre.objects.filter(pk=centre_id).first()
        if centre is None:
            raise field_error("centre_id", "服务中心不存在。", "No such service centre.", code="unknown")
        return centre
    place = project.place if project else getattr(actor, "place", None)
    while place is not None:  # the nearest centre above the project's place
        centre = ServiceCentre.objects.filter(place=place).order_by("pk").first()
        if centre:
            return centre
        place = place.parent
    return ServiceCentre.objects.order_by("pk").first()


def _applicant(actor: Any, applicant_id: Any, project: Project | None) -> Enterprise | None:
    if actor.role in ORGANISATION_ROLES:
        if applicant_id not in (None, actor.organisation_id):
            raise Forbidden("只能以本单位名义申报。", "You may apply only for your own organisation.")
        return actor.organisation
    if actor.role == Role.RESIDENT:  # 群众 applies in its own name, never an enterprise's
        if applicant_id is not None:
            raise Forbidden("只能以本人名义申报。", "You may apply only in your own name.")
        return None
    if applicant_id is None:
        return project.company or project.investor if project else None
    found = Enterprise.objects.filter(pk=applicant_id).first()
    if found is None:
        raise field_error("applicant_id", "申请企业不存在。", "No such enterprise.", code="unknown")
    return found


FILING_FOR_OTHERS = frozenset({Role.WINDOW_CLERK, Role.HELP_AGENT, Role.ADMINISTRATOR})


def _applicant_account(actor: Any, account_id: Any) -> Any:
    """The account that applies: the caller when it applies for itself, or the one a window or agent files for."""
    if actor.role in (Role.RESIDENT, *ORGANISATION_ROLES):
        if account_id not in (None, actor.pk):
            raise Forbidden("只能以本人或本单位名义申报。", "You may apply only in your own name.")
        return actor
    if account_id is None:
        return None
    if actor.role not in FILING_FOR_OTHERS:
        raise Forbidden("您不能代他人申报。", "You may not file applications for others.")
    account = Account.objects.filter(pk=account_id, is_active=True,
                                     role__in=(Role.RESIDENT, *ORGANISATION_ROLES)).first()
    if account is None:
        raise field_error("applicant_account_id", "申请人账号不存在（须为群众或企业、单位账号）。",
                          "No such applicant account (it must be a resident's, an enterprise's or a unit's).",
                          code="unknown")
    return account


def _project(actor: Any, project_id: Any) -> Project | None:
    if project_id is None:
        return None
    project = sql.get(Project, project_id, related=("investor", "company", "place"))
    if project is None:
        raise field_error("project_id", "项目不存在。", "No such project.", code="unknown")
    if actor.role in ORGANISATION_ROLES and actor.organisation_id not in (project.investor_id, project.company_id):
        raise field_error("project_id", "不是本单位的项目。", "Not a project of your organisation.", code="unknown")
    if actor.role == Role.RESIDENT:  # a project belongs to enterprises: a resident has none of its own
        raise field_error("project_id", "不是本人的项目。", "Not a project of yours.", code="unknown")
    return project


def _channel(actor: Any, channel: str | None) -> str:
    default = {Role.WINDOW_CLERK: Channel.WINDOW, Role.HELP_AGENT: Channel.VILLAGE_AGENT}.get(actor.role, Channel.ONLINE)
    channel = channel or default
    if channel not in Channel.values:
        raise field_error("channel", "受理渠道不在列表中。", f"Must be one of {', '.join(Channel.values)}.")
    return channel


def submit_application(
    actor: Any, *, matter_id: int | None = None, stage_id: int | None = None, project_id: int | None = None,
    applicant_id: int | None = None, channel: str | None = None, form_data: dict | None = None,
    provided: Iterable[int] = (), simulated: bool = False, centre_id: int | None = None,
    applicant_account_id: int | None = None, previous: Application | None = None,
    resubmission_of: Application | None = None, at: datetime | None = None,
) -> Application:
    """申报: an application for a matter or a bundle stage, its one form filled from the records on file.

    A window clerk or a village agent may file it for a resident or an organisation's account
    (`applicant_account_id`, 代办): that account is then the applicant who follows it on the portal.
    """
    if not is_logged_in(actor) or actor.role not in APPLYING_ROLES:
        raise Forbidden("您不能提交申请。", "You may not submit applications.")
    matter, stage, matters, materials = _scope(matter_id, stage_id)
    project = _project(actor, project_id)
    applicant = _applicant(actor, applicant_id, project)
    if simulated and (project is None or project.land_status != "none"):
        raise field_error("simulated", "模拟审批只适用于尚未取得用地的项目。",
                          "Simulated approval is for a project that has no land yet.")
    form = forms.fill(matters, applicant, project, form_data or {})
    given = set(provided)
    unknown = given - set(materials)
    if unknown:
        raise field_error("provided", f"材料不属于该申请：{sorted(unknown)}", f"Not materials of this application: {sorted(unknown)}.")
    centre = _centre_for(actor, centre_id, project)
    account = _applicant_account(actor, applicant_account_id)
    return _create(actor, matter, stage, materials, project, applicant, account, _channel(actor, channel), form,
                   given, simulated, centre, previous, resubmission_of, _now(at))


def form_to_fill(actor: Any, *, matter_id: int | None = None, stage_id: int | None = None,
                 project_id: int | None = None, applicant_id: int | None = None) -> list[dict[str, Any]]:
    """The one form `submit_application` would take for this choice, shown before it is sent (the portal's
    second step): each field of the matters with what the records say. Reads only; the same checks."""
    if not is_logged_in(actor) or actor.role not in APPLYING_ROLES:
        raise Forbidden("您不能提交申请。", "You may not submit applications.")
    _, _, matters, _ = _scope(matter_id, stage_id)
    project = _project(actor, project_id)
    return forms.to_fill(matters, _applicant(actor, applicant_id, project), project)


def stage_matters(stage_id: int, fields: tuple[str, ...]) -> list[Matter]:
    """The matters of a stage still in use, in catalogue order, with `fields` read (the rest deferred).

    Every application of a stage reads them on acceptance: statements written once."""
    names = ("matter_id", *(f"matter__{f}" for f in fields))
    found = sql.rows(Stage.matters.through, names, {"stage_id": stage_id, "matter__active": True},
                     order="matter__code")
    return [sql.build(Matter, ("id", *fields), row) for row in found]


def _materials(matters: list[Matter]) -> list[int]:
    """The ids of the matters' materials still in use, in checklist order."""
    found = sql.rows(Material, ("id",), {"matter_id": [m.pk for m in matters], "active": True},
                     order=("matter__code", "position"))
    return [pk for (pk,) in found]


SUBMITTED = ("matter_id", "stage_id", "channel", "applicant_id", "applicant_account_id", "created_by_id", "project_id",
             "form_data", "taken_at_id", "handled_at_id", "simulated", "submitted_at", "previous_id",
             "resubmission_of_id")  # what a new application holds; the rest is at its defaults


def _create(actor: Any, matter: Matter | None, stage: Stage | None, materials: list[int], project: Project | None,
            applicant: Enterprise | None, account: Any, channel: str, form: dict, given: set[int], simulated: bool,
            centre: ServiceCentre | None, previous: Application | None, resubmission_of: Application | None,
            at: datetime) -> Application:
    app = Application(
        matter=matter, stage=stage, channel=channel, applicant=applicant, applicant_account=account,
        created_by=actor, project=project, form_data=form, taken_at=centre, handled_at=centre,
        simulated=simulated, submitted_at=at, previous=previous, resubmission_of=resubmission_of,
    )
    with transaction.atomic():  # every application starts here: statements written once (`onestop.sql`)
        sql.insert_new(app, SUBMITTED)
        checklist = (SubmittedMaterial, ("application_id", "material_id", "status"), [
            (app.pk, m, MaterialStatus.PROVIDED if m in given else MaterialStatus.MISSING) for m in materials])
        record(app, "approvals.submitted", actor, first=True, along=sql.Writes(None, (), inserts=[checklist]), after={
            "matter": getattr(matter, "pk", None), "stage": getattr(stage, "pk", None), "channel": channel,
            "project": getattr(project, "pk", None), "applicant": getattr(applicant, "pk", None),
            "simulated": simulated, "centre": getattr(centre, "pk", None), "provided": sorted(given),
            "previous": getattr(previous, "pk", None), "resubmission_of": getattr(resubmission_of, "pk", None)})
    return app


# -- the next stage, one-window issue, re-application ------------------------------------------------------


@lru_cache(maxsize=None)
def _next_stage_sql() -> str:
    t, q = sql.table(Stage), sql.quote
    bundle, position = sql.column(Stage, "bundle"), q("position")
    return (f"SELECT {', '.join(f'nxt.{q(f.column)}' for f in Stage._meta.concrete_fields)} FROM {t} nxt "
            f"INNER JOIN {t} cur ON cur.{bundle} = nxt.{bundle} WHERE cur.{q('id')} = %s "
            f"AND nxt.{position} > cur.{position} ORDER BY nxt.{position} LIMIT 1")


def next_stage(stage_id: int) -> Stage | None:
    """The stage after `stage_id` in its bundle (None after the last one), in one query (written once: every
    approved stage asks)."""
    rows = sql.fetch(_next_stage_sql(), [stage_id])
    return sql.build(Stage, STAGE_NAMES, sql.reader(Stage, STAGE_NAMES)(rows[0])) if rows else None


def open_next_stage(app_id: int, at: datetime, nxt: Stage | None = None) -> Application | None:
    """一件事: an approved stage opens the next one (`nxt` if the caller found it) by itself, pre-filled from
    the one form."""
    app = Application.objects.select_related("project", "created_by").get(pk=app_id)
    nxt = nxt or (next_stage(app.stage_id) if app.stage_id and not app.simulated else None)
    if nxt is None:
        return None
    project = app.project
    applicant = (project.company if project and project.company_id else app.applicant)
    matters = list(nxt.matters.filter(active=True).order_by("code"))
    form = {**forms.on_record(applicant, project), **app.form_data}
    if applicant is not None:  # the project company applies from the registration stage on
        form.update(forms.on_record(applicant, None))
    materials = _materials(matters)
    opened = _create(app.created_by, None, nxt, materials, project, applicant, app.applicant_account, app.channel,
                     form, set(), False, app.handled_at, app, None, at)
    record(app, "approvals.next_stage_opened", None, after={"application": opened.pk, "stage": nxt.pk})
    return opened


RESULTS = ("id", "matter__name", "department__name", "state", "opinion", "decided_at", "carried_over")


def issue_results(actor: Any, app_id: int, *, method: str = IssueMethod.WINDOW, at: datetime | None = None,
                  seal_id: int | None = None) -> Application:
    """一窗统一出件: every department's result is issued together and the application is closed."""
    if method not in IssueMethod.values:
        raise field_error("method", "出件方式不在列表中。", f"Must be one of {', '.join(IssueMethod.values)}.")
    at = _now(at)
    with transaction.atomic():
        app, log = locked_application_and_log(actor, app_id)
        require_clerk(actor, app)
        if app.simulated:
            raise conflict("simulated", "模拟审批的结果须在转为正式办件后出件", "A simulated application is issued once it is formal")
        if app.state not in (AppState.APPROVED, AppState.REJECTED):
            raise conflict(app.state, "只有已办结审批的办件可以出件", "Only a decided application can be issued")
        results = [{"task": pk, "matter": matter, "department": department, "result": state, "opinion": opinion,
                    "decided_at": decided_at.isoformat() if decided_at else None, "carried_over": carried_over}
                   for pk, matter, department, state, opinion, decided_at, carried_over in sql.rows(
                       Task, RESULTS, {"application_id": app.pk}, order="id")]
        if seal_id is not None:
            documents.seal_results(actor, app, results, seal_id)
        values, stopped = clocks.stop(app, at, actor, note="issued", log=log)
        land_days = None
        if app.state == AppState.APPROVED and app.project_id and app.project.land_certificate_on:
            land_days = (clocks.local_day(at) - app.project.land_certificate_on).days
        changes = {"state": AppState.ISSUED, "issued_at": at, "issue_method": method, "results": results,
                   "land_to_permit_days": land_days, **values}
        decision = app.state
        _set(app, changes)
        record(app, "approvals.issued", actor, before={"state": decision},
               after={"state": AppState.ISSUED, "decision": decision, "method": method, "results": results,
                      "land_to_permit_days": land_days, "days_consumed": values["days_consumed"]},
               along=sql.Writes(stopped, clocks.EVENT_FIELDS, [(Application, changes, {"id": app.pk})]))
    return app


def reapply(actor: Any, app_id: int, *, form_data: dict | None = None, provided: Iterable[int] = (),
            at: datetime | None = None) -> Application:
    """重新申报 after a rejection: a new application for the same scope, linked to the rejected one."""
    old = Application.objects.select_related("project").filter(pk=app_id).first()
    if old is None or not sees(actor, old):
        raise NotFound("application", "办件")
    if not (is_applicant(actor, old) or is_clerk_of(actor, old)):
        raise Forbidden("只有申请人或受理窗口可以重新申报。", "Only the applicant or the window may reapply.")
    rejected = old.state == AppState.REJECTED or (old.state == AppState.ISSUED and old.rejected_tasks)
    if not rejected:
        raise conflict(old.state, "只有被驳回的办件可以重新申报", "Only a rejected application can be reapplied for")
    return submit_application(
        actor, matter_id=old.matter_id, stage_id=old.stage_id, project_id=old.project_id,
        applicant_id=None if actor.role in ORGANISATION_ROLES else old.applicant_id, channel=old.channel,
        form_data={**old.form_data, **(form_data or {})}, provided=provided, centre_id=old.handled_at_id,
        resubmission_of=old, previous=old.previous, at=at)


# The other writes, importable from here as the one write side of the app.
from .decisions import (  # noqa: E402
    approve_task, claim_task, join, reject_task, request_supplement, supply_supplement,
)
from .intake import accept_application, notify_missing, resubmit  # noqa: E402
