"""Replaying a clock's log gives exactly its stored values, for any sequence of events (hypothesis);
and a pause from P to R moves the deadline by exactly the counted days in (P, R]."""
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestop.errors import Conflict
from onestop.testing import account
from onestop.worktime import actions, workdays
from onestop.worktime.actions import events_of
from onestop.worktime.clock import local_day, replay, stored_values
from onestop.worktime.tests.helpers import at

pytestmark = pytest.mark.django_db
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

steps = st.lists(
    st.tuples(
        st.sampled_from(["pause", "resume", "extend", "stop", "pause_limited"]),
        st.integers(min_value=0, max_value=12),  # days after the previous event
        st.integers(min_value=1, max_value=15),  # days for an extension or a pause's own limit
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(start=st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30)), limit=st.integers(0, 40),
       unit=st.sampled_from(workdays.UNITS), script=steps)
def test_replay_equals_the_stored_state_after_any_sequence_of_events(clocks, start, limit, unit, script):
    approver = account("administrator")
    clock = actions.start_clock(clocks(), limit_days=limit, legal_limit_days=limit + 5, unit=unit,
                                at=at(start.year, start.month, start.day))
    day = start
    for kind, gap, days in script:
        day += timedelta(days=gap)
        when = at(day.year, day.month, day.day, 12)
        try:
            if kind == "pause":
                actions.pause_clock(clock, reason="inspection", at=when)
            elif kind == "pause_limited":
                actions.pause_clock(clock, reason="supplement", limit_days=days, at=when)
            elif kind == "resume":
                actions.resume_clock(clock, at=when)
            elif kind == "extend":
                actions.extend_clock(clock, days=days, reason="延期", approver=approver, at=when)
            else:
                actions.stop_clock(clock, at=when)
        except Conflict:
            pass  # an action that does not fit the state changes nothing
        clock.refresh_from_db()
        assert stored_values(clock) == replay(events_of(clock), workdays.current())


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30)), limit=st.integers(1, 30),
       pause_after=st.integers(0, 40), pause_days=st.integers(0, 40))
def test_a_pause_from_p_to_r_moves_the_deadline_by_the_counted_days_in_between(clocks, start, limit, pause_after, pause_days):
    cal = workdays.current()
    clock = actions.start_clock(clocks(), limit_days=limit, at=at(start.year, start.month, start.day))
    before = local_day(clock.due_at) - timedelta(days=1)
    p = start + timedelta(days=pause_after)
    r = p + timedelta(days=pause_days)
    actions.pause_clock(clock, reason="hearing", at=at(p.year, p.month, p.day))
    actions.resume_clock(clock, at=at(r.year, r.month, r.day))
    after = local_day(clock.due_at) - timedelta(days=1)
    assert cal.workdays_between(before, after) == cal.workdays_between(p, r)
    assert cal.is_workday(after)
