"""Typed shapes of the catalogue API (Pydantic via django-ninja)."""
from __future__ import annotations

from ninja import Schema
from pydantic import Field

from onestop.catalog.models import HandlingLevel, LimitUnit, MatterSource


class DepartmentRef(Schema):
    code: str
    name: str


class MaterialOut(Schema):
    name: str
    required: bool
    may_defer: bool = Field(description="may be supplied later under 容缺受理")
    may_commit: bool = Field(description="may be replaced by a signed commitment under 告知承诺")
    note: str


class FormFieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool = False
    options: list[str] = []


class MatterSummary(Schema):
    code: str
    name: str
    department: DepartmentRef
    legal_limit: int = Field(description="法定时限, in limit_unit")
    promised_limit: int = Field(description="承诺时限, in limit_unit")
    limit_unit: LimitUnit
    warn_days: int | None
    lowest_level: HandlingLevel
    source: MatterSource
    active: bool
    broken_commitment_stops: bool = Field(True, description="失信即终止: a broken commitment stops the application")


class StageRef(Schema):
    bundle: str
    bundle_name: str
    stage: str
    position: int


class MatterOut(MatterSummary):
    legal_basis: str
    materials: list[MaterialOut]
    form_fields: list[FormFieldOut]
    stages: list[StageRef] = Field(description="the bundle stages this matter belongs to")


class MatterPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MatterSummary]


class StageMatter(Schema):
    code: str
    name: str
    department: DepartmentRef
    promised_limit: int
    limit_unit: LimitUnit
    active: bool


class StageOut(Schema):
    position: int
    name: str
    promised_limit: int
    limit_unit: LimitUnit
    matters: list[StageMatter] = Field(description="handled in parallel (并联)")


class BundleOut(Schema):
    code: str
    name: str
    description: str
    stages: list[StageOut] = Field(description="in order")


class MaterialIn(Schema):
    name: str
    required: bool = True
    may_defer: bool = False
    may_commit: bool = False
    note: str = ""


class FormFieldIn(Schema):
    name: str
    label: str
    type: str = "text"
    required: bool = False
    options: list[str] | None = None


class MatterIn(Schema):
    code: str
    name: str
    department: str = Field(description="department code")
    legal_limit: int
    promised_limit: int
    limit_unit: LimitUnit = LimitUnit.WORKDAY
    warn_days: int | None = None
    lowest_level: HandlingLevel
    source: MatterSource
    legal_basis: str = ""
    active: bool = True
    broken_commitment_stops: bool = True
    materials: list[MaterialIn] = []
    form_fields: list[FormFieldIn] = []


class MatterPatch(Schema):
    """Only the fields sent change; `materials` and `form_fields` replace the whole list."""

    name: str | None = None
    department: str | None = None
    legal_limit: int | None = None
    promised_limit: int | None = None
    limit_unit: LimitUnit | None = None
    warn_days: int | None = None
    lowest_level: HandlingLevel | None = None
    source: MatterSource | None = None
    legal_basis: str | None = None
    active: bool | None = None
    broken_commitment_stops: bool | None = None
    materials: list[MaterialIn] | None = None
    form_fields: list[FormFieldIn] | None = None
    reason: str = ""


class StageIn(Schema):
    name: str
    promised_limit: int
    limit_unit: LimitUnit = LimitUnit.WORKDAY
    matters: list[str] = Field(description="matter codes, handled in parallel")


class BundleIn(Schema):
    code: str
    name: str
    description: str = ""
    stages: list[StageIn]


class BundlePatch(Schema):
    name: str | None = None
    description: str | None = None
    stages: list[StageIn] | None = None
    reason: str = ""


class ImportResult(Schema):
    filename: str
    sha256: str
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    bundles_created: list[str]
    bundles_updated: list[str]
    bundles_unchanged: list[str]
