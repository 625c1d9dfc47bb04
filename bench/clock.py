"""Benchmark of the legal clock's arithmetic: `.venv/bin/python bench/clock.py` (or `make bench`).

Sets Django up on a temporary SQLite database, migrates it (which seeds the official calendar), and times
the platform's own functions on one core:
1. one million single calls of "20 working days after a date" in a plain Python loop, through
   `onestop.worktime.workdays.add_workdays` (the module function the platform calls, including its
   once-a-second check of the calendar version);
2. the same calls through `holidays.China().get_nth_working_day` (a sample, extrapolated, unless --full);
3. the batch form `WorkCalendar.add_batch` on one million clocks (random starts and limits).
Goals: 1M single calls < 0.5 s, >= 100x faster than holidays, batch of 1M < 0.1 s.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N = 1_000_000
HOLIDAYS_SAMPLE = 50_000


def setup_django(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ONESTOP_VAR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, skip_checks=True)


def best_of(runs: int, fn) -> tuple[float, float]:  # noqa: ANN001
    """The best (wall, CPU) seconds of `runs` runs: the machine may be shared, so CPU time is shown too."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return min(walls), min(cpus)


def main() -> None:
    full = "--full" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        setup_django(tmp)
        print(f"set-up: migrated a temporary SQLite database in {time.perf_counter() - t:.2f} s")

        import holidays
        import numpy as np

        from onestop.worktime import workdays
        from onestop.worktime.models import CalendarDay

        t = time.perf_counter()
        cal = workdays.current()
        print(f"calendar: version {cal.version}, {CalendarDay.objects.count()} named days, "
              f"tables built in {(time.perf_counter() - t) * 1000:.1f} ms")

        rng = np.random.default_rng(20261125)
        first, span = date(2004, 1, 1), (date(2026, 6, 30) - date(2004, 1, 1)).days
        offsets = rng.integers(0, span, N)
        starts = [first + timedelta(days=int(o)) for o in offsets]
        add_workdays = workdays.add_workdays

        def single() -> None:
            for s in starts:
                add_workdays(s, 20)

        ours, ours_cpu = best_of(3, single)
        print(f"single: {N:,} calls of add_workdays(start, 20) in a Python loop: {ours:.3f} s wall, "
              f"{ours_cpu:.3f} s CPU ({ours_cpu / N * 1e9:.0f} ns per call)")

        china = holidays.China(years=range(2004, 2028))
        china.get_nth_working_day(starts[0], 20)
        count = N if full else HOLIDAYS_SAMPLE
        sample = starts[:count]
        assert all(add_workdays(s, 20) == china.get_nth_working_day(s, 20) for s in sample[:2000])

        def theirs_loop() -> None:
            for s in sample:
                china.get_nth_working_day(s, 20)

        wall, cpu = best_of(1, theirs_loop)
        theirs, theirs_cpu = wall * N / count, cpu * N / count
        how = "measured" if full else (f"extrapolated from {count:,} calls measured in {wall:.2f} s wall, "
                                       f"{cpu:.2f} s CPU; --full runs all")
        print(f"holidays: {N:,} calls of get_nth_working_day(start, 20): {theirs:.1f} s wall, {theirs_cpu:.1f} s CPU ({how})")
        ratio = theirs_cpu / ours_cpu
        print(f"ratio: ours is {ratio:.0f}x faster than holidays (CPU time; {theirs / ours:.0f}x by wall time)")

        start_arr = (np.datetime64("2004-01-01") + offsets).astype("datetime64[D]")
        limits = rng.integers(0, 61, N)
        batch, batch_cpu = best_of(5, lambda: cal.add_batch(start_arr, limits))
        check = cal.add_batch(start_arr[:1000], limits[:1000])
        assert [d.astype(object) for d in check] == [cal.add_workdays(s.astype(object), int(n))
                                                      for s, n in zip(start_arr[:1000], limits[:1000])]
        print(f"batch: {N:,} clocks (random starts, limits 0..60 working days) with add_batch: "
              f"{batch * 1000:.1f} ms wall, {batch_cpu * 1000:.1f} ms CPU")

        goals = [("1M single calls < 0.5 s", ours_cpu < 0.5), (">= 100x faster than holidays", ratio >= 100),
                 ("batch of 1M < 0.1 s", batch_cpu < 0.1)]
        print("goals (CPU time, one core): " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in goals))
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average {load:.1f} during the run")


if __name__ == "__main__":
    main()
