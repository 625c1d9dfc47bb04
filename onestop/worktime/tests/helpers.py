"""Small helpers of the worktime tests."""
from datetime import date, datetime, time

from onestop.worktime.clock import SHANGHAI


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Asia/Shanghai."""
    return datetime.combine(date(y, m, d), time(hour, minute), tzinfo=SHANGHAI)


def midnight_after(day: date) -> datetime:
    return datetime.combine(date.fromordinal(day.toordinal() + 1), time(0), tzinfo=SHANGHAI)
