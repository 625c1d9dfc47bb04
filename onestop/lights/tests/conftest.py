from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from onestop import testing as t
from onestop.approvals import actions
from onestop.approvals.builders import build, required_ids
from onestop.org.models import Role

SH = ZoneInfo("Asia/Shanghai")


def day(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def w(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mail.outbox = []
    world = build()
    world.steward = t.account(Role.STEWARD)
    world.project.lead_steward = world.steward
    world.project.save()
    world.heads = {name: t.account(Role.DEPARTMENT_HEAD, department=d) for name, d in world.departments.items()}
    world.supervisor = t.account(Role.SUPERVISOR, place=world.places["district"])
    return world


def accepted_stage(w, position: int = 0, at: datetime | None = None):
    """An application for a stage of the bundle, accepted: its tasks are on the clock."""
    at = at or day(2026, 3, 2)
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[position].pk, project_id=w.project.pk, at=at)
    return actions.accept_application(w.clerk, app.pk, provided=required_ids(app), at=at)
