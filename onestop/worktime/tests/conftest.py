"""Fixtures of the worktime tests: a real table inheriting the abstract clock, a fresh calendar cache."""
from __future__ import annotations

import pytest
from django.db import connection

from onestop.worktime import workdays
from onestop.worktime.models import register_clock_model, unregister_clock_model
from onestop.worktime.seed import covered_years, official_rows
from onestop.worktime.tests.clockmodel import SampleClock


@pytest.fixture(scope="session")
def clock_table(django_db_setup, django_db_blocker):
    """Create SampleClock's table once per test database (outside the tests' transactions)."""
    with django_db_blocker.unblock():
        if SampleClock._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(SampleClock)
    register_clock_model(SampleClock)
    yield SampleClock
    unregister_clock_model(SampleClock)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test reads the calendar of its own database state, never one cached by an earlier test."""
    workdays.install(None)
    yield
    workdays.install(None)


@pytest.fixture
def clocks(db, clock_table):
    """Make a SampleClock: `clocks()` or `clocks(name="...")`."""
    def make(**kw) -> SampleClock:
        return SampleClock.objects.create(**kw)

    return make


@pytest.fixture(scope="session")
def seeded_calendar() -> workdays.WorkCalendar:
    """The seeded official calendar built without a database (the same rows the migration writes)."""
    return workdays.WorkCalendar(official_rows(), covered_years())


@pytest.fixture
def admin_user(db):
    from onestop.testing import account

    return account("administrator")
