"""The light sweep (亮灯巡检) of `onestop worker`: handle every yellow and red transition once per episode.

For each concrete clock model, the running clocks whose warn or due point has passed and whose watch has
not yet been handled for their current deadline are claimed one by one with a conditional update, the
healthchecks `sendalerts` pattern (`filter(pk=..., red_for=<value read>).update(red_for=due_at)`), done for a
whole batch in one UPDATE ... FROM (VALUES ...) ... RETURNING statement.
Of several sweepers that read the same old value only one updates the row (PostgreSQL re-checks the
condition after the first commits); the others see 0 rows and move on. The claim and what it causes
(inbox notifications, the ledger entry, the audit event) are one transaction; the e-mails are a queued
task (`lights.tasks`), enqueued after commit.

`CLAIM_CONDITIONALLY` exists only so the concurrency test can show that a plain update double-handles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onestop.audit.actions import record
from onestop.org.models import Role
from onestop.worktime.clock import SHANGHAI
from onestop.worktime.models import Clock, clock_models
from onestop.worktime.queries import red_q, yellow_q

from . import subjects as subj
from .models import LedgerEntry, LedgerState, Notification, SweepMark, Watch
from .actions import deliver

BATCH = 1000
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
                ids = _candidates(model, colour, now, batch, since)
                if not ids:
                    break
                total.add(_handle_batch(model, colour, ids, now))
                if len(ids) < batch:
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
    """Running clocks of `colour` now whose transition is not handled for their current deadline."""
    handled = Watch.objects.filter(clock_type=model._meta.label, clock_id=OuterRef("pk"))
    handled = handled.filter(red_for=OuterRef("due_at")) if colour == "red" else handled.filter(
        yellow_for=OuterRef("due_at"))
    q = red_q(now) if colour == "red" else yellow_q(now)
    rows = model.objects.filter(q)
    if since is not None:
        rows = rows.filter(**{"due_at__gt" if colour == "red" else "warn_at__gt": since})
    # in deadline order, so an incremental pass reads the due_at / warn_at index range (ordering by pk let
    # PostgreSQL walk the primary key of the whole table); each batch is claimed in pk order
    point = "due_at" if colour == "red" else "warn_at"
    rows = rows.filter(~Exists(handled)).order_by(point, "pk").values_list("pk", "due_at")
    return sorted(rows[:limit])


def _watches(label: str, ids: list[int]) -> dict[int, Watch]:
    """The watch row of each clock, created (insert guarded by the unique constraint) where missing."""
    found = {w.clock_id: w for w in Watch.objects.filter(clock_type=label, clock_id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        Watch.objects.bulk_create([Watch(clock_type=label, clock_id=i) for i in missing], ignore_conflicts=True)
        found.update({w.clock_id: w for w in Watch.objects.filter(clock_type=label, clock_id__in=missing)})
    return found


def _claim(watches: dict[int, Watch], colour: str, pairs: list[tuple[int, datetime]]) -> set[int]:
    """The conditional update, one statement per batch: the clocks whose watch this sweeper moved from the
    state it read to the new deadline. Of sweepers that read the same old state, only one matches each row:
    PostgreSQL re-checks `IS NOT DISTINCT FROM old` on the row version left by the sweeper that went first."""
    col = connection.ops.quote_name(f"{colour}_for")
    rows = [(watches[pk].pk, getattr(watches[pk], f"{colour}_for"), due) for pk, due in pairs
            if getattr(watches[pk], f"{colour}_for") != due]
    if not rows:
        return set()
    extra = ', "yellow_for" = v.due, "episodes" = w."episodes" + 1' if colour == "red" else ""
    guard = f" AND w.{col} IS NOT DISTINCT FROM v.old" if CLAIM_CONDITIONALLY else ""
    table = connection.ops.quote_name(Watch._meta.db_table)
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::bigint, %s::timestamptz, %s::timestamptz)"] * len(rows))
        sql = (f"UPDATE {table} AS w SET {col} = v.due{extra} FROM (VALUES {values}) AS v(id, old, due) "
               f"WHERE w.id = v.id{guard} RETURNING w.clock_id")
        params = [x for r in rows for x in r]
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
        deliver(notes)  # the inbox's one write path: stored now, e-mailed after the commit
        done.notifications = len(notes)
        done.handled = [(colour, label, s.clock_id) for s, _ in items]
    return done


def _yellow(items: list[tuple[subj.Subject, datetime]], now: datetime) -> list[Notification]:
    approvers = subj.staff_of({s.department_id for s, _ in items if s.department_id}, Role.APPROVER)
    notes = []
    for s, due in items:
        for person in subj.yellow_handlers(s, approvers):
            notes.append(_note(person, "yellow", f"黄灯预警：{s.title}",
                               f"即将到期（{_local(due)}）。Close to its time limit (due {_local(due)}).", s, now))
    return notes


def _red(items: list[tuple[subj.Subject, datetime]], now: datetime) -> tuple[list[Notification], list[int], list[int]]:
    depts = {s.department_id for s, _ in items if s.department_id}
    heads = subj.staff_of(depts, Role.DEPARTMENT_HEAD)
    stewards = subj.project_stewards(s.project_id for s, _ in items if s.project_id)
    entries, opened, reused = _open_entries(items, now, heads)
    notes = []
    for s, due in items:
        entry = entries[s.clock_id]
        for person in subj.red_recipients(s, heads, stewards):
            n = _note(person, "red", f"红灯超期：{s.title}",
                      f"已超过承诺时限（{_local(due)}），已挂账 {entry.number}。"
                      f"Overdue since {_local(due)}; ledger entry {entry.number}.", s, now)
            notes.append(n)
    return notes, opened, reused


def _open_entries(items: list[tuple[subj.Subject, datetime]], now: datetime,
                  heads: dict[int, list[int]]) -> tuple[dict[int, LedgerEntry], list[int], list[int]]:
    """The open ledger entry of each clock: reused if there is one (one more episode), else a new one."""
    label = items[0][0].clock_type
    ids = [s.clock_id for s, _ in items]
    existing = {e.clock_id: e for e in LedgerEntry.objects.filter(clock_type=label, clock_id__in=ids)
                .exclude(state=LedgerState.CLOSED)}
    if existing:
        LedgerEntry.objects.filter(pk__in=[e.pk for e in existing.values()]).update(
            episodes=models.F("episodes") + 1, last_red_at=now)
        for e in existing.values():
            e.episodes += 1
    new = []
    for s, due in items:
        if s.clock_id in existing:
            continue
        responsible = s.person_id or (heads.get(s.department_id) or [None])[0]
        new.append(LedgerEntry(clock_type=label, clock_id=s.clock_id, title=s.title, link=s.link,
                               department_id=s.department_id, responsible_id=responsible, project_id=s.project_id,
                               opened_at=now, due_at=due, last_red_at=now))
    created = LedgerEntry.objects.bulk_create(new)
    if created and created[0].pk is None:  # backends that do not return keys
        created = list(LedgerEntry.objects.filter(clock_type=label, clock_id__in=[e.clock_id for e in new])
                       .exclude(state=LedgerState.CLOSED))
    entries = {**existing, **{e.clock_id: e for e in created}}
    return entries, [e.pk for e in created], [e.pk for e in existing.values()]


def _note(person: int, kind: str, title: str, body: str, s: subj.Subject, now: datetime) -> Notification:
    return Notification(recipient_id=person, kind=kind, title=title[:255], body=body, link=s.link,
                        project_id=s.project_id, source_type=s.clock_type, source_id=s.clock_id, created_at=now)


def _local(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
