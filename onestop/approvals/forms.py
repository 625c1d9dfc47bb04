"""The one form of an application (一张表单): each field its matters share is asked once.

Fields the platform already knows are filled from the enterprise and the project on record; what the
applicant gives overrides them. A required field still empty is refused, naming it (`form.<name>`).
"""
from __future__ import annotations

from typing import Any, Iterable

from onestop import sql
from onestop.enterprises.models import Contact
from onestop.errors import InvalidInput


def fields_of(matters: Iterable[Any]) -> list[dict]:
    """The union of the matters' form fields, each name once (required if any matter requires it)."""
    seen: dict[str, dict] = {}
    for matter in matters:
        for f in matter.form_fields or []:
            name = f.get("name")
            if not name:
                continue
            if name in seen:
                seen[name]["required"] = seen[name]["required"] or bool(f.get("required"))
            else:
                seen[name] = {**f, "required": bool(f.get("required"))}
    return list(seen.values())


def labelled(matters: Iterable[Any], form_data: dict[str, Any],
             labels: dict[str, str] | None = None) -> list[tuple[str, Any]]:
    """The one form as it is read: the matters' fields under their labels, in the matters' order, then the
    rest of the form (fields other matters asked) under `labels` (`catalog.queries.field_labels`), else
    their names. A department reads it for its own matter: `[task.matter]`."""
    fields = fields_of(matters)
    names, labels = {f["name"] for f in fields}, labels or {}
    return ([(f.get("label") or f["name"], form_data.get(f["name"], "")) for f in fields]
            + [(labels.get(k, k), v) for k, v in form_data.items() if k not in names])


def on_record(applicant: Any, project: Any) -> dict[str, Any]:
    """What the records already say."""
    known: dict[str, Any] = {}
    if applicant is not None:
        known.update(enterprise_name=applicant.name, credit_code=applicant.credit_code,
                     legal_representative=applicant.legal_representative, address=applicant.address)
        if applicant.pk:  # the first contact; every application's form asks, so a statement written once
            for name, phone in sql.rows(Contact, ("name", "phone"), {"enterprise_id": applicant.pk}, order="id", limit=1):
                known.update(contact_name=name, contact_phone=phone)
    if project is not None:
        known.update(project_name=project.name, investment=str(project.investment), industry=project.industry)
        if project.address and not known.get("address"):
            known["address"] = project.address
    return {k: v for k, v in known.items() if v not in (None, "")}


def to_fill(matters: Iterable[Any], applicant: Any, project: Any) -> list[dict[str, Any]]:
    """The one form before it is sent: each field of the matters (name, label, type, required) with the value
    the records already give (`value`, "" when they give none)."""
    known = on_record(applicant, project)
    return [{**f, "value": known.get(f["name"], "")} for f in fields_of(matters)]


def fill(matters: Iterable[Any], applicant: Any, project: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The form: records, then what the applicant gave; refuse it if a required field is empty."""
    if not isinstance(given, dict):
        raise InvalidInput("表单须为字段名到值的映射。", "The form must map field names to values.",
                           fields={"form_data": "must be an object"})
    matters = list(matters)
    form = {**on_record(applicant, project), **{k: v for k, v in given.items() if v not in (None, "")}}
    empty = [f for f in fields_of(matters) if f["required"] and str(form.get(f["name"], "")).strip() == ""]
    if empty:
        labels = "、".join(f.get("label", f["name"]) for f in empty)
        raise InvalidInput(f"表单缺少必填项：{labels}", "Required form fields are empty: "
                           + ", ".join(f["name"] for f in empty) + ".",
                           fields={f"form.{f['name']}": "required" for f in empty})
    return form
