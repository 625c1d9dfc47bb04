"""The catalogue API at /api/catalog.

Reads are public (auth=None): the catalogue is published information (政务服务事项清单 are public by
rule). Inactive matters are shown only to administrators. Writes and the import are for administrators.
The export (the whole working catalogue, inactive matters included, which is also the import template)
is for any logged-in staff account; applicants get 403, anonymous callers 401.
"""
from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from onestop.catalog import actions, queries
from onestop.catalog.export import export_json, export_xlsx
from onestop.catalog.models import Bundle, HandlingLevel, Matter, MatterSource
from onestop.catalog.schemas import (
    BundleIn, BundleOut, BundlePatch, ImportResult, MatterIn, MatterOut, MatterPage, MatterPatch,
)
from onestop.errors import Forbidden, NotFound
from onestop.org.schemas import ErrorMessage, ErrorOut

router = Router(tags=["catalog"])


class AdminSession(SessionAuth):
    """Logged in (else 401) as an administrator (else 403), checked before the body is read, so a
    non-administrator gets 403 whatever it sends. The actions check again."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_admin_role", False):
            raise Forbidden("只有系统管理员可以维护事项清单。", "Only an administrator may maintain the catalogue.")
        return user


class StaffSession(SessionAuth):
    """Logged in (else 401) as staff, not an applicant (else 403)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "is_applicant", False):
            raise Forbidden("只有工作人员可以导出事项清单。", "Only staff may export the catalogue.")
        return user


class RowErrorOut(Schema):
    sheet: str
    row: int
    column: str
    field: str
    problem: ErrorMessage


class ImportErrorOut(ErrorOut):
    """A refused file: every problem with its sheet (or JSON list), row (1-based) and field."""

    rows: list[RowErrorOut] = []


ADMIN = AdminSession(csrf=True)
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_admin_role", False))


def _summary(m: Matter) -> dict[str, Any]:
    return {
        "code": m.code, "name": m.name, "department": {"code": m.department.code, "name": m.department.name},
        "legal_limit": m.legal_limit, "promised_limit": m.promised_limit, "limit_unit": m.limit_unit,
        "warn_days": m.warn_days, "lowest_level": m.lowest_level, "source": m.source, "active": m.active,
        "broken_commitment_stops": m.broken_commitment_stops,
    }


def _detail(m: Matter) -> dict[str, Any]:
    return {
        **_summary(m),
        "legal_basis": m.legal_basis,
        "materials": list(m.materials.all()),
        "form_fields": m.form_fields or [],
        "stages": [{"bundle": s.bundle.code, "bundle_name": s.bundle.name, "stage": s.name, "position": s.position}
                   for s in m.stages.all()],
    }


def _bundle(b: Bundle) -> dict[str, Any]:
    return {
        "code": b.code, "name": b.name, "description": b.description,
        "stages": [{"position": s.position, "name": s.name, "promised_limit": s.promised_limit,
                    "limit_unit": s.limit_unit, "matters": [_summary(m) for m in s.matters.all()]}
                   for s in b.stages.all()],
    }


@router.get("/matters", response={200: MatterPage, 400: ErrorOut}, auth=None)
def list_matters(
    request: HttpRequest,
    source: MatterSource | None = None,
    department: str = Query("", description="department code"),
    lowest_level: HandlingLevel | None = None,
    q: str = Query("", description="words searched in code, name and legal basis"),
    include_inactive: bool = Query(False, description="administrators only"),
    page: int = Query(1, ge=1),
    page_size: int = Query(20, ge=1, le=200),
) -> dict[str, Any]:
    """事项清单: filter by source, department, lowest level and text; paginated."""
    qs = queries.matters(source=source or "", department=department, lowest_level=lowest_level or "", q=q,
                         include_inactive=include_inactive and _is_admin(request))
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size,
            "items": [_summary(m) for m in qs[start : start + page_size]]}


@router.get("/matters/{code}", response={200: MatterOut, 404: ErrorOut}, auth=None)
def get_matter(request: HttpRequest, code: str) -> dict[str, Any]:
    """A matter with its materials (容缺/告知承诺 marked), form fields, limits and bundle stages."""
    matter = queries.matter_detail(code, include_inactive=_is_admin(request))
    if matter is None:
        raise NotFound("matter", "事项")
    return _detail(matter)


@router.get("/bundles", response=list[BundleOut], auth=None)
def list_bundles(request: HttpRequest) -> list[dict[str, Any]]:
    """一件事 bundles with their ordered stages and the matters of each stage."""
    return [_bundle(b) for b in queries.bundles()]


@router.get("/bundles/{code}", response={200: BundleOut, 404: ErrorOut}, auth=None)
def get_bundle(request: HttpRequest, code: str) -> dict[str, Any]:
    bundle = queries.bundle_detail(code)
    if bundle is None:
        raise NotFound("bundle", "一件事")
    return _bundle(bundle)


def _matter_response(matter: Matter) -> dict[str, Any]:
    fresh = queries.matter_detail(matter.code, include_inactive=True)
    assert fresh is not None
    return _detail(fresh)


@router.post("/matters", response={201: MatterOut, **WRITE_ERRORS}, auth=ADMIN)
def create_matter(request: HttpRequest, payload: MatterIn) -> tuple[int, dict[str, Any]]:
    """新增事项 (administrators)."""
    matter = actions.create_matter(request.user, payload.model_dump(exclude_none=False))
    return 201, _matter_response(matter)


@router.patch("/matters/{code}", response={200: MatterOut, 404: ErrorOut, **WRITE_ERRORS}, auth=ADMIN)
def update_matter(request: HttpRequest, code: str, payload: MatterPatch) -> dict[str, Any]:
    """修改或停用事项 (administrators): only the fields sent change; `"active": false` deactivates."""
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    for key in ("materials", "form_fields"):
        if changes.get(key) is not None:
            changes[key] = [{k: v for k, v in item.items() if v is not None} for item in changes[key]]
    matter = actions.update_matter(request.user, code, changes, reason=reason)
    return _matter_response(matter)


@router.post("/bundles", response={201: BundleOut, **WRITE_ERRORS}, auth=ADMIN)
def create_bundle(request: HttpRequest, payload: BundleIn) -> tuple[int, dict[str, Any]]:
    """新增一件事 with its stages (administrators)."""
    bundle = actions.create_bundle(request.user, payload.model_dump())
    return 201, _bundle(queries.bundle_detail(bundle.code))


@router.patch("/bundles/{code}", response={200: BundleOut, 404: ErrorOut, **WRITE_ERRORS}, auth=ADMIN)
def update_bundle(request: HttpRequest, code: str, payload: BundlePatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    bundle = actions.update_bundle(request.user, code, changes, reason=reason)
    return _bundle(queries.bundle_detail(bundle.code))


@router.post("/import", response={200: ImportResult, 400: ImportErrorOut, 401: ErrorOut, 403: ErrorOut}, auth=ADMIN)
def import_catalogue(request: HttpRequest, file: UploadedFile = File(...)) -> dict[str, Any]:
    """导入事项清单 (.xlsx or .json, administrators). A bad file: 400 with `rows` (sheet, row, column,
    field, problem) and `fields` keyed "sheet[row].field"; nothing is imported from it."""
    report = actions.import_catalogue(request.user, file.read(), file.name or "")
    return report.as_dict()


@router.get("/export", response={401: ErrorOut, 403: ErrorOut}, auth=StaffSession(csrf=True))
def export_catalogue(request: HttpRequest, format: Literal["xlsx", "json"] = "xlsx") -> HttpResponse:
    """导出事项清单: the whole catalogue as .xlsx (the import template) or .json; any staff account."""
    if format == "json":
        body, content_type = export_json(), "application/json; charset=utf-8"
    else:
        body, content_type = export_xlsx(), XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="catalogue.{format}"'
    return response
