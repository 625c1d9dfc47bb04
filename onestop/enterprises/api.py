"""The enterprises and projects API: thin handlers over `queries` (reads) and `actions` (writes).

Visibility and permission are the actions' and queries' business (`onestop.org.access`): 404 for what the
caller does not see, 403 for what it sees but may not do.
"""

from typing import Optional

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from onestop.enterprises import actions, queries
from onestop.enterprises.models import LandStatus, OrganisationKind, ProjectStage
from onestop.enterprises.schemas import (
    ContactIn, ContactOut, EnterpriseDetail, EnterpriseIn, EnterpriseOut, EnterprisePatch, LandCertificateIn,
    ProjectIn, ProjectOut, ProjectPatch,
)
from onestop.org.schemas import ErrorOut

router = Router(tags=["enterprises"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(LimitOffsetPagination)
def list_enterprises(request: HttpRequest, place: Optional[int] = None, industry: Optional[str] = None,
                     kind: Optional[OrganisationKind] = None, q: Optional[str] = None, tag: Optional[str] = None):
    """Enterprises the caller sees; `place` filters to a place's subtree, `q` searches name, code, legal rep."""
    return queries.enterprise_list(request.auth, place=place, industry=industry, kind=kind, q=q, tag=tag)


@router.post("/enterprises", response={201: EnterpriseDetail, **ERRORS})
def register_enterprise(request: HttpRequest, payload: EnterpriseIn):
    """登记企业 (window clerk, administrator)."""
    enterprise = actions.register_enterprise(request.auth, **payload.dict())
    return 201, queries.enterprise_detail(request.auth, enterprise.pk)


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseDetail, **ERRORS})
def get_enterprise(request: HttpRequest, enterprise_id: int):
    """One enterprise with its contacts and the projects the caller sees."""
    return queries.enterprise_detail(request.auth, enterprise_id)


@router.patch("/enterprises/{enterprise_id}", response={200: EnterpriseDetail, **ERRORS})
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    """Change the fields sent (clerk, administrator; the organisation itself: address, industry)."""
    actions.update_enterprise(request.auth, enterprise_id, payload.dict(exclude_unset=True))
    return queries.enterprise_detail(request.auth, enterprise_id)


@router.post("/enterprises/{enterprise_id}/contacts", response={201: ContactOut, **ERRORS})
def add_contact(request: HttpRequest, enterprise_id: int, payload: ContactIn):
    """添加联系人 (administrator, clerk, the organisation itself, its commissioner)."""
    return 201, actions.add_contact(request.auth, enterprise_id, **payload.dict())


@router.get("/projects", response=list[ProjectOut])
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest, place: Optional[int] = None, industry: Optional[str] = None,
                  stage: Optional[ProjectStage] = None, land_status: Optional[LandStatus] = None,
                  enterprise: Optional[int] = None, q: Optional[str] = None):
    """Projects the caller sees; `enterprise` matches investor or company, `q` searches name and code."""
    return queries.project_list(request.auth, place=place, industry=industry, stage=stage,
                                land_status=land_status, enterprise=enterprise, q=q)


@router.post("/projects", response={201: ProjectOut, **ERRORS})
def create_project(request: HttpRequest, payload: ProjectIn):
    """创建项目 (administrator, clerk, steward, or an organisation for itself)."""
    project = actions.create_project(request.auth, **payload.dict())
    return 201, queries.project_detail(request.auth, project.pk)


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def get_project(request: HttpRequest, project_id: int):
    return queries.project_detail(request.auth, project_id)


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch):
    """Descriptive fields (clerk, administrator, lead steward, investor); `stage` (clerk, administrator,
    lead steward); `lead_steward_id` / `coach_id` (administrator, supervisor). All or nothing."""
    actions.update_project(request.auth, project_id, payload.dict(exclude_unset=True))
    return queries.project_detail(request.auth, project_id)


@router.post("/projects/{project_id}/land-certificate", response={200: ProjectOut, **ERRORS})
def record_land_certificate(request: HttpRequest, project_id: int, payload: LandCertificateIn):
    """登记不动产权证: land status becomes certified (once; again is 409)."""
    actions.record_land_certificate(request.auth, project_id, number=payload.number, issued_on=payload.issued_on)
    return queries.project_detail(request.auth, project_id)
