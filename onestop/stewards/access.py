"""Who sees a project's steward pages and who may change them (DESIGN.md, "Permissions").

A project is seen by whoever `org.access` lets see it, and also by its current helper stewards (协办管家),
whom `org.access` does not know about. Seeing it is being in its liaison group: the enterprise's accounts,
its stewards and coach, the departments and supervisors of its area, administrators. Anyone else gets 404.
The battle plan and the division-of-labour table are changed by the project's stewards and administrators.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from onestop.enterprises.models import Project
from onestop.errors import NotFound
from onestop.org import access
from onestop.org.models import Account, Role


def _helper_projects(account: Account) -> QuerySet:
    from onestop.stewards.models import Assignment

    return Assignment.objects.filter(steward=account, until__isnull=True).values("project_id")


def visible_projects(account: Account | None) -> QuerySet:
    """`org.access.visible_projects` plus the projects the caller helps steward."""
    q = access.project_filter(account)
    if q is None:
        return Project.objects.all()
    if access.has_role(account, Role.STEWARD):
        q = q | Q(pk__in=_helper_projects(account))
    return Project.objects.filter(q)


def project_for(account: Account | None, pk: int, *, for_update: bool = False) -> Project:
    """The project if the caller sees it, else 404."""
    qs = visible_projects(account).filter(pk=pk)
    found = (qs.select_for_update() if for_update else qs).first()
    if found is None:
        raise NotFound("project", "项目")
    return found


def sees(account: Account, project: Project) -> bool:
    return visible_projects(account).filter(pk=project.pk).exists()


def is_steward_of(account: Account | None, project: Project) -> bool:
    """The project's lead or a current helper steward."""
    from onestop.stewards.models import Assignment

    if not access.has_role(account, Role.STEWARD):
        return False
    if project.lead_steward_id == account.pk:
        return True
    return Assignment.objects.filter(project=project, steward=account, until__isnull=True).exists()


def can_plan(account: Account | None, project: Project) -> bool:
    """Battle plan and division-of-labour table: the project's stewards, administrators."""
    return access.is_admin(account) or is_steward_of(account, project)


def can_post(account: Account | None, project: Project) -> bool:
    """Everyone in the group (who sees the project) may post, except a resident without an organisation."""
    return access.is_logged_in(account) and account.role != Role.RESIDENT


def can_update_work_item(account: Account | None, item) -> bool:
    """A row's state: the project's stewards, administrators, the row's owner or its department's staff."""
    if can_plan(account, item.project):
        return True
    if not access.is_logged_in(account):
        return False
    return item.owner_id == account.pk or (item.department_id is not None and item.department_id == account.department_id)
