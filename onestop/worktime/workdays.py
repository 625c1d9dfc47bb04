"""Working-day arithmetic from precomputed tables (工作日计算): never a walk day by day at run time.

A `WorkCalendar` is built once from the official calendar (the published years' named days; every other
year follows the weekend rule) into a few tables over 2004-01-01..2120-12-31:
- `cum[i]`: how many working days there are from the first day of the table up to day i, inclusive;
- `wdays[k]`: the (k+1)-th working day;
- `roll[i]`: the first working day on or after day i.
So "N working days after s" is `wdays[cum[s] + N - 1]`, "working days in (a, b]" is `cum[b] - cum[a]`, and a
natural-day period rolls off a non-working last day (民法典 第二百零三条) with `roll[s + N]`: each a couple
of list look-ups. The numpy copies of the same tables answer a million look-ups at once.

`current()` is this process's calendar. It carries the version kept in the database (`CalendarVersion`),
which it compares at most once every `CHECK_SECONDS`, so a change made through another process is seen
here within that time (DESIGN.md, "Scale"); a change made through this process is seen at once.
"""
from __future__ import annotations

import math
from datetime import date
from time import monotonic as _monotonic
from typing import Iterable

import numpy as np

FIRST = date(2004, 1, 1)  # the first day of the tables (chinesecalendar's first year)
LAST = date(2120, 12, 31)  # far enough that 1000 working days and long pauses from 2099 still fit
INPUT_FIRST = date(2004, 1, 1)  # the dates a person may ask about
INPUT_LAST = date(2099, 12, 31)
MAX_DAYS = 1000

WORKDAY = "workday"  # 工作日
NATURAL = "natural"  # 自然日
UNITS = (WORKDAY, NATURAL)
HOLIDAY_KIND, WORKDAY_KIND = "holiday", "workday"
WEEKEND = "周末"

_EPOCH = date(1970, 1, 1).toordinal()


class OutOfRange(ValueError):
    """A date (or a result) outside the calendar's tables."""


class WorkCalendar:
    """Immutable precomputed tables of one version of the official calendar."""

    __slots__ = (
        "version", "token", "published", "_base", "_n", "_cum", "_wdays", "_dates", "_roll", "_work",
        "_names", "_ucum", "_cum_np", "_wpos_np", "_roll_np", "_work_np", "_epoch0",
    )

    def __init__(
        self, rows: Iterable[tuple[date, str, str]], published: Iterable[int], *, version: int = 0, token: str = ""
    ) -> None:
        self.version, self.token = version, token
        self.published = frozenset(published)
        base, n = FIRST.toordinal(), LAST.toordinal() - FIRST.toordinal() + 1
        self._base, self._n = base, n
        self._epoch0 = base - _EPOCH  # table index 0 as days since 1970-01-01 (numpy's datetime64[D])
        ords = np.arange(base, base + n, dtype=np.int64)
        work = (ords - 1) % 7 < 5  # ordinal 1 (0001-01-01) was a Monday
        names: dict[int, str] = {}
        for day, kind, name in rows:
            if day.year not in self.published or not FIRST <= day <= LAST:
                continue  # an unpublished year follows the weekend rule
            i = day.toordinal() - base
            work[i] = kind == WORKDAY_KIND
            names[i] = name
        cum = np.cumsum(work, dtype=np.int64)
        wpos = np.flatnonzero(work)
        # the first working day on or after each day (LAST, a Tuesday past every publishable year, is one)
        assert work[-1], "the tables must end on a working day"
        roll = wpos[cum - work]
        years = _years(base, n)
        unpublished = ~np.isin(years, np.fromiter(self.published, dtype=np.int32, count=len(self.published)))
        self._dates = [date.fromordinal(o) for o in range(base, base + n)]
        self._cum = cum.tolist()
        self._wdays = [self._dates[i] for i in wpos.tolist()]
        self._roll = [self._dates[i] for i in roll.tolist()]
        self._work = work.tolist()
        self._names = names
        self._ucum = np.cumsum(unpublished, dtype=np.int64).tolist()
        self._cum_np, self._wpos_np = cum.astype(np.int32), wpos.astype(np.int32)
        self._roll_np, self._work_np = roll.astype(np.int32), work

    # -- single look-ups (the hot path) -------------------------------------------------------------

    def add_workdays(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (the start day not counted); 0 days is the start day."""
        i = start.toordinal() - self._base
        if days > 0 and 0 <= i < self._n:
            try:
                return self._wdays[self._cum[i] + days - 1]
            except IndexError:
                raise OutOfRange(f"{days} working days after {start} is past {LAST}") from None
        return self._edge(start, i, days)

    def add_natural(self, start: date, days: int) -> date:
        """`days` natural days after `start`; a last day that is not a working day rolls to the next one (§203)."""
        i = start.toordinal() - self._base
        if days > 0 and 0 <= i < self._n:
            try:
                return self._roll[i + days]
            except IndexError:
                raise OutOfRange(f"{days} days after {start} is past {LAST}") from None
        return self._edge(start, i, days)

    def add(self, start: date, days: int, unit: str = WORKDAY) -> date:
        return self.add_natural(start, days) if unit == NATURAL else self.add_workdays(start, days)

    def workdays_between(self, a: date, b: date) -> int:
        """The working days in (a, b]: a not counted, b counted; negative when b is before a."""
        i, j = a.toordinal() - self._base, b.toordinal() - self._base
        if 0 <= i < self._n and 0 <= j < self._n:
            return self._cum[j] - self._cum[i]
        raise OutOfRange(f"{a}..{b} is outside {FIRST}..{LAST}")

    def is_workday(self, day: date) -> bool:
        return self._work[self._index(day)]

    def _edge(self, start: date, i: int, days: int) -> date:
        if not 0 <= i < self._n:
            raise OutOfRange(f"{start} is outside {FIRST}..{LAST}")
        if days == 0:
            return start  # 即办: due at the end of the start day
        raise ValueError("days must not be negative")

    def _index(self, day: date) -> int:
        i = day.toordinal() - self._base
        if not 0 <= i < self._n:
            raise OutOfRange(f"{day} is outside {FIRST}..{LAST}")
        return i

    # -- positions: the clock counts in "counted-day space" -----------------------------------------

    def pos(self, day: date, unit: str) -> int:
        """How many counted days (working or natural) lie from the table's start up to `day`, inclusive."""
        i = self._index(day)
        return self._cum[i] if unit == WORKDAY else i

    def day_at(self, position: int, unit: str) -> date:
        """The counted day at `position` (the inverse of `pos` on counted days)."""
        try:
            if unit == WORKDAY:
                if position < 1:
                    raise IndexError
                return self._wdays[position - 1]
            if position < 0:
                raise IndexError
            return self._dates[position]
        except IndexError:
            raise OutOfRange(f"counted day {position} is outside {FIRST}..{LAST}") from None

    def roll(self, day: date) -> date:
        """The first working day on or after `day`."""
        return self._roll[self._index(day)]

    # -- explanations -------------------------------------------------------------------------------

    def name(self, day: date) -> str:
        """The holiday's (or working weekend's) name, "周末" for an ordinary weekend, "" otherwise."""
        i = self._index(day)
        return self._names.get(i) or (WEEKEND if day.weekday() >= 5 else "")

    def non_workdays(self, after: date, through: date) -> list[tuple[date, str]]:
        """Every non-working day in (after, through], with its reason (the holiday's name or 周末)."""
        i, j = self._index(after), self._index(through)
        rest = np.flatnonzero(~self._work_np[i + 1 : j + 1]) + i + 1
        return [(self._dates[k], self._names.get(k) or WEEKEND) for k in rest.tolist()]

    def provisional(self, after: date, through: date) -> bool:
        """Whether any day in (after, through] lies in a year not yet published (computed by the weekend rule)."""
        i, j = self._index(after), self._index(through)
        return self._ucum[j] - self._ucum[i] > 0 if j > i else False

    def is_published(self, year: int) -> bool:
        return year in self.published

    # -- batch (numpy) ------------------------------------------------------------------------------

    def add_batch(self, starts: np.ndarray, days: np.ndarray | int, unit: str = WORKDAY) -> np.ndarray:
        """Many deadlines at once: `starts` as datetime64[D], `days` per start (or one for all); datetime64[D]."""
        idx = np.asarray(starts, dtype="datetime64[D]").astype(np.int64) - self._epoch0
        days = np.asarray(days, dtype=np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= self._n):
            raise OutOfRange(f"a start is outside {FIRST}..{LAST}")
        if days.size and days.min() < 0:
            raise ValueError("days must not be negative")
        if unit == NATURAL:
            target = idx + days
            if target.size and target.max() >= self._n:
                raise OutOfRange(f"a deadline is past {LAST}")
            out = np.where(days > 0, self._roll_np[target], idx)
        else:
            target = self._cum_np[idx] + (days - 1)
            if target.size and target.max() >= len(self._wpos_np):
                raise OutOfRange(f"a deadline is past {LAST}")
            out = np.where(days > 0, self._wpos_np[np.maximum(target, 0)], idx)
        return (out + self._epoch0).astype("datetime64[D]")

    def workdays_between_batch(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Working days in (a, b] for arrays of datetime64[D]."""
        i = np.asarray(a, dtype="datetime64[D]").astype(np.int64) - self._epoch0
        j = np.asarray(b, dtype="datetime64[D]").astype(np.int64) - self._epoch0
        if i.size and (min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= self._n):
            raise OutOfRange(f"a date is outside {FIRST}..{LAST}")
        return self._cum_np[j] - self._cum_np[i]


def _years(base: int, n: int) -> np.ndarray:
    """The year of each day of the table, without building a date per day."""
    first, last = date.fromordinal(base).year, date.fromordinal(base + n - 1).year
    years = np.empty(n, dtype=np.int32)
    for y in range(first, last + 1):
        a = max(date(y, 1, 1).toordinal() - base, 0)
        b = min(date(y, 12, 31).toordinal() - base, n - 1)
        years[a : b + 1] = y
    return years


def warn_days(limit: int) -> int:
    """DESIGN.md's default warn point: W = max(1, ceil(20% of the limit)) counted days before the deadline."""
    return max(1, math.ceil(limit / 5))


# -- this process's calendar, kept in step with the database's version -----------------------------

CHECK_SECONDS = 1.0
_CAL: WorkCalendar | None = None
_CHECKED = -math.inf
# The current calendar's hot tables as one tuple (swapped in one assignment, so a thread never sees a mix
# of two versions), bound at module level so `add_workdays` is two list look-ups.
_HOT: tuple[int, int, list[int], list[date]] = (0, 0, [], [])


def load() -> WorkCalendar:
    """Build the calendar from the database as it is now (in the caller's transaction)."""
    from onestop.worktime.models import CalendarDay, CalendarVersion, CalendarYear

    version = CalendarVersion.current()
    published = CalendarYear.objects.filter(published=True).values_list("year", flat=True)
    rows = CalendarDay.objects.values_list("date", "kind", "name")
    return WorkCalendar(rows, published, version=version.number, token=version.token)


def _use(cal: WorkCalendar | None) -> None:
    global _CAL, _HOT
    if cal is not None:
        _HOT = (cal._base, cal._n, cal._cum, cal._wdays)
    _CAL = cal


def _refresh() -> WorkCalendar:
    global _CHECKED
    from onestop.worktime.models import CalendarVersion

    token = CalendarVersion.current_token()
    if _CAL is None or _CAL.token != token:
        _use(load())
    _CHECKED = _monotonic()
    return _CAL  # type: ignore[return-value]


def current() -> WorkCalendar:
    """This process's calendar, checked against the database's version at most once a `CHECK_SECONDS`."""
    cal = _CAL
    if cal is None or _monotonic() - _CHECKED >= CHECK_SECONDS:
        cal = _refresh()
    return cal


def install(cal: WorkCalendar | None) -> None:
    """Use `cal` now (a change made in this process), or forget the cached calendar (None)."""
    global _CHECKED
    _use(cal)
    _CHECKED = -math.inf if cal is None else _monotonic()


def add_workdays(start: date, days: int) -> date:
    """`days` working days after `start` under the current official calendar (the platform's hot path).

    The same look-up as `WorkCalendar.add_workdays`, inlined on the module's tables.
    """
    if _monotonic() - _CHECKED >= CHECK_SECONDS:
        _refresh()
    base, n, cum, wdays = _HOT
    i = start.toordinal() - base
    if days > 0 and 0 <= i < n:
        try:
            return wdays[cum[i] + days - 1]
        except IndexError:
            raise OutOfRange(f"{days} working days after {start} is past {LAST}") from None
    return current().add_workdays(start, days)


def add_natural(start: date, days: int) -> date:
    return current().add_natural(start, days)


def deadline(start: date, days: int, unit: str = WORKDAY) -> date:
    return current().add(start, days, unit)


def workdays_between(a: date, b: date) -> int:
    """Working days in (a, b] under the current official calendar."""
    if _monotonic() - _CHECKED >= CHECK_SECONDS:
        _refresh()
    base, n, cum, _ = _HOT
    i, j = a.toordinal() - base, b.toordinal() - base
    if 0 <= i < n and 0 <= j < n:
        return cum[j] - cum[i]
    return current().workdays_between(a, b)
