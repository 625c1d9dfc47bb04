"""The read side of enterprises and projects: what each caller sees, filtered for lists and pages.

Every queryset starts from `onestop.org.access` (visible to this account), so a list never shows what a
detail page would answer 404 for.
"""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from onestop.enterprises.models import Contact, Enterprise, Project
from onestop.org import access
from onestop.org.cleaning import lookup
from onestop.org.models import Account, Place


def _within(place_id: int | None) -> Place | None:
    return None if place_id is None else lookup(Place.objects.all(), place_id, "place", "地点", "place")


def enterprise_list(account: Account | None, *, place: int | None = None, industry: str | None = None,
                    kind: str | None = None, q: str | None = None, tag: str | None = None) -> QuerySet[Enterprise]:
    """Visible enterprises, filtered: `place` (its whole subtree), `industry`, `kind`, `tag`, and `q` (name,
    credit code or legal representative contains)."""
    qs = access.visible_enterprises(account).select_related("place")
    root = _within(place)
    if root:
        qs = qs.filter(place__path__startswith=root.path)
    if industry:
        qs = qs.filter(industry=industry)
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__icontains=tag)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q) | Q(legal_representative__icontains=q))
    return qs.order_by("name", "pk")


def project_list(account: Account | None, *, place: int | None = None, industry: str | None = None,
                 stage: str | None = None, land_status: str | None = None, enterprise: int | None = None,
                 q: str | None = None) -> QuerySet[Project]:
    """Visible projects, filtered: `place` (subtree), `industry`, `stage`, `land_status`, `enterprise`
    (as investor or company), and `q` (name or code contains)."""
    qs = access.visible_projects(account).select_related("investor", "company", "place", "lead_steward", "coach")
    root = _within(place)
    if root:
        qs = qs.filter(place__path__startswith=root.path)
    if industry:
        qs = qs.filter(industry=industry)
    if stage:
        qs = qs.filter(stage=stage)
    if land_status:
        qs = qs.filter(land_status=land_status)
    if enterprise:
        qs = qs.filter(Q(investor_id=enterprise) | Q(company_id=enterprise))
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("code", "pk")


def enterprise_detail(account: Account | None, pk: int) -> Enterprise:
    """One visible enterprise (else 404) with its contacts and the projects the caller sees."""
    enterprise = access.enterprise_for(account, pk)
    enterprise.visible_projects = list(project_list(account, enterprise=enterprise.pk))
    enterprise.contact_list = list(Contact.objects.filter(enterprise=enterprise))
    return enterprise


def project_detail(account: Account | None, pk: int) -> Project:
    """One visible project (else 404), with its investor, company, place and staff loaded."""
    project = access.project_for(account, pk)
    return Project.objects.select_related("investor", "company", "place", "lead_steward", "coach", "bundle") \
        .prefetch_related(Prefetch("investor__contacts")).get(pk=project.pk)


def industries(account: Account | None) -> list[str]:
    """The industries of the enterprises and projects the caller sees, for a filter's choices."""
    names = set(access.visible_enterprises(account).exclude(industry="").values_list("industry", flat=True))
    names |= set(access.visible_projects(account).exclude(industry="").values_list("industry", flat=True))
    return sorted(names)
