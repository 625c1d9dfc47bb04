"""Benchmark of the approval flow: `.venv/bin/python bench/flow.py [--n 300] [--only sqlite|postgresql]`.

Pushes N applications through intake, five parallel department tasks approved, the join and one-window
issue, through the same actions the pages and the API call (permission checks, clocks, audit events
included), in one process, on SQLite (a temporary file) and on PostgreSQL (database `bench_approvals` on
postgres://postgres@127.0.0.1:5432, dropped and created afresh; set BENCH_PG_URL to use another server).
Prints applications per second, SQL statements per application and time by step, the time per application
split into this process's CPU and the wait on the database, and the same figures for a baseline measured in
the same run, in turns of ten applications with OneStop's so that a change in the host's speed during the
run weighs on both alike: the same rows written in the same transactions by bare ORM inserts and
updates, with none of the rules (permissions, clocks, audit, join lock). Goals: 100/s on SQLite, 50/s on
PostgreSQL.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "bench_approvals"
GOALS = {"sqlite": 100, "postgresql": 50}
BLOCK = 10  # applications in a row before the baseline takes its turn
SPECS = (("并联审批", [(f"并联事项{i}", 5, 20) for i in range(1, 6)]),)


def fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{PG_SERVER}/{PG_DB}"


def run(vendor: str, n: int) -> dict:
    """In this process: set Django up on the database named by the environment, push n applications."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    django.setup()
    t = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    migrated = time.perf_counter() - t

    from django.db import connection

    from onestop.approvals import actions
    from onestop.approvals.builders import build, required_ids

    w = build("B", SPECS)
    stage = w.stages[0]
    provided = None
    counts: Counter = Counter()
    spent: Counter = Counter()  # wall seconds by step
    step = {"name": "", "since": 0.0}

    def enter(name: str) -> None:
        now = time.perf_counter()
        if step["name"]:
            spent[step["name"]] += now - step["since"]
        step["name"], step["since"] = name, now

    def counting(execute, sql, params, many, context):  # noqa: ANN001
        counts[step["name"]] += 1
        return execute(sql, params, many, context)

    def one() -> int:
        nonlocal provided
        enter("submit")
        app = actions.submit_application(w.clerk, stage_id=stage.pk, project_id=w.project.pk, provided=provided or ())
        if provided is None:
            provided = required_ids(app)
            app = actions.submit_application(w.clerk, stage_id=stage.pk, project_id=w.project.pk, provided=provided)
        enter("accept")
        actions.accept_application(w.clerk, app.pk, provided=provided)
        enter("approve x5 + join")
        for task_id, matter in app.tasks.order_by("id").values_list("pk", "matter__name"):  # each queue's pick
            actions.approve_task(w.approvers[matter], task_id, opinion="同意")
        enter("issue")
        actions.issue_results(w.clerk, app.pk, method="electronic")
        enter("")
        return app.pk

    from django.conf import settings

    assert not settings.DEBUG, "run the benchmark with DEBUG off (as deployed)"
    bare = bare_flow(w, stage)
    for _ in range(10):  # warm up: caches, prepared paths
        one()
    counts.clear()
    spent.clear()
    profile = None
    if os.environ.get("BENCH_PROFILE"):  # where the time goes: BENCH_PROFILE=1 ... --child sqlite
        import cProfile

        profile = cProfile.Profile()
    ids: list[int] = []
    wall = cpu = base_wall = base_cpu = 0.0
    for done in range(0, n, BLOCK):  # OneStop and the baseline take turns, so the host's drift hits both alike
        size = min(BLOCK, n - done)
        with connection.execute_wrapper(counting):
            if profile:
                profile.enable()
            t, c = time.perf_counter(), time.process_time()
            ids += [one() for _ in range(size)]
            wall, cpu = wall + time.perf_counter() - t, cpu + time.process_time() - c
            if profile:
                profile.disable()
        t, c = time.perf_counter(), time.process_time()
        for _ in range(size):
            bare()
        base_wall, base_cpu = base_wall + time.perf_counter() - t, base_cpu + time.process_time() - c
    if profile is not None:
        import pstats

        pstats.Stats(profile, stream=sys.stderr).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)
    from onestop.approvals.models import Application

    issued = Application.objects.filter(pk__in=ids, state="issued").count()
    return {"vendor": vendor, "n": n, "seconds": wall, "cpu": cpu, "per_second": n / wall,
            "baseline_per_second": n / base_wall, "baseline_cpu": base_cpu,
            "statements": sum(counts.values()) / n, "by_step": {k: v / n for k, v in counts.items()},
            "ms_by_step": {k: 1000 * v / n for k, v in spent.items()},
            "issued": issued, "migrated_in": migrated}


def bare_flow(w, stage):  # noqa: ANN001, ANN201
    """The baseline: the same rows written in the same eight transactions with plain ORM bulk inserts and
    updates, and nothing else: no permission checks, no clock logs or deadlines, no audit trail, no join
    lock. What OneStop's rules cost is the ratio between the two."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from onestop.approvals.models import Application, SubmittedMaterial, Task
    from onestop.catalog.models import Material

    matters = list(stage.matters.all())
    materials = list(Material.objects.filter(matter__in=matters).values_list("pk", flat=True))

    def one() -> None:
        now = timezone.now()
        with transaction.atomic():
            app = Application.objects.create(stage=stage, channel="window", created_by=w.clerk, project=w.project,
                                             taken_at=w.centre, handled_at=w.centre, submitted_at=now)
            SubmittedMaterial.objects.bulk_create([SubmittedMaterial(application=app, material_id=m, status="provided")
                                                   for m in materials])
        with transaction.atomic():
            tasks = Task.objects.bulk_create([Task(application=app, matter=m, department_id=m.department_id)
                                              for m in matters])
            Application.objects.filter(pk=app.pk).update(state="in_review", accepted_at=now, open_tasks=len(tasks))
        for task in tasks:
            with transaction.atomic():
                Task.objects.filter(pk=task.pk).update(state="approved", opinion="同意", decided_at=now)
                Application.objects.filter(pk=app.pk, state="in_review").update(open_tasks=F("open_tasks") - 1)
        with transaction.atomic():
            Application.objects.filter(pk=app.pk).update(state="issued", issued_at=now, issue_method="electronic")

    return one


def child(vendor: str, n: int) -> dict:
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret", "ALLOWED_HOSTS": "localhost"}
    with tempfile.TemporaryDirectory() as tmp:
        if vendor == "sqlite":
            env["DATABASE_URL"], env["ONESTOP_VAR"] = f"sqlite:///{tmp}/bench.sqlite3", tmp
        else:
            env["DATABASE_URL"] = fresh_postgres()
        out = subprocess.run([sys.executable, __file__, "--child", vendor, "--n", str(n)], env=env, cwd=ROOT,
                             capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{vendor} run failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.n)))
        return
    print(f"{args.n} applications each: submit, intake, 5 departments approve in parallel, join, issue")
    for vendor in ([args.only] if args.only else ["sqlite", "postgresql"]):
        r = child(vendor, args.n)
        steps = ", ".join(f"{k} {v:.1f} ({r['ms_by_step'][k]:.1f} ms)" for k, v in r["by_step"].items())
        verdict = "meets" if r["per_second"] >= GOALS[vendor] else "below"
        print(f"{vendor:>10}: {r['per_second']:6.1f} applications/s ({r['seconds']:.2f} s wall, {r['cpu']:.2f} s CPU), "
              f"{r['statements']:.1f} SQL statements per application, by step with its time ({steps}); goal {GOALS[vendor]}/s: {verdict}; "
              f"{r['issued']} issued\n{'':>12}per application: {1000 * r['seconds'] / r['n']:.1f} ms, of which "
              f"{1000 * r['cpu'] / r['n']:.1f} ms CPU in this process and {1000 * (r['seconds'] - r['cpu']) / r['n']:.1f} ms "
              f"off this process's CPU (the database server, the disk, other processes)\n{'':>12}baseline (the same rows, bare ORM writes, no rules): "
              f"{r['baseline_per_second']:.1f}/s, {1000 * r['baseline_cpu'] / r['n']:.1f} ms CPU per application in this process; OneStop runs at {r['per_second'] / r['baseline_per_second']:.2f}x of it")


if __name__ == "__main__":
    main()
