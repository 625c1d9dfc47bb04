"""Typed API schemas of enterprises and projects.

Input references are ids named `<thing>_id`, so an error names exactly the field the caller sent. The
credit code's check character is verified by the action (`creditcode.validate`), which also serves the
pages and the admin.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from ninja import Field, Schema

from onestop.enterprises.models import LandStatus, OrganisationKind, ProjectStage
from onestop.org.schemas import AccountRef, PlaceRef


class EnterpriseRef(Schema):
    id: int
    kind: str
    name: str
    credit_code: str


class ContactIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    phone: str = Field(..., min_length=1, max_length=32)
    title: str = Field("", max_length=64)
    email: str = Field("", max_length=254)


class ContactOut(Schema):
    id: int
    name: str
    phone: str
    title: str
    email: str


class EnterpriseIn(Schema):
    kind: OrganisationKind = OrganisationKind.ENTERPRISE
    name: str = Field(..., min_length=1, max_length=128)
    credit_code: str = Field(..., max_length=32, description="18 characters, GB 32100-2015 check character")
    legal_representative: str = Field(..., min_length=1, max_length=64)
    place_id: int
    address: str = Field("", max_length=255)
    industry: str = Field("", max_length=64)
    registered_on: Optional[date] = None
    tags: str = Field("", max_length=128)


class EnterprisePatch(Schema):
    kind: Optional[OrganisationKind] = None
    name: Optional[str] = Field(None, min_length=1, max_length=128)
    credit_code: Optional[str] = Field(None, max_length=32)
    legal_representative: Optional[str] = Field(None, min_length=1, max_length=64)
    place_id: Optional[int] = None
    address: Optional[str] = Field(None, max_length=255)
    industry: Optional[str] = Field(None, max_length=64)
    registered_on: Optional[date] = None
    tags: Optional[str] = Field(None, max_length=128)


class EnterpriseOut(Schema):
    id: int
    kind: str
    name: str
    credit_code: str
    legal_representative: str
    address: str
    place: Optional[PlaceRef]
    industry: str
    registered_on: Optional[date]
    tags: str
    created_at: datetime


class ProjectBrief(Schema):
    id: int
    code: str
    name: str
    stage: str
    land_status: str
    investment: Decimal


class EnterpriseDetail(EnterpriseOut):
    contacts: list[ContactOut]
    projects: list[ProjectBrief]

    @staticmethod
    def resolve_contacts(obj) -> list:
        return getattr(obj, "contact_list", None) or list(obj.contacts.all())

    @staticmethod
    def resolve_projects(obj) -> list:
        return getattr(obj, "visible_projects", [])


class ProjectIn(Schema):
    name: str = Field(..., min_length=1, max_length=128)
    investor_id: Optional[int] = Field(None, description="defaults to the caller's own organisation")
    company_id: Optional[int] = None
    place_id: int
    address: str = Field("", max_length=255)
    investment: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2, description="10,000 yuan (万元)")
    industry: str = Field(..., min_length=1, max_length=64)
    description: str = ""
    code: Optional[str] = Field(None, min_length=1, max_length=32, description="generated when omitted")
    lead_steward_id: Optional[int] = None
    coach_id: Optional[int] = None


class ProjectPatch(Schema):
    name: Optional[str] = Field(None, min_length=1, max_length=128)
    company_id: Optional[int] = None
    place_id: Optional[int] = None
    address: Optional[str] = Field(None, max_length=255)
    investment: Optional[Decimal] = Field(None, gt=0, max_digits=14, decimal_places=2)
    industry: Optional[str] = Field(None, min_length=1, max_length=64)
    description: Optional[str] = None
    stage: Optional[ProjectStage] = None
    lead_steward_id: Optional[int] = None
    coach_id: Optional[int] = None


class LandCertificateIn(Schema):
    number: str = Field(..., min_length=1, max_length=64, description="不动产权证号")
    issued_on: date


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    investor: EnterpriseRef
    company: Optional[EnterpriseRef]
    place: PlaceRef
    address: str
    investment: Decimal
    industry: str
    land_status: LandStatus
    land_certificate_no: str
    land_certificate_on: Optional[date]
    stage: ProjectStage
    lead_steward: Optional[AccountRef]
    coach: Optional[AccountRef]
    description: str
    landed_on: Optional[date]
    created_at: datetime
