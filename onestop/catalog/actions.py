"""Writes to the catalogue (事项清单维护): administrators only, one transaction each, every change audited.

Every way in (API, pages, import) goes through `spec.clean_matter` / `spec.clean_bundle`, so the same
input gets the same refusal, naming the field. Audit events carry the canonical form of `queries.py`
as before/after, on the matter's (or bundle's) own chain.

Import: one event per matter or bundle that changed (created/updated, on its own chain, so a matter's
history is complete whichever way it was changed) plus one `catalog.catalogue.imported` event on the
catalogue's chain with the file's name, SHA-256 and the codes created/updated; unchanged entries write
nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from onestop.audit.actions import record
from onestop.catalog import transfer
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.catalog.queries import bundle_as_dict, matter_as_dict
from onestop.catalog.spec import Issue, clean_bundle, clean_matter
from onestop.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from onestop.org.models import Department, Role

MATTER_FIELDS = ("name", "legal_limit", "promised_limit", "limit_unit", "warn_days", "lowest_level", "source",
                 "legal_basis", "active", "broken_commitment_stops", "form_fields")
CATALOGUE = ("catalog.Catalogue", "catalogue")


def require_admin(actor: Any) -> None:
    """Only an administrator (系统管理员) or a superuser maintains the catalogue."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not (getattr(actor, "role", None) == Role.ADMINISTRATOR or actor.is_superuser):
        raise Forbidden("只有系统管理员可以维护事项清单。", "Only an administrator may maintain the catalogue.")


def invalid(issues: list[Issue]) -> InvalidInput:
    """The issues of one entry as the 400 of DESIGN.md, `fields` keyed by dotted path."""
    first = issues[0]
    return InvalidInput(
        f"输入有误：{first.dotted}：{first.zh}" + (f"（另有{len(issues) - 1}处）" if len(issues) > 1 else ""),
        f"Invalid input: {first.dotted}: {first.en}" + (f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""),
        fields={i.dotted: i.en for i in issues},
    )


def _department_codes() -> set[str]:
    return set(Department.objects.values_list("code", flat=True))


def _write_matter(data: dict, matter: Matter | None) -> Matter:
    """Store a cleaned matter: fields, then materials matched by name (kept rows keep their ids)."""
    department = Department.objects.get(code=data["department"])
    if matter is None:
        matter = Matter(code=data["code"])
    matter.department = department
    for name in MATTER_FIELDS:
        setattr(matter, name, data[name])
    matter.save()
    wanted = {m["name"]: i for i, m in enumerate(data["materials"], start=1)}
    rows = Material.all_objects.filter(matter=matter)
    rows.filter(active=True).exclude(name__in=wanted).update(active=False)  # retired: applications refer to it
    existing = {m.name: m for m in rows.filter(name__in=wanted).order_by("active", "id")}  # in use wins
    for m in data["materials"]:
        row = existing.get(m["name"]) or Material(matter=matter, name=m["name"])
        row.position, row.active = wanted[m["name"]], True
        row.required, row.may_defer, row.may_commit, row.note = m["required"], m["may_defer"], m["may_commit"], m["note"]
        row.save()
    return Matter.objects.select_related("department").prefetch_related("materials").get(pk=matter.pk)


def _matter_action(before: dict | None, after: dict) -> str:
    if before is None:
        return "catalog.matter.created"
    if before["active"] and not after["active"]:
        return "catalog.matter.deactivated"
    if not before["active"] and after["active"]:
        return "catalog.matter.reactivated"
    return "catalog.matter.updated"


def _save_matter(actor: Any, data: dict, matter: Matter | None, reason: str) -> tuple[Matter, str | None]:
    """Write and audit one cleaned matter; returns the action recorded, or None when nothing changed."""
    before = matter_as_dict(matter) if matter else None
    saved = _write_matter(data, matter)
    after = matter_as_dict(saved)
    if before == after:
        return saved, None
    action = _matter_action(before, after)
    record(saved, action, actor, before=before, after=after, reason=reason)
    return saved, action


def _duplicate_code(kind_zh: str, kind_en: str, code: str) -> InvalidInput:
    return InvalidInput(f"{kind_zh}编码“{code}”已存在。", f"A {kind_en} with code {code!r} already exists.",
                        code="duplicate", fields={"code": f"A {kind_en} with code {code!r} already exists."})


def create_matter(actor: Any, data: dict[str, Any], *, reason: str = "") -> Matter:
    """新增事项 with its materials and form fields."""
    require_admin(actor)
    clean, issues = clean_matter(data, _department_codes())
    if issues:
        raise invalid(issues)
    try:
        with transaction.atomic():
            if Matter.objects.filter(code=clean["code"]).exists():
                raise _duplicate_code("事项", "matter", clean["code"])
            matter, _ = _save_matter(actor, clean, None, reason)
    except IntegrityError:  # a concurrent create with the same code won the race
        raise _duplicate_code("事项", "matter", clean["code"]) from None
    return matter


def update_matter(actor: Any, code: str, changes: dict[str, Any], *, reason: str = "") -> Matter:
    """修改事项: the fields given replace the current ones (materials / form_fields as whole lists)."""
    require_admin(actor)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().filter(code=code).first()
        if matter is None:
            raise NotFound("matter", "事项")
        current = matter_as_dict(matter)
        if "code" in changes and changes["code"] != code:
            raise InvalidInput("事项编码不能修改。", "A matter's code cannot be changed.",
                               fields={"code": "A matter's code cannot be changed."})
        clean, issues = clean_matter({**current, **changes}, _department_codes())
        if issues:
            raise invalid(issues)
        matter, _ = _save_matter(actor, clean, matter, reason)
    return matter


def deactivate_matter(actor: Any, code: str, *, reason: str = "") -> Matter:
    """停用事项: it leaves the published list; applications already made keep it."""
    return update_matter(actor, code, {"active": False}, reason=reason)


def _write_bundle(data: dict, bundle: Bundle | None) -> Bundle:
    """Store a cleaned bundle; stages matched by position (kept rows keep their ids)."""
    if bundle is None:
        bundle = Bundle(code=data["code"])
    bundle.name, bundle.description = data["name"], data["description"]
    bundle.save()
    try:
        with transaction.atomic():
            bundle.stages.filter(position__gt=len(data["stages"])).delete()
    except (ProtectedError, RestrictedError):
        en = "A stage with applications cannot be removed from the bundle."
        raise Conflict("已有办件的阶段不能从一件事中删除。", en, state="in_use", fields={"stages": en}) from None
    existing = {s.position: s for s in bundle.stages.all()}
    matters = dict(Matter.objects.filter(code__in={c for s in data["stages"] for c in s["matters"]}).values_list("code", "id"))
    for position, s in enumerate(data["stages"], start=1):
        stage = existing.get(position) or Stage(bundle=bundle, position=position)
        stage.name, stage.promised_limit, stage.limit_unit = s["name"], s["promised_limit"], s["limit_unit"]
        stage.save()
        stage.matters.set([matters[c] for c in s["matters"]])
    return Bundle.objects.prefetch_related("stages__matters").get(pk=bundle.pk)


def _save_bundle(actor: Any, data: dict, bundle: Bundle | None, reason: str) -> tuple[Bundle, str | None]:
    before = bundle_as_dict(bundle) if bundle else None
    saved = _write_bundle(data, bundle)
    after = bundle_as_dict(saved)
    if before == after:
        return saved, None
    action = "catalog.bundle.created" if before is None else "catalog.bundle.updated"
    record(saved, action, actor, before=before, after=after, reason=reason)
    return saved, action


def _matter_codes() -> set[str]:
    return set(Matter.objects.values_list("code", flat=True))


def create_bundle(actor: Any, data: dict[str, Any], *, reason: str = "") -> Bundle:
    """新增一件事 with its ordered stages and the matters of each stage."""
    require_admin(actor)
    clean, issues = clean_bundle(data, _matter_codes())
    if issues:
        raise invalid(issues)
    try:
        with transaction.atomic():
            if Bundle.objects.filter(code=clean["code"]).exists():
                raise _duplicate_code("一件事", "bundle", clean["code"])
            bundle, _ = _save_bundle(actor, clean, None, reason)
    except IntegrityError:
        raise _duplicate_code("一件事", "bundle", clean["code"]) from None
    return bundle


def update_bundle(actor: Any, code: str, changes: dict[str, Any], *, reason: str = "") -> Bundle:
    """修改一件事: fields given replace the current ones (`stages` as a whole ordered list)."""
    require_admin(actor)
    with transaction.atomic():
        bundle = Bundle.objects.select_for_update().filter(code=code).first()
        if bundle is None:
            raise NotFound("bundle", "一件事")
        if "code" in changes and changes["code"] != code:
            raise InvalidInput("一件事编码不能修改。", "A bundle's code cannot be changed.",
                               fields={"code": "A bundle's code cannot be changed."})
        clean, issues = clean_bundle({**bundle_as_dict(bundle), **changes}, _matter_codes())
        if issues:
            raise invalid(issues)
        bundle, _ = _save_bundle(actor, clean, bundle, reason)
    return bundle


@dataclass
class ImportReport:
    """What an import did, by code."""

    filename: str
    sha256: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    bundles_created: list[str] = field(default_factory=list)
    bundles_updated: list[str] = field(default_factory=list)
    bundles_unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_import(content: bytes, filename: str) -> tuple[transfer.Document, transfer.Checked]:
    """Read and check a file without writing: the pages use it to show each row's problems."""
    document = transfer.read_file(content, filename)
    return document, transfer.check_document(document, _department_codes(), _matter_codes())


def import_catalogue(actor: Any, content: bytes, filename: str) -> ImportReport:
    """导入事项清单: every row checked first; a bad file is refused whole (ImportRejected, nothing written);
    a good one creates or updates matters and bundles by code in one transaction."""
    require_admin(actor)
    digest = hashlib.sha256(content).hexdigest()
    report = ImportReport(filename=filename, sha256=digest)
    reason = f"import {filename} sha256:{digest[:16]}"
    try:
        with transaction.atomic():
            _import_checked(actor, content, filename, report, reason)
    except IntegrityError:  # another writer created the same code meanwhile: nothing of the file was kept
        raise Conflict("导入期间事项清单被他人修改，未导入任何内容，请重试。",
                       "The catalogue changed during the import; nothing was imported, please retry.",
                       state="changed") from None
    return report


def _import_checked(actor: Any, content: bytes, filename: str, report: ImportReport, reason: str) -> None:
    document, checked = check_import(content, filename)
    if checked.errors:
        raise transfer.ImportRejected(checked.errors, document)
    codes = [m["code"] for m in checked.matters]
    existing = {m.code: m for m in Matter.objects.select_for_update().filter(code__in=codes)}
    for data in checked.matters:
        _, action = _save_matter(actor, data, existing.get(data["code"]), reason)
        {None: report.unchanged, "catalog.matter.created": report.created}.get(action, report.updated).append(data["code"])
    codes = [b["code"] for b in checked.bundles]
    bundles = {b.code: b for b in Bundle.objects.select_for_update().filter(code__in=codes)}
    for data in checked.bundles:
        _, action = _save_bundle(actor, data, bundles.get(data["code"]), reason)
        {None: report.bundles_unchanged, "catalog.bundle.created": report.bundles_created}.get(
            action, report.bundles_updated).append(data["code"])
    record(CATALOGUE, "catalog.catalogue.imported", actor, after=report.as_dict(), reason=reason)
