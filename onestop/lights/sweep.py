"""The light sweep (亮灯巡检) of `onestop worker`: handle every yellow and red transition once per episode.

For each concrete clock model, the running clocks whose warn or due point has passed and whose watch has
not yet been handled for their current deadline are claimed one by one with a conditional update, the
healthchecks `sendalerts` pattern (`filter(pk=..., red_for=<value read>).update(red_for=due_at)`), done for a
whole batch in one UPDATE ... FROM (the batch's values) ... RETURNING statement.
Of several sweepers that read the same old value only one updates the row (PostgreSQL re-checks the
condition after the first commits); the others see 0 rows and move on. The claim and what it causes
(inbox notifications, the ledger entry, the audit event) are one transaction; the e-mails are a queued
task (`lights.tasks`), enqueued after commit.

A batch is a handful of statements whatever its size (read the watches, claim, read the subjects and their
people, open or reuse the ledger entries, store the notices, one audit event): on PostgreSQL the claim and
the inserts take each column as one array (`onestop.sql.insert_many`), as building model instances and binding
tens of thousands of values in Python was most of a 10,000-task sweep.

`CLAIM_CONDITIONALLY` exists only so the concurrency test can show that a plain update double-handles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onestop.audit.actions import record
from onestop.sql import insert_many
from onestop.org.models import Role
from onestop.worktime.clock import SHANGHAI
from onestop.worktime.models import Clock, clock_models
from onestop.worktime.queries import red_q, yellow_q

from . import subjects as subj
from .models import LedgerEntry, LedgerState, SweepMark, Watch
from .actions import deliver_rows

BATCH = 1000
PAGE = 50_000  # candidates read by one query (see `_candidates`); claimed and handled BATCH at a time
FULL_EVERY = timedelta(minutes=10)  # a full pass catches deadlines moved into the past (long pauses resumed)
SLACK = timedelta(hours=1)  # incremental passes look back this far before the last one (clock skew)
CLAIM_CONDITIONALLY = True


@dataclass
class SweepResult:
    yellow: int = 0
    red: int = 0
    notifications: int = 0
    opened: int = 0
    reused: int = 0
    handled: list[tuple[str, str, int]] = field(default_factory=list)  # (light, clock type, id)

    def add(self, other: SweepResult) -> None:
        for name in ("yellow", "red", "notifications", "opened", "reused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.handled += other.handled


def sweep(now: datetime | None = None, models_: list[type[Clock]] | None = None, batch: int = BATCH,
          full: bool | None = None) -> SweepResult:
    """One pass over every clock model; returns what this process handled.

    Incremental by default (only points passed since the last pass, minus a slack, through the due_at /
    warn_at indexes), full every FULL_EVERY or when `full` is true; `full=False` forces incremental.
    """
    now = now or timezone.now()
    total = SweepResult()
    for model in models_ or clock_models():
        for colour in ("red", "yellow"):
            since = _since(model, colour, now, full)
            while True:
                pairs = _candidates(model, colour, now, PAGE, since)
                for start in range(0, len(pairs), batch):
                    total.add(_handle_batch(model, colour, pairs[start:start + batch], now))
                if len(pairs) < PAGE:  # else more than a page was due: read again (handled ones now excluded)
                    break
            _advance(model, colour, now, since is None)
    return total


def _since(model: type[Clock], colour: str, now: datetime, full: bool | None) -> datetime | None:
    """Where an incremental pass starts, or None for a full pass."""
    mark = SweepMark.objects.filter(clock_type=model._meta.label, colour=colour).first()
    if full or mark is None or now < mark.swept_until:
        return None
    if full is None and now - mark.full_at >= FULL_EVERY:
        return None
    return mark.swept_until - SLACK


def _advance(model: type[Clock], colour: str, now: datetime, was_full: bool) -> None:
    mark, _ = SweepMark.objects.get_or_create(clock_type=model._meta.label, colour=colour,
                                              defaults={"swept_until": now, "full_at": now})
    SweepMark.objects.filter(pk=mark.pk, swept_until__lt=now).update(swept_until=now)
    if was_full:
        SweepMark.objects.filter(pk=mark.pk, full_at__lt=now).update(full_at=now)


def _candidates(model: type[Clock], colour: str, now: datetime, limit: int,
                since: datetime | None = None) -> list[tuple[int, datetime]]:
    """Running clocks of `colour` now whose transition is not handled for their current deadline, in pk order.

    No ORDER BY: a full pass must check every running clock past its point against its watch, and in deadline
    order under a LIMIT PostgreSQL walked the whole due_at index (finished tasks too) probing the watches one
    by one (5 s at 1M tasks with nothing to do); unordered it hashes the watches and reads the tasks once
    (0.5 s). An incremental pass reads its narrow due_at / warn_at range either way.
    """
    handled = Watch.objects.filter(clock_type=model._meta.label, clock_id=OuterRef("pk"))
    handled = handled.filter(red_for=OuterRef("due_at")) if colour == "red" else handled.filter(
        yellow_for=OuterRef("due_at"))
    q = red_q(now) if colour == "red" else yellow_q(now)
    rows = model.objects.filter(q)
    if since is not None:
        rows = rows.filter(**{"due_at__gt" if colour == "red" else "warn_at__gt": since})
    rows = rows.filter(~Exists(handled)).order_by().values_list("pk", "due_at")
    return sorted(rows[:limit])


def _watches(label: str, ids: list[int]) -> dict[int, tuple[int, datetime | None, datetime | None]]:
    """(watch id, yellow_for, red_for) of each clock, the watch created (insert guarded by the unique
    constraint) where missing."""
    def read(among: list[int]) -> dict[int, tuple[int, datetime | None, datetime | None]]:
        rows = Watch.objects.filter(clock_type=label, clock_id__in=among)
        return {c: (pk, y, r) for c, pk, y, r in rows.values_list("clock_id", "pk", "yellow_for", "red_for")}

    found = read(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        Watch.objects.bulk_create([Watch(clock_type=label, clock_id=i) for i in missing], ignore_conflicts=True)
        found.update(read(missing))
    return found


def _claim(watches: dict[int, tuple[int, datetime | None, datetime | None]], colour: str,
           pairs: list[tuple[int, datetime]]) -> set[int]:
    """The conditional update, one statement per batch: the clocks whose watch this sweeper moved from the
    state it read to the new deadline. Of sweepers that read the same old state, only one matches each row:
    PostgreSQL re-checks `IS NOT DISTINCT FROM old` on the row version left by the sweeper that went first."""
    col = connection.ops.quote_name(f"{colour}_for")
    at = 1 if colour == "yellow" else 2
    rows = [(watches[pk][0], watches[pk][at], due) for pk, due in pairs if watches[pk][at] != due]
    if not rows:
        return set()
    extra = ', "yellow_for" = v.due, "episodes" = w."episodes" + 1' if colour == "red" else ""
    guard = f" AND w.{col} IS NOT DISTINCT FROM v.old" if CLAIM_CONDITIONALLY else ""
    table = connection.ops.quote_name(Watch._meta.db_table)
    if connection.vendor == "postgresql":  # the batch as three arrays: one statement text for any batch size
        sql = (f"UPDATE {table} AS w SET {col} = v.due{extra} "
               f"FROM unnest(%b::bigint[], %b::timestamptz[], %b::timestamptz[]) AS v(id, old, due) "
               f"WHERE w.id = v.id{guard} RETURNING w.clock_id")
        params = [list(c) for c in zip(*rows)]
    else:  # SQLite: one writer at a time; the same statement with SQLite's spelling
        adapt = connection.ops.adapt_datetimefield_value
        values = ", ".join(["(%s, %s, %s)"] * len(rows))
        sql = (f"WITH v(id, old, due) AS (VALUES {values}) UPDATE {table} AS w SET {col} = v.due{extra} FROM v "
               f"WHERE w.id = v.id{guard.replace('IS NOT DISTINCT FROM', 'IS')} RETURNING clock_id")
        params = [x for pk, old, due in rows for x in (pk, adapt(old), adapt(due))]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {r[0] for r in cur.fetchall()}


def _handle_batch(model: type[Clock], colour: str, pairs: list[tuple[int, datetime]], now: datetime) -> SweepResult:
    label = model._meta.label
    done = SweepResult()
    with transaction.atomic():
        watches = _watches(label, [pk for pk, _ in pairs])
        won = _claim(watches, colour, pairs)
        claimed = [(pk, due) for pk, due in pairs if pk in won]
        if not claimed:
            return done
        found = subj.subjects(model, [pk for pk, _ in claimed])
        items = [(found[pk], due) for pk, due in claimed if pk in found]
        if colour == "yellow":
            notes = _yellow(items, now)
            done.yellow = len(items)
        else:
            notes, opened, reused = _red(items, now)
            done.red, done.opened, done.reused = len(items), len(opened), len(reused)
            record(("lights.Sweep", now.astimezone(SHANGHAI).date().isoformat()), "lights.red_handled", None,
                   after={"clock_type": label, "clocks": [s.clock_id for s, _ in items], "opened": opened,
                          "reused": reused})
        # the inbox's one write path: stored now in one statement, e-mailed by one queued task after the commit
        done.notifications = len(deliver_rows(notes))
        done.handled = [(colour, label, s.clock_id) for s, _ in items]
    return done


def _yellow(items: list[tuple[subj.Subject, datetime]], now: datetime) -> list[tuple]:
    approvers = subj.staff_of({s.department_id for s, _ in items if s.department_id}, Role.APPROVER)
    notes = []
    for s, due in items:
        title = f"黄灯预警：{s.title}"[:255]
        body = f"即将到期（{_local(due)}）。Close to its time limit (due {_local(due)})."
        notes += [_note(person, "yellow", title, body, s, now) for person in subj.yellow_handlers(s, approvers)]
    return notes


def _red(items: list[tuple[subj.Subject, datetime]], now: datetime) -> tuple[list[tuple], list[int], list[int]]:
    depts = {s.department_id for s, _ in items if s.department_id}
    heads = subj.staff_of(depts, Role.DEPARTMENT_HEAD)
    stewards = subj.project_stewards(s.project_id for s, _ in items if s.project_id)
    entries, opened, reused = _open_entries(items, now, heads)
    notes = []
    for s, due in items:
        number = f"GZ{entries[s.clock_id]:06d}"  # LedgerEntry.number
        title = f"红灯超期：{s.title}"[:255]
        body = f"已超过承诺时限（{_local(due)}），已挂账 {number}。Overdue since {_local(due)}; ledger entry {number}."
        notes += [_note(person, "red", title, body, s, now) for person in subj.red_recipients(s, heads, stewards)]
    return notes, opened, reused


LEDGER_FIELDS = ("clock_type", "clock_id", "title", "link", "department_id", "responsible_id", "project_id",
                 "opened_at", "due_at", "last_red_at")


def _open_entries(items: list[tuple[subj.Subject, datetime]], now: datetime,
                  heads: dict[int, list[int]]) -> tuple[dict[int, int], list[int], list[int]]:
    """The open ledger entry (its id) of each clock: reused if there is one (one more episode), else a new one."""
    label = items[0][0].clock_type
    ids = [s.clock_id for s, _ in items]
    existing = dict(LedgerEntry.objects.filter(clock_type=label, clock_id__in=ids).exclude(state=LedgerState.CLOSED)
                    .order_by().values_list("clock_id", "pk"))
    if existing:
        LedgerEntry.objects.filter(pk__in=existing.values()).update(episodes=models.F("episodes") + 1, last_red_at=now)
    new = []
    for s, due in items:
        if s.clock_id in existing:
            continue
        responsible = s.person_id or (heads.get(s.department_id) or [None])[0]
        new.append((label, s.clock_id, s.title[:255], s.link, s.department_id, responsible, s.project_id, now, due, now))
    created = dict((clock, pk) for pk, clock in insert_many(LedgerEntry, LEDGER_FIELDS, new, ("id", "clock_id")))
    return {**existing, **created}, list(created.values()), list(existing.values())


def _note(person: int, kind: str, title: str, body: str, s: subj.Subject, now: datetime) -> tuple:
    """The values of `actions.NOTE_FIELDS`."""
    return (person, kind, title, body, s.link[:255], s.project_id, s.clock_type, s.clock_id, now)


def _local(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
