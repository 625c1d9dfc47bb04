"""The official calendar: golden cases from the State Council's schedules, and agreement with `holidays`."""
from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from onestop.worktime import workdays
from onestop.worktime.models import CalendarDay, CalendarYear
from onestop.worktime.seed import covered_years, official_rows

pytestmark = pytest.mark.django_db

WD, NAT = workdays.WORKDAY, workdays.NATURAL

GOLDEN = [
    # (start, days, unit, due) — each from the State Council's notice for that year
    (date(2026, 2, 13), 5, WD, date(2026, 2, 27)),  # 02-14 is a working Saturday; 02-15..02-23 春节
    (date(2026, 2, 13), 1, WD, date(2026, 2, 14)),
    (date(2026, 2, 14), 1, WD, date(2026, 2, 24)),
    (date(2025, 9, 30), 1, WD, date(2025, 10, 9)),  # 国庆+中秋 10-01..10-08
    (date(2025, 9, 30), 3, WD, date(2025, 10, 11)),  # 10-11 (Saturday) is a working day
    (date(2025, 9, 26), 1, WD, date(2025, 9, 28)),  # 09-28 (Sunday) is a working day
    (date(2024, 9, 27), 1, WD, date(2024, 9, 29)),  # 2024: 09-29 (Sunday) works, 10-01..10-07 off
    (date(2024, 9, 30), 1, WD, date(2024, 10, 8)),
    (date(2024, 12, 31), 1, WD, date(2025, 1, 2)),  # across the year end: 01-01 元旦
    (date(2025, 12, 31), 1, WD, date(2026, 1, 4)),  # 2026: 01-01..01-03 off, 01-04 (Sunday) works
    (date(2005, 12, 30), 1, WD, date(2005, 12, 31)),  # 国办发明电〔2005〕35号: 12-31 (Saturday) works
    (date(2005, 12, 31), 1, WD, date(2006, 1, 4)),
    (date(2006, 12, 29), 2, WD, date(2006, 12, 31)),  # 国办发明电〔2006〕49号: 12-30, 12-31 work
    (date(2006, 12, 29), 3, WD, date(2007, 1, 4)),
    (date(2015, 9, 2), 1, WD, date(2015, 9, 6)),  # 抗战胜利70周年: 09-03..09-05 off, 09-06 works
    (date(2020, 1, 23), 1, WD, date(2020, 2, 3)),  # 春节 extended to 02-02 (国办发明电〔2020〕1号)
    (date(2026, 2, 13), 20, WD, date(2026, 3, 19)),  # 02-28 (Saturday) works too
    (date(2026, 2, 13), 0, WD, date(2026, 2, 13)),  # 即办
    (date(2026, 9, 28), 3, NAT, date(2026, 10, 8)),  # last day 10-01 is 国庆: ends on the next working day
    (date(2026, 2, 11), 3, NAT, date(2026, 2, 14)),  # last day a working Saturday: no roll
    (date(2026, 3, 4), 3, NAT, date(2026, 3, 9)),  # last day an ordinary Saturday: Monday
    (date(2026, 3, 4), 2, NAT, date(2026, 3, 6)),
    (date(2026, 12, 31), 2, NAT, date(2027, 1, 4)),  # 2027 unpublished: Saturday 01-02 rolls to Monday
]


@pytest.mark.parametrize(("start", "days", "unit", "due"), GOLDEN)
def test_golden_deadlines_from_the_state_council_schedules(start, days, unit, due):
    assert workdays.deadline(start, days, unit) == due


def test_working_days_between_two_dates_counts_the_end_but_not_the_start():
    assert workdays.workdays_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert workdays.workdays_between(date(2026, 2, 27), date(2026, 2, 13)) == -5
    assert workdays.workdays_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_every_covered_year_is_seeded_and_published_in_a_fresh_database():
    years = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    assert years == set(covered_years()) and min(years) == 2004 and max(years) >= 2026
    assert CalendarDay.objects.count() == len(official_rows())
    spring = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (spring.kind, spring.name) == ("holiday", "春节")
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).kind == "workday"


def test_the_calendar_agrees_with_holidays_on_every_day_of_2004_to_2026():
    cal = workdays.current()
    china = holidays.China(years=range(2003, 2028))
    day, disagree = date(2004, 1, 1), []
    while day <= date(2026, 12, 31):
        if cal.is_workday(day) != china.is_working_day(day):
            disagree.append(day)
        day += timedelta(days=1)
    assert disagree == []


def test_2005_12_31_settled_by_the_notice_for_the_2006_new_year_holiday():
    """The one day where chinesecalendar and holidays disagree in 2004..2026.

    国务院办公厅关于2006年部分节假日安排的通知 (国办发明电〔2005〕35号, 2005-12-16): "元旦：1月1日—3日放假，
    共3天。……12月31日（星期六）上班。" So 2005-12-31 was a working Saturday: `holidays` is right,
    chinesecalendar 1.11.0 lacks it, and our seed corrects it.
    """
    china = holidays.China(years=range(2004, 2027))
    disagreements = []
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        if chinese_calendar.is_workday(day) != china.is_working_day(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == [date(2005, 12, 31)]
    assert china.is_working_day(date(2005, 12, 31)) and not chinese_calendar.is_workday(date(2005, 12, 31))
    assert workdays.current().is_workday(date(2005, 12, 31))
    assert CalendarDay.objects.get(date=date(2005, 12, 31)).kind == "workday"
    assert [d for d in (date(2006, 1, 1), date(2006, 1, 2), date(2006, 1, 3)) if workdays.current().is_workday(d)] == []


def test_a_year_not_published_follows_the_weekend_rule_and_is_provisional():
    cal = workdays.current()
    assert not cal.is_published(2030)
    assert not cal.is_workday(date(2030, 1, 5)) and cal.is_workday(date(2030, 1, 1))  # no 元旦 yet: a Tuesday
    assert cal.provisional(date(2026, 12, 20), date(2027, 1, 10))
    assert not cal.provisional(date(2026, 1, 1), date(2026, 12, 31))


def test_dates_outside_the_tables_are_refused_not_wrapped_around():
    cal = workdays.current()
    with pytest.raises(workdays.OutOfRange):
        cal.add_workdays(date(2003, 12, 31), 1)
    with pytest.raises(workdays.OutOfRange):
        cal.add_workdays(date(2120, 12, 1), 100)
    with pytest.raises(ValueError):
        cal.add_workdays(date(2026, 1, 5), -1)
