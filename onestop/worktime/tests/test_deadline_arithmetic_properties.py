"""Properties of the working-day arithmetic, over the whole range of dates (hypothesis)."""
from datetime import date, timedelta

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.worktime import workdays

starts = st.dates(min_value=workdays.INPUT_FIRST, max_value=workdays.INPUT_LAST)
published_starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))
counts = st.integers(min_value=0, max_value=500)


@given(start=starts, a=counts, b=counts)
def test_adding_a_then_b_working_days_is_adding_a_plus_b(seeded_calendar, start, a, b):
    cal = seeded_calendar
    assert cal.add_workdays(cal.add_workdays(start, a), b) == cal.add_workdays(start, a + b)


@given(start=starts, n=st.integers(min_value=1, max_value=workdays.MAX_DAYS), unit=st.sampled_from(workdays.UNITS))
def test_for_n_above_zero_the_due_date_is_a_working_day_after_the_start(seeded_calendar, start, n, unit):
    due = seeded_calendar.add(start, n, unit)
    assert seeded_calendar.is_workday(due) and due > start


@given(start=starts, n=st.integers(min_value=1, max_value=workdays.MAX_DAYS))
def test_n_working_days_after_a_start_are_exactly_n_working_days_in_between(seeded_calendar, start, n):
    due = seeded_calendar.add_workdays(start, n)
    assert seeded_calendar.workdays_between(start, due) == n
    assert seeded_calendar.workdays_between(start, due - timedelta(days=1)) == n - 1


@given(start=starts, n=st.integers(min_value=1, max_value=workdays.MAX_DAYS))
def test_a_natural_period_ends_on_its_last_day_or_the_first_working_day_after_it(seeded_calendar, start, n):
    cal = seeded_calendar
    last = start + timedelta(days=n)
    due = cal.add_natural(start, n)
    assert due >= last and cal.is_workday(due)
    assert all(not cal.is_workday(last + timedelta(days=k)) for k in range((due - last).days))


@settings(max_examples=200)
@given(start=published_starts, n=st.integers(min_value=1, max_value=60))
def test_single_look_ups_agree_with_holidays_walking_day_by_day(seeded_calendar, start, n):
    china = _china()
    assert seeded_calendar.add_workdays(start, n) == china.get_nth_working_day(start, n)


@given(pairs=st.lists(st.tuples(starts, st.integers(min_value=0, max_value=workdays.MAX_DAYS)), min_size=1, max_size=50),
       unit=st.sampled_from(workdays.UNITS))
def test_the_batch_form_gives_the_single_answers(seeded_calendar, pairs, unit):
    cal = seeded_calendar
    got = cal.add_batch(np.array([s for s, _ in pairs], dtype="datetime64[D]"), np.array([n for _, n in pairs]), unit)
    assert [d.astype(object) for d in got] == [cal.add(s, n, unit) for s, n in pairs]
    a = np.array([s for s, _ in pairs], dtype="datetime64[D]")
    b = a + np.array([n for _, n in pairs])
    assert cal.workdays_between_batch(a, b).tolist() == [
        cal.workdays_between(x, y) for x, y in zip(a.astype(object), b.astype(object))
    ]


def test_the_batch_form_refuses_dates_outside_the_tables(seeded_calendar):
    with pytest.raises(workdays.OutOfRange):
        seeded_calendar.add_batch(np.array(["2003-12-31"], dtype="datetime64[D]"), 1)


@pytest.mark.django_db
def test_the_database_calendar_has_the_same_tables_as_the_seed(seeded_calendar):
    cal = workdays.current()
    every = np.arange(np.datetime64("2004-01-01"), np.datetime64("2099-12-31"))
    assert (cal.add_batch(every, 1) == seeded_calendar.add_batch(every, 1)).all()


_CHINA = None


def _china() -> holidays.HolidayBase:
    global _CHINA
    if _CHINA is None:
        _CHINA = holidays.China(years=range(2004, 2028))
    return _CHINA
