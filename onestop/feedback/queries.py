"""The read side of 好差评: what the caller may rate, the follow-ups it sees, comments, the stars."""
from __future__ import annotations

import re
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from onestop.errors import field_error
from onestop.feedback.models import FollowUp, Moderation, PublicComment, Service
from onestop.org import access as org_access
from onestop.org.models import Account, Role
from onestop.stewards import access as steward_access

STAR_VIEWERS = frozenset({Role.STEWARD, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.DEPARTMENT_HEAD})


def received(actor: Account) -> Q:
    """Services the caller received: itself, or an account of the receiving organisation."""
    q = Q(recipient_account=actor)
    if actor.role in org_access.ORGANISATION_ROLES and actor.organisation_id:
        q |= Q(recipient_organisation_id=actor.organisation_id)
    return q


def services_for(actor: Account, *, unrated: bool = False) -> QuerySet:
    """The services the caller received (applicants) or sees through their projects (staff)."""
    if not org_access.is_logged_in(actor):
        return Service.objects.none()
    if actor.is_applicant:
        qs = Service.objects.filter(received(actor))
    elif org_access.is_admin(actor):
        qs = Service.objects.all()
    else:
        qs = Service.objects.filter(project__in=steward_access.visible_projects(actor))
    if unrated:
        qs = qs.filter(rating__isnull=True)
    return qs.select_related("project", "rating", "steward")


def follow_ups_for(actor: Account, *, state: str | None = None) -> QuerySet:
    qs = FollowUp.objects.filter(rating__service__in=services_for(actor)).select_related(
        "rating__service__project", "answered_by")
    return qs.filter(state=state) if state else qs


def comments(actor: Account | None, project_id: int) -> QuerySet:
    """Published comments; a supervisor of the area (or an administrator) also sees the pending ones."""
    qs = PublicComment.objects.filter(project_id=project_id)
    project = steward_access.visible_projects(actor).filter(pk=project_id).first() if actor else None
    may_moderate = project is not None and (org_access.is_admin(actor) or (
        org_access.has_role(actor, Role.SUPERVISOR) and org_access.in_area(actor, project.place)))
    return qs if may_moderate else qs.filter(state=Moderation.APPROVED)


def pending_comments(actor: Account) -> QuerySet:
    qs = PublicComment.objects.filter(state=Moderation.PENDING).select_related("project")
    if org_access.is_admin(actor):
        return qs
    if org_access.has_role(actor, Role.SUPERVISOR) and org_access.area_of(actor):
        return qs.filter(project__place__path__startswith=org_access.area_of(actor).path)
    return qs.none()


def may_see_stars(actor: Account) -> bool:
    return org_access.is_admin(actor) or org_access.has_role(actor, *STAR_VIEWERS)


def parse_month(value: str | None) -> tuple[int, int]:
    """"2026-10" → (2026, 10); empty → the previous month (the one being appraised)."""
    if not value:
        today = timezone.localdate()
        first = date(today.year, today.month, 1)
        last = date.fromordinal(first.toordinal() - 1)
        return last.year, last.month
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2004 <= int(match.group(1)) <= 2099:
        raise field_error("month", "月份格式应为 YYYY-MM。", "The month must look like YYYY-MM.")
    return int(match.group(1)), int(match.group(2))
