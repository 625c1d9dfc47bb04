"""The write side of enterprises and projects: one function per thing a person does.

Each action checks visibility (404) and permission (403) through `onestop.org.access`, validates its input
(400 naming the field), writes in one transaction and appends the audit event (with before/after) to the
enterprise's or the project's chain. Nothing is written when any check fails.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.enterprises import creditcode
from onestop.enterprises.models import Contact, Enterprise, Project, ProjectStage
from onestop.errors import InvalidInput, field_error
from onestop.org import access
from onestop.org.cleaning import clean_or_raise, lookup
from onestop.org.models import Account, Place, Role

#: Sent inside the transaction that records a project's land certificate, so that the approvals app can
#: turn the simulated opinions into formal approvals atomically (拿地即开工). kwargs: project, actor.
land_certified = Signal()

ENTERPRISE_FIELDS = ("kind", "name", "credit_code", "legal_representative", "address", "place_id", "industry",
                     "registered_on", "tags")
PROJECT_DESCRIPTIVE = ("name", "address", "investment", "industry", "place_id", "company_id", "description")


def _checked_credit_code(code: str) -> str:
    try:
        return creditcode.validate(code)
    except creditcode.CreditCodeError as exc:
        raise InvalidInput(exc.zh, f"Unified social credit code {exc.en}.", code="invalid_credit_code",
                           fields={"credit_code": exc.en}) from None


def _refuse_duplicate_code(code: str, exclude_pk: int | None = None) -> None:
    clash = Enterprise.objects.filter(credit_code=code).exclude(pk=exclude_pk)
    if clash.exists():
        raise field_error("credit_code", f"统一社会信用代码{code}已登记。", f"credit code {code} is already registered",
                          code="duplicate")


def _not_in_future(field: str, value: date | None) -> None:
    if value and value > timezone.localdate():
        raise field_error(field, "日期不能晚于今天。", "date may not be in the future")


def _place_in_area(actor: Account, place_id: Any) -> Place:
    place = lookup(Place.objects.all(), place_id, "place_id", "地点", "place")
    access.require(access.in_area(actor, place), "该地点不在您的辖区内。", "That place is outside your area.",
                   fields={"place_id": "outside your area"})
    return place


def _save(instance, field: str = "credit_code") -> None:
    """Save inside a savepoint; a unique clash raced past the checks becomes a 400 naming `field`."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise field_error(field, "与已有记录重复。", "duplicates an existing record", code="duplicate") from None


# --- enterprises --------------------------------------------------------------------------------------


def register_enterprise(actor: Account, **data: Any) -> Enterprise:
    """登记企业: a window clerk or administrator registers an enterprise or employer unit."""
    access.require(access.can_register_enterprise(actor), "只有综合窗口和管理员可以登记企业。",
                   "Only window clerks and administrators may register enterprises.")
    unknown = set(data) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise InvalidInput("含有未知字段。", "Unknown fields.", fields={f: "unknown field" for f in sorted(unknown)})
    data["credit_code"] = _checked_credit_code(data.get("credit_code", ""))
    if data.get("place_id") is None:
        raise field_error("place_id", "请选择所在地点。", "a place is required", code="required")
    place = _place_in_area(actor, data.pop("place_id"))
    _not_in_future("registered_on", data.get("registered_on"))
    with transaction.atomic():
        _refuse_duplicate_code(data["credit_code"])
        enterprise = Enterprise(place=place, **{k: v for k, v in data.items() if v is not None})
        clean_or_raise(enterprise, validate_unique=False)
        _save(enterprise)
        record(enterprise, "enterprise.registered", actor, after=snapshot(enterprise))
    return enterprise


def update_enterprise(actor: Account, enterprise_id: int, changes: dict[str, Any]) -> Enterprise:
    """修改企业信息: clerk and administrator any field; the organisation itself its address and industry."""
    with transaction.atomic():
        enterprise = access.enterprise_for(actor, enterprise_id, for_update=True)
        allowed = access.editable_enterprise_fields(actor, enterprise)
        names = {k.removesuffix("_id") for k in changes}
        if allowed is not None and not names <= allowed:
            refused = sorted(names - allowed)
            access.require(False, "您不能修改这些字段。", "You may not change these fields.",
                           fields={f: "not allowed" for f in refused})
        unknown = set(changes) - set(ENTERPRISE_FIELDS)
        if unknown:
            raise InvalidInput("含有未知字段。", "Unknown fields.", fields={f: "unknown field" for f in sorted(unknown)})
        if "credit_code" in changes:
            changes["credit_code"] = _checked_credit_code(changes["credit_code"])
            _refuse_duplicate_code(changes["credit_code"], exclude_pk=enterprise.pk)
        if "place_id" in changes:
            if changes["place_id"] is None:
                raise field_error("place_id", "请选择所在地点。", "a place is required", code="required")
            changes["place"] = _place_in_area(actor, changes.pop("place_id"))
        _not_in_future("registered_on", changes.get("registered_on"))
        before = snapshot(enterprise)
        for name, value in changes.items():
            setattr(enterprise, name, value if value is not None or name == "registered_on" else "")
        clean_or_raise(enterprise, validate_unique=False)
        after = snapshot(enterprise)
        if after != before:
            _save(enterprise)
            record(enterprise, "enterprise.updated", actor, before=before, after=after)
    return enterprise


def add_contact(actor: Account, enterprise_id: int, **data: Any) -> Contact:
    """添加联系人: administrator, clerk, the organisation itself or its current commissioner."""
    with transaction.atomic():
        enterprise = access.enterprise_for(actor, enterprise_id, for_update=True)
        access.require(access.can_add_contact(actor, enterprise), "您不能为该企业添加联系人。",
                       "You may not add contacts to this enterprise.")
        contact = Contact(enterprise=enterprise, **{k: v for k, v in data.items() if v is not None})
        clean_or_raise(contact, exclude=["enterprise"])
        contact.save()
        record(enterprise, "enterprise.contact_added", actor, after=snapshot(contact))
    return contact


# --- projects -----------------------------------------------------------------------------------------


def _investor_for(actor: Account, investor_id: Any) -> Enterprise:
    """Applicants create projects only for their own organisation; stewards and administrators may name any
    registered enterprise (they assemble projects before they lead them); clerks any enterprise they see."""
    if actor.role in access.ORGANISATION_ROLES:
        if investor_id is not None and investor_id != actor.organisation_id:
            access.require(False, "只能为本单位创建项目。", "You may create projects only for your own organisation.",
                           fields={"investor_id": "not your organisation"})
        return actor.organisation
    if investor_id is None:
        raise field_error("investor_id", "请选择投资主体。", "an investor is required", code="required")
    pool = Enterprise.objects.all() if actor.role == Role.STEWARD or access.is_admin(actor) \
        else access.visible_enterprises(actor)
    return lookup(pool, investor_id, "investor_id", "企业", "enterprise")


def _next_project_code(project: Project) -> str:
    return f"XM{timezone.localdate():%Y}-{project.pk:05d}"


def create_project(actor: Account, **data: Any) -> Project:
    """创建项目: administrator, clerk, steward (who then leads it), or an organisation for itself."""
    access.require(access.can_create_project(actor), "您不能创建项目。", "You may not create projects.")
    investor = _investor_for(actor, data.pop("investor_id", None))
    company_id = data.pop("company_id", None)
    company = None
    if company_id is not None:
        pool = Enterprise.objects.all() if access.is_admin(actor) or actor.role == Role.STEWARD \
            else access.visible_enterprises(actor)
        company = lookup(pool, company_id, "company_id", "企业", "enterprise")
    if data.get("place_id") is None:
        raise field_error("place_id", "请选择项目地点。", "a place is required", code="required")
    place = lookup(Place.objects.all(), data.pop("place_id"), "place_id", "地点", "place")
    if actor.role == Role.WINDOW_CLERK:
        _place_in_area(actor, place.pk)
    lead_steward = _staff_for(actor, data.pop("lead_steward_id", None), data.pop("coach_id", None))
    investment = data.get("investment")
    if investment is not None and Decimal(investment) <= 0:
        raise field_error("investment", "投资额必须大于零。", "must be greater than zero")
    code = data.pop("code", None)
    with transaction.atomic():
        if code and Project.objects.filter(code=code).exists():
            raise field_error("code", f"项目编号{code}已存在。", f"project code {code} already exists", code="duplicate")
        project = Project(investor=investor, company=company, place=place, code=code or f"tmp-{timezone.now():%H%M%S%f}",
                          lead_steward=lead_steward[0], coach=lead_steward[1],
                          **{k: v for k, v in data.items() if v is not None})
        clean_or_raise(project, validate_unique=False)
        _save(project, "code")
        if not code:
            project.code = _next_project_code(project)
            project.save(update_fields=["code"])
        record(project, "project.created", actor, after=snapshot(project))
    return project


def _staff_for(actor: Account, lead_steward_id: Any, coach_id: Any) -> tuple[Account | None, Account | None]:
    """At creation: an administrator may name both; a steward leads what it creates; nobody else names staff."""
    if access.is_admin(actor):
        return _steward(lead_steward_id), _coach(coach_id)
    if lead_steward_id not in (None, actor.pk) or coach_id is not None:
        field = "lead_steward_id" if lead_steward_id not in (None, actor.pk) else "coach_id"
        access.require(False, "您不能指派项目人员。", "You may not assign project staff.", fields={field: "not allowed"})
    return (actor if actor.role == Role.STEWARD else None), None


def _steward(pk: Any) -> Account | None:
    if pk is None:
        return None
    return lookup(Account.objects.filter(role=Role.STEWARD, is_active=True), pk, "lead_steward_id", "项目管家", "steward")


def _coach(pk: Any) -> Account | None:
    if pk is None:
        return None
    pool = Account.objects.filter(role__in=[Role.COACH, Role.STEWARD], is_active=True)
    return lookup(pool, pk, "coach_id", "项目辅导员", "coach")


def update_project(actor: Account, project_id: int, changes: dict[str, Any]) -> Project:
    """修改项目 (PATCH): descriptive fields, stage and staff, each under its own permission, in one transaction."""
    stage = changes.pop("stage", None)
    staff = {k: changes.pop(k) for k in ("lead_steward_id", "coach_id") if k in changes}
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        if changes:
            access.require(access.can_edit_project(actor, project), "您不能修改该项目。", "You may not edit this project.")
        if stage is not None:
            access.require(access.can_manage_project(actor, project), "您不能变更项目阶段。",
                           "You may not change this project's stage.", fields={"stage": "not allowed"})
        if staff:
            access.require(access.can_assign_project_staff(actor, project), "您不能指派项目人员。",
                           "You may not assign project staff.", fields={k: "not allowed" for k in staff})
        if changes:
            _edit_project(actor, project, changes)
        if stage is not None:
            set_project_stage(actor, project.pk, stage)
        if staff:
            assign_project_staff(actor, project.pk, **staff)
        project.refresh_from_db()
    return project


def _edit_project(actor: Account, project: Project, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(PROJECT_DESCRIPTIVE)
    if unknown:
        raise InvalidInput("含有未知字段。", "Unknown fields.", fields={f: "unknown field" for f in sorted(unknown)})
    if "place_id" in changes:
        if changes["place_id"] is None:
            raise field_error("place_id", "请选择项目地点。", "a place is required", code="required")
        changes["place"] = lookup(Place.objects.all(), changes.pop("place_id"), "place_id", "地点", "place")
        if actor.role == Role.WINDOW_CLERK:
            _place_in_area(actor, changes["place"].pk)
    if "company_id" in changes:
        cid = changes.pop("company_id")
        changes["company"] = None if cid is None else lookup(
            access.visible_enterprises(actor), cid, "company_id", "企业", "enterprise")
    if changes.get("investment") is not None and Decimal(changes["investment"]) <= 0:
        raise field_error("investment", "投资额必须大于零。", "must be greater than zero")
    before = snapshot(project)
    for name, value in changes.items():
        setattr(project, name, value if value is not None or name == "company" else "")
    clean_or_raise(project, validate_unique=False)
    after = snapshot(project)
    if after != before:
        project.save()
        record(project, "project.updated", actor, before=before, after=after)


def set_project_stage(actor: Account, project_id: int, stage: str, reason: str = "") -> Project:
    """变更项目阶段: administrator, clerk, lead steward. Reaching 已落地 dates the landing; leaving it clears it."""
    if stage not in ProjectStage.values:
        raise field_error("stage", "项目阶段无效。", f"must be one of {', '.join(ProjectStage.values)}")
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        access.require(access.can_manage_project(actor, project), "您不能变更项目阶段。",
                       "You may not change this project's stage.", fields={"stage": "not allowed"})
        if project.stage == stage:
            return project
        before = snapshot(project, ["stage", "landed_on"])
        project.stage = stage
        project.landed_on = timezone.localdate() if stage == ProjectStage.LANDED else None
        project.save(update_fields=["stage", "landed_on"])
        record(project, "project.stage_set", actor, before=before, after=snapshot(project, ["stage", "landed_on"]),
               reason=reason)
    return project


def record_land_certificate(actor: Account, project_id: int, *, number: str, issued_on: date) -> Project:
    """登记不动产权证 (拿地): the project's land status becomes certified with the certificate's number and date.

    Once only: a second certificate is a 409 with the current land status.
    """
    from onestop.errors import Conflict

    number = (number or "").strip()
    if not number:
        raise field_error("number", "请填写不动产权证号。", "a certificate number is required", code="required")
    _not_in_future("issued_on", issued_on)
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        access.require(access.can_manage_project(actor, project), "您不能登记该项目的用地。",
                       "You may not record this project's land certificate.")
        if project.land_status != "none":
            raise Conflict("该项目已登记不动产权证。", "This project already has a land certificate.",
                           state=project.land_status)
        fields = ["land_status", "land_certificate_no", "land_certificate_on"]
        before = snapshot(project, fields)
        project.land_status, project.land_certificate_no, project.land_certificate_on = "certified", number, issued_on
        clean_or_raise(project, validate_unique=False)
        project.save(update_fields=fields)
        record(project, "project.land_certified", actor, before=before, after=snapshot(project, fields))
        land_certified.send(sender=Project, project=project, actor=actor)
    return project


def assign_project_staff(actor: Account, project_id: int, **staff: Any) -> Project:
    """指派项目管家 / 辅导员: administrator or the supervisor of the project's area.

    `lead_steward_id` must name an active steward, `coach_id` an active coach or steward; None unassigns.
    """
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        access.require(access.can_assign_project_staff(actor, project), "您不能指派项目人员。",
                       "You may not assign project staff.", fields={k: "not allowed" for k in staff})
        fields = ["lead_steward", "coach"]
        before = snapshot(project, fields)
        if "lead_steward_id" in staff:
            project.lead_steward = _steward(staff["lead_steward_id"])
        if "coach_id" in staff:
            project.coach = _coach(staff["coach_id"])
        after = snapshot(project, fields)
        if after != before:
            project.save(update_fields=fields)
            record(project, "project.staff_assigned", actor, before=before, after=after)
    return project
