"""The steward's sweeps (run by `onestop worker`, see `periodic`): a milestone that passes its deadline
unfinished notifies the project's stewards once per episode (an extension that moves the deadline starts a
new one). Claimed with a conditional update, so several workers never notify twice."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from onestop.audit.actions import record
from onestop.lights.actions import notify
from onestop.lights.models import NotificationKind
from onestop.stewards.actions import project_link
from onestop.stewards.models import Assignment, Milestone
from onestop.worktime.models import ClockState


def late_milestones(now: datetime | None = None) -> int:
    """Notify the stewards of each milestone newly past its deadline; returns how many were handled."""
    now = now or timezone.now()
    handled = 0
    due = (Milestone.objects.filter(clock_state=ClockState.RUNNING, due_at__lte=now)
           .filter(Q(late_notified_for__isnull=True) | ~Q(late_notified_for=F("due_at"))).select_related("project"))
    for m in due[:500]:
        with transaction.atomic():
            claimed = Milestone.objects.filter(pk=m.pk, late_notified_for=m.late_notified_for).update(
                late_notified_for=m.due_at)
            if not claimed:
                continue
            people = set(Assignment.objects.filter(project=m.project, until__isnull=True).values_list("steward_id", flat=True))
            if m.project.lead_steward_id:
                people.add(m.project.lead_steward_id)
            notify(sorted(people), NotificationKind.MILESTONE_LATE, f"“{m.project.name}”的计划节点“{m.name}”已逾期。",
                   link=project_link(m.project_id, "plan"), project=m.project, source=m, at=now)
            record(m.project, "stewards.milestone_late", None, after={"milestone": m.pk, "due_at": m.due_at,
                                                                     "notified": sorted(people)})
            handled += 1
    return handled
