"""Turning Django's model validation and lookups into the platform's one error shape (400 naming fields).

Field names in errors are the API's: a foreign key `place` is reported as `place_id`, because that is
what the caller sent.
"""
from __future__ import annotations

from typing import Any, Iterable

from django.core.exceptions import ValidationError
from django.db import models

from onestop.errors import InvalidInput, field_error

INVALID_ZH = "输入有误，请检查标出的字段。"
INVALID_EN = "Invalid input; see the fields named."


def api_field_name(model: type[models.Model], name: str) -> str:
    """`place` → `place_id` for a foreign key, any other name unchanged."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - non-field errors keep their key
        return name
    return f"{name}_id" if field.is_relation and field.many_to_one else name


def clean_or_raise(instance: models.Model, *, exclude: Iterable[str] = (), validate_unique: bool = True) -> None:
    """`full_clean()` the instance; on failure raise InvalidInput naming every bad field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=validate_unique)
    except ValidationError as exc:
        fields = {
            api_field_name(type(instance), name): "; ".join(str(m) for m in messages)
            for name, messages in exc.message_dict.items()
        }
        raise InvalidInput(INVALID_ZH, INVALID_EN, fields=fields) from None


def lookup(queryset: models.QuerySet, pk: Any, field: str, zh_what: str, en_what: str) -> Any:
    """The row with primary key `pk` in `queryset`, or a 400 naming `field` (an unknown reference is bad
    input, not a missing resource). Rows the caller may not see are in no queryset it is given, so they
    answer the same as rows that do not exist."""
    try:
        found = queryset.filter(pk=pk).first()
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise field_error(field, f"{zh_what}不存在：{pk}。", f"unknown {en_what}: {pk}", code="unknown_reference")
    return found
