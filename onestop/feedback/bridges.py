"""Services rendered by other apps, registered for rating without those apps calling us (eventually).

`register_issued_applications` finds the applications the approvals app has issued (`issued_at` set, not
simulated) that are not yet a `Service`, and registers each with its applicant (organisation and account)
and project. It runs every minute in the worker (`periodic`) and, for an applicant, when it opens its
ratings page, so an issued application can be rated at once. When the approvals app calls
`actions.register_service` itself on issue, this finds nothing left to do. A missing approvals app or an
Application without these fields is simply skipped.
"""
from __future__ import annotations

from django.apps import apps

from onestop.feedback.actions import register_service
from onestop.feedback.models import Service, ServiceKind

NEEDED = {"issued_at", "applicant", "applicant_account", "project", "simulated"}


def _application_model():
    try:
        model = apps.get_model("approvals", "Application")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if NEEDED <= names else None


def register_issued_applications(*, organisation_id: int | None = None, account_id: int | None = None,
                                 limit: int = 500) -> int:
    """Register issued applications not yet rated-ready (optionally only one applicant's); returns how many."""
    from django.db.models import Q

    model = _application_model()
    if model is None:
        return 0
    known = Service.objects.filter(kind=ServiceKind.APPLICATION).values("ref_id")
    # A walk-in applicant with no account and no enterprise on record has nobody to rate on the platform:
    # such an application is not a service to register (and must not stop the others from being registered).
    qs = (model.objects.filter(issued_at__isnull=False, simulated=False).exclude(pk__in=known)
          .filter(Q(applicant__isnull=False) | Q(applicant_account__isnull=False)))
    if organisation_id is not None or account_id is not None:
        qs = qs.filter(Q(applicant_id=organisation_id) | Q(applicant_account_id=account_id))
    done = 0
    for app in qs.select_related("project", "applicant").order_by("issued_at", "pk")[:limit]:
        register_service(ServiceKind.APPLICATION, app.pk, f"办件出件：{app}"[:200], recipient_organisation=app.applicant,
                         recipient_account=app.applicant_account, project=app.project, rendered_at=app.issued_at)
        done += 1
    return done
