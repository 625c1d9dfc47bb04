"""The follow-up sweep (run by `onestop worker`, see `periodic`): a bad-rating follow-up still unanswered at
its deadline notifies the project's stewards and the area's supervisors once per episode; claimed with a
conditional update, so several workers never notify twice."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from onestop.audit.actions import record
from onestop.feedback.models import FollowUp, FollowUpState
from onestop.org.models import Account, Role
from onestop.lights.actions import notify
from onestop.lights.models import NotificationKind
from onestop.stewards.models import Assignment
from onestop.worktime.models import ClockState


def _recipients(follow: FollowUp) -> list[int]:
    project = follow.rating.service.project
    if project is None:
        return []
    people = set(Assignment.objects.filter(project=project, until__isnull=True).values_list("steward_id", flat=True))
    if project.lead_steward_id:
        people.add(project.lead_steward_id)
    for s in Account.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related("place"):
        if s.place and project.place.path.startswith(s.place.path):
            people.add(s.pk)
    return sorted(people)


def overdue_follow_ups(now: datetime | None = None) -> int:
    now = now or timezone.now()
    handled = 0
    due = (FollowUp.objects.filter(state=FollowUpState.OPEN, clock_state=ClockState.RUNNING, due_at__lte=now)
           .filter(Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("due_at")))
           .select_related("rating__service__project__place"))
    for f in due[:500]:
        with transaction.atomic():
            if not FollowUp.objects.filter(pk=f.pk, overdue_notified_for=f.overdue_notified_for).update(
                    overdue_notified_for=f.due_at):
                continue
            service = f.rating.service
            people = _recipients(f)
            notify(people, NotificationKind.FOLLOW_UP_OVERDUE, f"差评“{service.title}”逾期未答复，请尽快核实、整改或解释。",
                   link=reverse("feedback:desk"), project=service.project, source=f, at=now)
            record(service, "feedback.follow_up_overdue", None, after={"follow_up": f.pk, "notified": people})
            handled += 1
    return handled
