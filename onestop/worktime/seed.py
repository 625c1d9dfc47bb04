"""The official calendar as published by the State Council, taken from `chinesecalendar` (官方节假日安排).

`official_rows()` gives every named day of every year the package covers: the holidays (including the
weekend days inside a holiday period, so a holiday is shown whole) and the working weekends (调休上班).
It is what the data migration seeds, and what a fresh database therefore holds.

One correction is applied, each with the notice that settles it:
- 2005-12-31 (Saturday) was a working day. 国务院办公厅关于2006年部分节假日安排的通知 (国办发明电〔2005〕35号,
  2005-12-16): "元旦：1月1日—3日放假，共3天。……12月31日（星期六）上班。" `chinesecalendar` 1.11.0 omits it
  (it has no 2005 entry in its working days); the `holidays` package has it.
"""
from __future__ import annotations

from datetime import date

HOLIDAY = "holiday"
WORKDAY = "workday"

# Notices that correct the package's data: date -> (kind, name, source).
CORRECTIONS: dict[date, tuple[str, str, str]] = {
    date(2005, 12, 31): (WORKDAY, "元旦", "国办发明电〔2005〕35号: 12月31日（星期六）上班"),
}


def _names() -> dict[str, str]:
    from chinese_calendar.constants import Holiday

    return {h.value: h.chinese for h in Holiday}


def covered_years() -> range:
    """The years `chinesecalendar` has the State Council's schedule for."""
    from chinese_calendar.constants import holidays

    years = [d.year for d in holidays]
    return range(min(years), max(years) + 1)


def official_rows() -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) for every named day of every covered year, sorted by date."""
    from chinese_calendar.constants import holidays, workdays

    names = _names()
    rows: dict[date, tuple[str, str]] = {}
    for day, english in holidays.items():
        rows[day] = (HOLIDAY, names.get(english, english))
    for day, english in workdays.items():
        if day.weekday() >= 5:  # a working day that differs from the weekend rule
            rows[day] = (WORKDAY, names.get(english, english))
    for day, (kind, name, _source) in CORRECTIONS.items():
        rows[day] = (kind, name)
    return sorted((day, kind, name) for day, (kind, name) in rows.items())
