from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from onestop.approvals.builders import build

SH = ZoneInfo("Asia/Shanghai")


def day(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def w(db):
    return build()


@pytest.fixture(scope="module")
def calendar_kept(django_db_blocker):
    """A transactional test (threads, live server) empties every table when it ends, the official calendar
    (seeded by a data migration) included: put it back for the tests that run after it."""
    yield
    import importlib

    from django.apps import apps

    from onestop.worktime import workdays
    from onestop.worktime.models import CalendarDay

    with django_db_blocker.unblock():
        if not CalendarDay.objects.exists():
            importlib.import_module("onestop.worktime.migrations.0002_seed_official_calendar").seed(apps, None)
            workdays.install(None)
