"""Benchmark of the supervision board, the late list, the red sweep and the analytics on a big table.

    .venv/bin/python bench/board.py                      # PostgreSQL, 1,000,000 tasks (database bench_lights)
    .venv/bin/python bench/board.py --db sqlite --tasks 100000
    BENCH_DATABASE_URL=postgres://user@host:5432/name .venv/bin/python bench/board.py --tasks 1000000
    .venv/bin/python bench/board.py --only sweep --rounds 3     # the load, then three sweeps of 10,000 fresh reds
    .venv/bin/python bench/board.py --only sweep --reuse        # no load: sweep again what the last run left

The database named is dropped and created again (PostgreSQL), or a temporary SQLite file is used; it is
migrated, a small organisation is built (30 departments with a head and an approver each, one 4-stage
bundle of 12 matters and 18 single matters), then the tasks are loaded by bulk insert (COPY on PostgreSQL,
executemany on SQLite): spread over a year, 60% open (running or paused), 40% finished, with
`days_consumed` around each matter's promise. Each application carries 4 tasks; applications' own clocks
are left idle so the sweep times tasks only. Then it times (best of 5 for the board's queries, of 3
for the analytics, once for the sweeps):
1. light counts per department; 2. the board of the bundle; 3. the first page of the late list and the
late lists by department and person (1-3 for all departments, then for one); 4. a sweep of 10,000 tasks that just turned red (all earlier
transitions are marked handled and the sweep marks set, as a running system would have them: an
incremental pass; with `--rounds N`, N such sweeps an hour apart, each of 10,000 more tasks), then an
incremental and a full pass with nothing new; 5. where time goes (analytics). `--only sweep` skips 1-3 and 5.
Goals (PostgreSQL, this machine): each board query < 100 ms, the sweep < 5 s, the analytics < 2 s;
SQLite: the board < 150 ms.

After the load, PostgreSQL gets `VACUUM (ANALYZE)` and a `CHECKPOINT`: a running database has its
visibility map set by autovacuum (index-only scans need it), which a table filled a second ago by COPY has
not yet had, and is not writing out a bulk load's dirty pages while the board is read. No
server setting is changed: the figures are those of a stock PostgreSQL 15 (work_mem 4 MB, 2 parallel
workers per query, JIT on) on this 2-core machine, which other people use at the same time, so each line
shows the load average (1 minute) when it was measured.

The board reads the partial indexes of approvals 0002 (`BOARD_INDEXES`: running tasks by department,
by person and by matter, each ordered by due_at; paused tasks), see `lights.queries.light_counts`.
Each board query is also timed as it was before those indexes (the one-pass query shapes that
`lights.queries` had, copied below as `Baseline`) with the indexes `BOARD_INDEXES` dropped inside a
transaction that is rolled back (DDL is transactional on both databases), in the same run and on the same
rows; the line shows that baseline and the ratio, and the bench checks that both give the same answer.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SH = ZoneInfo("Asia/Shanghai")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench_lights"
TASKS_PER_APP = 4
FRESH_RED = 10_000
BOARD_INDEXES = ("task_running_by_department", "task_running_by_person", "task_running_by_matter", "task_paused")  # approvals 0002


def setup(db: str, tmp: str, reuse: bool = False) -> str:
    if db == "sqlite":
        url = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        if not reuse:
            recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["ONESTOP_VAR"] = tmp
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # As deployed: with DEBUG on, Django renders and keeps the text of every statement run, arrays of
    # thousands of values included, which the sweep would be timed with.
    os.environ.update(DEBUG="0", SECRET_KEY="bench-only-not-secret", ALLOWED_HOSTS="localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the accounts are fixtures
    call_command("migrate", verbosity=0, skip_checks=True)
    return url


def recreate(url: str) -> None:
    import psycopg
    from urllib.parse import urlparse

    u = urlparse(url)
    name = u.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def world():
    from onestop import testing as t
    from onestop.approvals.builders import matter
    from onestop.catalog.models import Bundle, Stage
    from onestop.org.models import Role

    places = t.place_tree()
    centre = t.service_centre(places["town"], name="泊里镇便民服务中心")
    depts, matters = [], []
    for i in range(30):
        d = t.department(places["town"], name=f"部门{i + 1:02d}", code=f"B{i + 1:02d}")
        t.account(Role.DEPARTMENT_HEAD, department=d)
        t.account(Role.APPROVER, department=d)
        depts.append(d)
        matters.append(matter(d, f"事项{i + 1:02d}", promised=random.choice([3, 5, 5, 10, 15, 20]), legal=30,
                              code=f"BM{i + 1:03d}"))
    bundle = Bundle.objects.create(code="XMLD", name="项目落地一件事")
    for pos, names in enumerate((matters[0:3], matters[3:5], matters[5:9], matters[9:12]), start=1):
        stage = Stage.objects.create(bundle=bundle, position=pos, name=["项目立项", "企业登记注册", "建设施工", "竣工验收"][pos - 1],
                                     promised_limit=max(m.promised_limit for m in names))
        stage.matters.add(*names)
    return {"places": places, "centre": centre, "depts": depts, "matters": matters, "bundle": bundle,
            "clerk": t.account(Role.WINDOW_CLERK, service_centre=centre),
            "admin": t.account(Role.ADMINISTRATOR), "supervisor": t.account(Role.SUPERVISOR, place=places["district"])}


def rows_for(model, template: dict, varying: list[str]):
    """The concrete columns of `model` and a function from the varying values to a row for COPY/insert."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    base = {}
    for f in fields:
        if f.attname in template:
            base[f.attname] = template[f.attname]
        elif f.attname not in varying:
            value = f.get_default()
            base[f.attname] = f.get_db_prep_save(value, connection) if value is not None else None
    cols = [f.column for f in fields]
    names = [f.attname for f in fields]

    def row(values: dict) -> tuple:
        merged = {**base, **values}
        return tuple(merged[n] for n in names)

    return cols, row


def load(model, cols, rows, vendor: str) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cur:
        if vendor == "postgresql":
            quoted = ", ".join(f'"{c}"' for c in cols)
            with cur.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for r in rows:
                    copy.write_row(r)
        else:  # SQLite stores datetimes as UTC text: adapt them as Django does
            adapt = connection.ops.adapt_datetimefield_value
            rows = (tuple(adapt(v) if isinstance(v, datetime) else v for v in r) for r in rows)
            marks = ", ".join(["%s"] * len(cols))
            sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({marks})'
            batch = []
            for r in rows:
                batch.append(r)
                if len(batch) >= 5000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)


def populate(w, n: int, now: datetime, vendor: str) -> None:
    import json

    from django.db import connection, transaction

    from onestop.approvals.models import Application, Task

    rnd = random.Random(5)
    apps = (n + TASKS_PER_APP - 1) // TASKS_PER_APP
    stages = list(w["bundle"].stages.prefetch_related("matters"))
    jsonish = (lambda v: json.dumps(v)) if vendor == "postgresql" else (lambda v: json.dumps(v))
    a_cols, a_row = rows_for(Application, {"form_data": jsonish({}), "missing_notice": jsonish([]),
                                           "results": jsonish([]), "channel": "window", "state": "in_review",
                                           "created_by_id": w["clerk"].pk, "taken_at_id": w["centre"].pk,
                                           "handled_at_id": w["centre"].pk}, ["submitted_at", "stage_id", "matter_id"])
    start_id = 0
    with transaction.atomic():
        load(Application, a_cols, (a_row({"submitted_at": now - timedelta(days=rnd.random() * 365),
                                          "stage_id": stages[i % len(stages)].pk, "matter_id": None})
                                   for i in range(apps)), vendor)
        first = Application.objects.order_by("id").values_list("id", flat=True).first()
        Application.objects.filter(pk__gte=first).update(open_tasks=0)
        start_id = first
    matters = w["matters"]
    t_cols, t_row = rows_for(Task, {}, ["application_id", "matter_id", "department_id", "state", "clock_state",
                                        "limit_days", "legal_limit_days", "warn_days", "started_at", "stopped_at",
                                        "paused", "paused_at", "days_consumed", "due_at", "warn_at", "legal_due_at",
                                        "claimed_by_id"])

    def tasks():
        for i in range(n):
            app = start_id + i // TASKS_PER_APP
            m = matters[rnd.randrange(len(matters))]
            limit = m.promised_limit
            finished = rnd.random() < 0.4
            started = now - timedelta(days=rnd.random() * (365 if finished else 60), hours=rnd.random() * 24)
            span = timedelta(days=limit * 7 / 5)
            due = started + span
            warn = due - timedelta(days=max(1, limit // 5) * 7 / 5)
            paused = (not finished) and rnd.random() < 0.05
            consumed = max(0, int(rnd.gauss(limit * 0.8, limit * 0.4)))
            stopped = started + timedelta(days=consumed * 7 / 5) if finished else None
            yield t_row({"application_id": app, "matter_id": m.pk, "department_id": m.department_id,
                         "state": "approved" if finished else ("supplement" if paused else "open"),
                         "clock_state": "stopped" if finished else ("paused" if paused else "running"),
                         "limit_days": limit, "legal_limit_days": 30, "warn_days": max(1, limit // 5),
                         "started_at": started, "stopped_at": stopped, "paused": paused,
                         "paused_at": started if paused else None, "days_consumed": consumed if finished else 0,
                         "due_at": due, "warn_at": warn, "legal_due_at": started + timedelta(days=42),
                         "claimed_by_id": None})

    with transaction.atomic():
        load(Task, t_cols, tasks(), vendor)
    with connection.cursor() as cur:  # autovacuum's work on a live database (see the module docstring)
        cur.execute("VACUUM (ANALYZE)" if vendor == "postgresql" else "ANALYZE")
        if vendor == "postgresql":
            cur.execute("CHECKPOINT")  # the load's dirty pages written now, not while the queries are timed


def steady_state(now: datetime, later: datetime, vendor: str) -> int:
    """Mark every transition up to `now` handled (a running system's watches) and make FRESH_RED open tasks
    turn red between `now` and `later`; returns how many."""
    from django.db import connection, transaction

    from onestop.approvals.models import Task
    from onestop.lights.models import Watch
    from onestop.worktime.queries import red_q, yellow_q

    ids = list(Task.objects.filter(clock_state="running", due_at__gt=later).order_by("id")
               .values_list("id", flat=True)[:FRESH_RED])
    step = (later - now) / (FRESH_RED + 1)
    with transaction.atomic(), connection.cursor() as cur:
        Task.objects.filter(pk__in=ids).update(warn_at=now - timedelta(days=1))
        # spread their deadlines inside (now, later]
        cases = [(pk, now + step * (k + 1)) for k, pk in enumerate(ids)]
        if vendor == "postgresql":
            cur.execute("CREATE TEMP TABLE fresh (id bigint, due timestamptz)")
            with cur.cursor.copy("COPY fresh (id, due) FROM STDIN") as copy:
                for r in cases:
                    copy.write_row(r)
            cur.execute(f'UPDATE "{Task._meta.db_table}" t SET due_at = f.due FROM fresh f WHERE t.id = f.id')
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cur.executemany(f'UPDATE "{Task._meta.db_table}" SET due_at = %s WHERE id = %s',
                            [(adapt(d), i) for i, d in cases])
        handled_red = Task.objects.filter(red_q(now)).values_list("id", "due_at")
        handled_yellow = Task.objects.filter(yellow_q(now)).values_list("id", "due_at")
        label = Task._meta.label
        watches = [(label, pk, due, due, 1) for pk, due in handled_red.iterator(chunk_size=20000)]
        watches += [(label, pk, due, None, 0) for pk, due in handled_yellow.iterator(chunk_size=20000)]
        load(Watch, ["clock_type", "clock_id", "yellow_for", "red_for", "episodes"], iter(watches), vendor)
        from onestop.lights.models import SweepMark

        for colour in ("red", "yellow"):  # a full pass ran a minute before `later`, incremental ones since
            SweepMark.objects.create(clock_type=label, colour=colour, swept_until=now, full_at=later - timedelta(minutes=1))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return len(ids)


def more_red(now: datetime, later: datetime, vendor: str) -> int:
    """Another round of `steady_state` after a sweep at `now`: FRESH_RED more running tasks (never watched)
    turn red between `now` and `later`, their yellow handled as a running system would have it."""
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef

    from onestop.approvals.models import Task
    from onestop.lights.models import Watch

    label = Task._meta.label
    watched = Watch.objects.filter(clock_type=label, clock_id=OuterRef("pk"))
    ids = list(Task.objects.filter(clock_state="running", due_at__gt=later).filter(~Exists(watched)).order_by("id")
               .values_list("id", flat=True)[:FRESH_RED])
    step = (later - now) / (FRESH_RED + 1)
    cases = [(pk, now + step * (k + 1)) for k, pk in enumerate(ids)]
    with transaction.atomic(), connection.cursor() as cur:
        Task.objects.filter(pk__in=ids).update(warn_at=now - timedelta(days=1))
        adapt = connection.ops.adapt_datetimefield_value if vendor != "postgresql" else (lambda d: d)
        cur.executemany(f'UPDATE "{Task._meta.db_table}" SET due_at = %s WHERE id = %s',
                        [(adapt(d), i) for i, d in cases])
        load(Watch, ["clock_type", "clock_id", "yellow_for", "red_for", "episodes"],
             iter([(label, pk, due, None, 0) for pk, due in cases]), vendor)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # as autovacuum keeps a live database's statistics (the ledger and inbox grow here)
    return len(ids)


def load_average() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def best_of(fn, runs: int) -> tuple[float, object]:
    best, result = None, None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, result


def timed(label: str, fn, runs: int = 3, goal_ms: float | None = None, baseline=None, same=None):
    """Best of `runs`, its goal, the load average; with `baseline`, that function's best of `runs` without the
    board's indexes, the ratio, and (with `same`) a check that both answers agree."""
    best, result = best_of(fn, runs)
    goal = f"  goal < {goal_ms:.0f} ms: {'met   ' if best * 1000 < goal_ms else 'MISSED'}" if goal_ms else ""
    line = f"{label:<46} {best * 1000:8.1f} ms{goal}"
    if baseline is not None:
        with without_board_indexes():
            before, old = best_of(baseline, runs)
        line += f"  baseline {before * 1000:7.1f} ms  x{best / before:5.2f}"
        if same is not None:
            assert same(result) == same(old), f"{label}: the answer differs from the baseline's"
    print(f"{line}  ({load_average()})", flush=True)
    return result


@contextlib.contextmanager
def without_board_indexes():
    """The board's indexes dropped for the duration, in a transaction rolled back after."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cur:
            for name in BOARD_INDEXES:
                cur.execute(f'DROP INDEX "{name}"')
        yield
        transaction.set_rollback(True)


class Baseline:
    """The board's queries as they were before the board's indexes (one pass, four filtered counts)."""

    @staticmethod
    def _counts(now):
        from django.db.models import Count, Q

        from onestop.worktime.models import ClockState
        from onestop.worktime.queries import green_q, red_q, yellow_q

        return {"green": Count("pk", filter=green_q(now)), "yellow": Count("pk", filter=yellow_q(now)),
                "red": Count("pk", filter=red_q(now)), "paused": Count("pk", filter=Q(clock_state=ClockState.PAUSED))}

    @classmethod
    def counts_by_department(cls, actor, filters, now):
        from onestop.lights.queries import tasks_for_board
        from onestop.org.models import Department

        rows = list(tasks_for_board(actor, filters).order_by().values("department_id").annotate(**cls._counts(now)))
        names = dict(Department.objects.filter(pk__in=[r["department_id"] for r in rows]).values_list("pk", "name"))
        for r in rows:
            r["department"] = names.get(r["department_id"], "")
        return sorted(rows, key=lambda r: (-r["red"], -r["yellow"], r["department"]))

    @classmethod
    def board_counts(cls, actor, bundle_id, filters, now):
        from onestop.lights.queries import bundle_for, tasks_for_board

        stages = list(bundle_for(bundle_id).stages.prefetch_related("matters").order_by("position"))
        ids = {m.pk for st in stages for m in st.matters.all()}
        return {r["matter_id"]: {k: r[k] for k in ("green", "yellow", "red", "paused")}
                for r in tasks_for_board(actor, filters).filter(matter_id__in=ids).order_by()
                .values("matter_id").annotate(**cls._counts(now))}

    @staticmethod
    def late(actor, filters, now, by):
        from django.db.models import Count, Min

        from onestop.lights.queries import tasks_for_board
        from onestop.worktime.queries import red_q

        return list(tasks_for_board(actor, filters).filter(red_q(now)).order_by().values(*by)
                    .annotate(red=Count("pk"), oldest_due_at=Min("due_at")).order_by("-red"))

    @staticmethod
    def late_page(actor, filters, now):
        from onestop.approvals.models import Task, TaskState
        from onestop.lights.queries import PAGE_SIZE, _departments, tasks_for_board
        from onestop.worktime.queries import red_q
        from django.db import connection

        qs = tasks_for_board(actor, filters).filter(red_q(now))
        related = ("matter", "department", "claimed_by")
        if connection.vendor != "postgresql":
            return list(qs.select_related(*related).order_by("due_at", "id")[:PAGE_SIZE])
        depts = list(_departments(actor, filters))
        parts = [qs.filter(department_id=d, state=st).order_by("due_at", "id").values_list("due_at", "pk")[:PAGE_SIZE]
                 for d in depts for st in (TaskState.OPEN, TaskState.CLAIMED)]
        keys = sorted(parts[0].union(*parts[1:], all=True))[:PAGE_SIZE]
        found = Task.objects.select_related(*related).in_bulk([pk for _, pk in keys])
        return [found[pk] for _, pk in keys if pk in found]


def node_counts(board: dict) -> dict:
    return {n["matter_id"]: n["counts"] for st in board["stages"] for n in st["nodes"] if any(n["counts"].values())}


def late_rows(rows: list[dict], by: tuple[str, ...]) -> list[tuple]:
    return sorted(tuple(r[k] for k in (*by, "red", "oldest_due_at")) for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sweep"], help="time only the sweeps (no board, no analytics)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="sweeps of FRESH_RED new red tasks, one hour apart, on the same load (default 1)")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL, with --only sweep: no load, sweep again the database a previous run left")
    args = parser.parse_args()
    if args.reuse and (args.db != "postgres" or args.only != "sweep"):
        parser.error("--reuse needs --db postgres and --only sweep")
    random.seed(5)
    with tempfile.TemporaryDirectory() as tmp:
        setup(args.db, tmp, args.reuse)
        from django.db import connection
        from django.utils import timezone

        from onestop.lights import analytics, queries
        from onestop.lights.sweep import sweep

        vendor = connection.vendor
        board_goal = 100 if vendor == "postgresql" else 150
        now = timezone.now().astimezone(SH).replace(microsecond=0)
        if not args.reuse:
            t0 = time.perf_counter()
            w = world()
            populate(w, args.tasks, now, vendor)
            print(f"{vendor}: loaded {args.tasks:,} tasks in {time.perf_counter() - t0:.1f} s", flush=True)
        if args.only != "sweep":
            admin, f = w["admin"], queries.Filters()
            dept = queries.Filters(department=w["depts"][0])
            bundle = w["bundle"].pk
            print(f"{vendor}: board goal < {board_goal} ms each; baseline = the query shapes before the board's indexes, "
                  f"timed without them in the same run ({load_average()})")
            by_dept, by_person = ("department_id",), ("claimed_by_id", "department_id")
            board_timed = functools.partial(timed, runs=5)  # best of 5: the machine is shared, a run can be disturbed
            for label, filters in (("", f), (", one department", dept)):
                counts = board_timed("light counts per department" + label, lambda: queries.counts_by_department(admin, filters, now),
                               goal_ms=board_goal, baseline=lambda: Baseline.counts_by_department(admin, filters, now),
                               same=lambda rows: rows)
                if not label:
                    print("   ", ", ".join(f"{r['department']}: {r['green']}/{r['yellow']}/{r['red']}/{r['paused']}" for r in counts[:3]), "...")
                board = board_timed("board of one bundle" + label, lambda: queries.board(admin, bundle, filters, now),
                              goal_ms=board_goal, baseline=lambda: Baseline.board_counts(admin, bundle, filters, now),
                              same=lambda b: b if "stages" not in b else node_counts(b))
                if not label:
                    print("   ", " | ".join(f"{n['name']} {n['counts']['red']}r" for s in board["stages"] for n in s["nodes"][:1]))
                board_timed("first page of the late list" + label, lambda: queries.late_page(admin, filters, 1, now),
                      goal_ms=board_goal, baseline=lambda: Baseline.late_page(admin, filters, now),
                      same=lambda page: [t.pk for t in page])
                board_timed("late by department" + label, lambda: queries.late_by_department(admin, filters, now),
                      goal_ms=board_goal, baseline=lambda: Baseline.late(admin, filters, now, by_dept),
                      same=lambda rows: late_rows(rows, by_dept))
                board_timed("late by person" + label, lambda: queries.late_by_person(admin, filters, now),
                      goal_ms=board_goal, baseline=lambda: Baseline.late(admin, filters, now, by_person),
                      same=lambda rows: late_rows(rows, by_person))
            data = timed("where time goes (analytics)", lambda: analytics.where_time_goes(admin, w["bundle"].pk, f),
                         goal_ms=2000)
            print("    top speed-up point:", data["speed_up"][0]["name"] if data["speed_up"] else "-")
        from onestop.approvals.models import Task
        from onestop.lights.models import SweepMark

        if args.reuse:  # go on an hour after the last sweep of that run
            later = SweepMark.objects.get(clock_type=Task._meta.label, colour="red").swept_until
            print(f"{vendor}: reusing {Task.objects.count():,} tasks")
        else:
            later = now + timedelta(hours=1)
            fresh = steady_state(now, later, vendor)

        import cProfile, pstats
        print(f"{vendor}: sweep goal < 5000 ms for {FRESH_RED:,} tasks that just turned red ({load_average()})")
        for k in range(args.rounds):
            if k or args.reuse:  # one hour later, FRESH_RED more tasks have turned red
                now, later = later, later + timedelta(hours=1)
                fresh = more_red(now, later, vendor)
            prof = cProfile.Profile() if os.environ.get("BENCH_PROFILE") and k == 0 else None
            prof and prof.enable()
            result = timed(f"sweep of {fresh:,} tasks that just turned red", lambda: sweep(later, models_=[Task], full=False),
                           runs=1, goal_ms=5000)
            if prof:
                prof.disable()
                pstats.Stats(prof).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(40)
            print(f"    handled red {result.red:,}, notifications {result.notifications:,}, "
                  f"ledger entries opened {result.opened:,}")
            assert result.red >= fresh
        again = timed("the next incremental sweep (nothing new)", lambda: sweep(later, models_=[Task], full=False), runs=1)
        catch_up = timed("a full sweep (every 10 min; nothing new)", lambda: sweep(later, models_=[Task], full=True), runs=1)
        assert again.red == 0 and catch_up.red == 0


if __name__ == "__main__":
    main()
