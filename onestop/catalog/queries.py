"""Reads of the catalogue: lists with filters, a matter with its materials, bundles with their stages.

`matter_as_dict` / `bundle_as_dict` give the canonical form of `spec.py`, used by the export, by the
audit trail's before/after and by the round-trip test, so all three always agree.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from onestop import sql
from onestop.catalog.models import Bundle, Material, Matter, Stage

FORMAT_NAME = "onestop-catalogue"
FORMAT_VERSION = 1


def matters(
    *,
    source: str = "",
    department: str = "",
    lowest_level: str = "",
    q: str = "",
    include_inactive: bool = False,
) -> QuerySet[Matter]:
    """Matters filtered by source (赋权/村内办理/本级), department code, lowest level, and text in code,
    name or legal basis; active ones only unless asked."""
    qs = Matter.objects.select_related("department").order_by("code")
    if not include_inactive:
        qs = qs.filter(active=True)
    if source:
        qs = qs.filter(source=source)
    if department:
        qs = qs.filter(department__code=department)
    if lowest_level:
        qs = qs.filter(lowest_level=lowest_level)
    for word in q.split():
        qs = qs.filter(Q(code__icontains=word) | Q(name__icontains=word) | Q(legal_basis__icontains=word))
    return qs


def matter_detail(code: str, *, include_inactive: bool = False) -> Matter | None:
    """One matter with its department, materials in order and the bundle stages it belongs to."""
    qs = Matter.objects.select_related("department").prefetch_related(
        Prefetch("materials", queryset=Material.objects.order_by("position", "id")),
        Prefetch("stages", queryset=Stage.objects.select_related("bundle").order_by("bundle__code", "position")),
    )
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.filter(code=code).first()


STAGE_NAMES = tuple(f.attname for f in Stage._meta.concrete_fields)


@lru_cache(maxsize=None)
def _stage_to_apply_for_sql() -> str:
    q, col = sql.quote, sql.column
    through = Stage.matters.through
    return (f"SELECT {', '.join(f's.{q(f.column)}' for f in Stage._meta.concrete_fields)}, m.{q('id')}, "
            f"m.{col(Matter, 'form_fields')}, mat.{q('id')} FROM {sql.table(Stage)} s "
            f"LEFT JOIN {sql.table(through)} sm ON sm.{col(through, 'stage')} = s.{q('id')} "
            f"LEFT JOIN {sql.table(Matter)} m ON m.{q('id')} = sm.{col(through, 'matter')} AND m.{col(Matter, 'active')} "
            f"LEFT JOIN {sql.table(Material)} mat ON mat.{col(Material, 'matter')} = m.{q('id')} "
            f"AND mat.{col(Material, 'active')} WHERE s.{q('id')} = %s ORDER BY m.{col(Matter, 'code')}, "
            f"mat.{col(Material, 'position')}")


def stage_to_apply_for(stage_id: int) -> tuple[Stage, list[Matter], list[int]] | None:
    """A bundle stage as an application for it needs it, by one statement (every application of a stage
    starts here): the stage, its matters in use in catalogue order with their `form_fields` (the rest
    deferred), and the ids of their materials in use in checklist order. None if there is no such stage."""
    found = sql.fetch(_stage_to_apply_for_sql(), [Stage._meta.pk.get_prep_value(stage_id)])
    if not found:
        return None
    k = len(STAGE_NAMES)
    stage = sql.build(Stage, STAGE_NAMES, sql.reader(Stage, STAGE_NAMES)(found[0][:k]))
    form_fields = sql.reader(Matter, ("form_fields",))
    matters: dict[int, Matter] = {}
    materials = []
    for matter_id, fields, material_id in (row[k:] for row in found):  # a row per material, or per matter
        if matter_id is not None and matter_id not in matters:  # without any, or one for a stage without matters
            matters[matter_id] = sql.build(Matter, ("id", "form_fields"), (matter_id, *form_fields((fields,))))
        if material_id is not None:
            materials.append(material_id)
    return stage, list(matters.values()), materials


def field_labels() -> dict[str, str]:
    """Each form field's label as the catalogue words it (the first matter, by code, that labels it): the one
    form carries fields of every stage so far, and a page showing one matter's names the rest with these."""
    labels: dict[str, str] = {}
    for fields in Matter.objects.order_by("code").values_list("form_fields", flat=True):
        for f in fields or []:
            if f.get("name") and f.get("label") not in (None, "", f["name"]):  # a name repeated is no label
                labels.setdefault(f["name"], f["label"])
    return labels


def bundles() -> QuerySet[Bundle]:
    """Bundles with their stages in order and each stage's matters."""
    stage_qs = Stage.objects.order_by("position").prefetch_related(
        Prefetch("matters", queryset=Matter.objects.select_related("department").order_by("code"))
    )
    return Bundle.objects.order_by("code").prefetch_related(Prefetch("stages", queryset=stage_qs))


def bundle_detail(code: str) -> Bundle | None:
    return bundles().filter(code=code).first()


def matter_as_dict(matter: Matter) -> dict[str, Any]:
    """The canonical matter (spec.py): what is exported, audited and compared on import."""
    return {
        "code": matter.code,
        "name": matter.name,
        "department": matter.department.code,
        "legal_limit": matter.legal_limit,
        "promised_limit": matter.promised_limit,
        "limit_unit": matter.limit_unit,
        "warn_days": matter.warn_days,
        "lowest_level": matter.lowest_level,
        "source": matter.source,
        "legal_basis": matter.legal_basis,
        "active": matter.active,
        "broken_commitment_stops": matter.broken_commitment_stops,
        "materials": [
            {"name": m.name, "required": m.required, "may_defer": m.may_defer, "may_commit": m.may_commit,
             "note": m.note}
            for m in sorted(matter.materials.all(), key=lambda m: (m.position, m.id))
        ],
        "form_fields": list(matter.form_fields or []),
    }


def bundle_as_dict(bundle: Bundle) -> dict[str, Any]:
    """The canonical bundle: stages in order, each with its matter codes."""
    return {
        "code": bundle.code,
        "name": bundle.name,
        "description": bundle.description,
        "stages": [
            {"name": s.name, "promised_limit": s.promised_limit, "limit_unit": s.limit_unit,
             "matters": sorted(m.code for m in s.matters.all())}
            for s in sorted(bundle.stages.all(), key=lambda s: s.position)
        ],
    }


def catalogue_document() -> dict[str, Any]:
    """The whole catalogue (inactive matters included) as one JSON-ready document."""
    all_matters = Matter.objects.select_related("department").prefetch_related("materials").order_by("code")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "matters": [matter_as_dict(m) for m in all_matters],
        "bundles": [bundle_as_dict(b) for b in bundles()],
    }
