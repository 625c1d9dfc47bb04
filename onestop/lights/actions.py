"""The write side of the ledger and the inbox: one function per thing a person does, audited.

- `answer_entry`: the department head records the reason (原因) and the remedy (整改措施);
- `close_entry`: a supervisor closes the entry (销号), only with a resolution (销号说明), only once;
- `notify` / `deliver` (`deliver_rows` for the light sweep's thousands): the one write path of the platform's
  inbox (站内消息), used by the light sweep, the stewards (assignment, @mentions, late milestones) and feedback
  (overdue follow-ups). Every notice is stored and, once the writer's transaction commits, e-mailed
  through the task queue to its recipient if the account has an address (`lights.tasks`): one behaviour
  for every kind, so a mail server that is slow or down never holds the writer;
- `mark_read` / `mark_all_read`: the inbox. A notice read anywhere (the inbox page, the steward's desk,
  either API) is the same row, so it is read everywhere.
The opening of ledger entries is the sweep's (`lights.sweep`).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from django.db import models, transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.errors import Conflict, Forbidden, InvalidInput, NotFound
from onestop.org.access import is_logged_in
from onestop.org.models import Role
from onestop.sql import insert_many

from .access import entry_filter
from .models import LedgerEntry, LedgerState, Notification
from .tasks import mail_notifications

TEXT_MAX = 4000


def _locked_entry(actor: Any, pk: int) -> LedgerEntry:
    q = entry_filter(actor)
    rows = LedgerEntry.objects.all() if q is None else LedgerEntry.objects.filter(q)
    if not rows.filter(pk=pk).exists():
        raise NotFound("ledger entry", "挂账记录")
    return LedgerEntry.objects.select_for_update().get(pk=pk)


def _text(value: Any, name: str, zh: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InvalidInput(f"{zh}须为文字。", f"{name} must be text.", fields={name: "must be text"})
    return text


def _required(values: dict[str, tuple[Any, str]]) -> dict[str, str]:
    """Each value stripped; every empty or too long one named in one 400."""
    out, problems, zh_names = {}, {}, []
    for name, (value, zh) in values.items():
        text = _text(value, name, zh)
        if not text:
            problems[name] = "required"
            zh_names.append(zh)
        elif len(text) > TEXT_MAX:
            problems[name] = f"at most {TEXT_MAX} characters"
            zh_names.append(zh)
        out[name] = text
    if problems:
        raise InvalidInput(f"请填写{'、'.join(zh_names)}。", "Please fill in: " + ", ".join(problems) + ".",
                           fields=problems)
    return out


def answer_entry(actor: Any, pk: int, *, reason: str, remedy: str, at: datetime | None = None) -> LedgerEntry:
    """The department explains why it went red and what it does about it (may be revised until closed)."""
    at = at or timezone.now()
    with transaction.atomic():
        entry = _locked_entry(actor, pk)
        if not (actor.role == Role.DEPARTMENT_HEAD and actor.department_id == entry.department_id):
            raise Forbidden("只有责任部门的负责人可以说明原因和整改措施。",
                            "Only the head of the responsible department answers a ledger entry.")
        if entry.state == LedgerState.CLOSED:
            raise Conflict("该挂账已销号。", "This ledger entry is already closed.", state=entry.state)
        text = _required({"reason": (reason, "原因"), "remedy": (remedy, "整改措施")})
        before = snapshot(entry, ["state", "reason", "remedy"])
        entry.reason, entry.remedy = text["reason"], text["remedy"]
        entry.state, entry.answered_by, entry.answered_at = LedgerState.ANSWERED, actor, at
        entry.save(update_fields=["reason", "remedy", "state", "answered_by", "answered_at"])
        record(entry, "lights.ledger_answered", actor, before=before, after=snapshot(entry, ["state", "reason", "remedy"]))
    return entry


def close_entry(actor: Any, pk: int, *, resolution: str, at: datetime | None = None) -> LedgerEntry:
    """销号: a supervisor closes the entry with the resolution recorded."""
    at = at or timezone.now()
    with transaction.atomic():
        entry = _locked_entry(actor, pk)
        if actor.role != Role.SUPERVISOR:
            raise Forbidden("只有督办人员可以销号。", "Only a supervisor closes a ledger entry.")
        if entry.state == LedgerState.CLOSED:
            raise Conflict("该挂账已销号，不能重复销号。", "This ledger entry is already closed.", state=entry.state)
        text = _required({"resolution": (resolution, "销号说明")})
        before = snapshot(entry, ["state", "resolution"])
        entry.resolution, entry.state, entry.closed_by, entry.closed_at = text["resolution"], LedgerState.CLOSED, actor, at
        entry.save(update_fields=["resolution", "state", "closed_by", "closed_at"])
        record(entry, "lights.ledger_closed", actor, before=before, after=snapshot(entry, ["state", "resolution"]),
               reason=text["resolution"])
    return entry


def mark_read(actor: Any, pk: int, at: datetime | None = None) -> Notification:
    if not is_logged_in(actor):
        raise NotFound("notification", "消息")
    with transaction.atomic():
        note = Notification.objects.select_for_update().filter(pk=pk, recipient=actor).first()
        if note is None:
            raise NotFound("notification", "消息")
        if note.read_at is None:
            note.read_at = at or timezone.now()
            note.save(update_fields=["read_at"])
            record(("lights.Inbox", actor.pk), "lights.notification_read", actor, after={"notification": pk})
    return note


def mark_all_read(actor: Any, at: datetime | None = None) -> int:
    if not is_logged_in(actor):
        return 0
    with transaction.atomic():
        count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=at or timezone.now())
        if count:
            record(("lights.Inbox", actor.pk), "lights.all_read", actor, after={"count": count})
    return count


# -- the inbox's one write path ------------------------------------------------------------------------


def deliver(notes: list[Notification]) -> list[Notification]:
    """Store `notes` (unsaved) and e-mail them after the current transaction commits."""
    if not notes:
        return []
    created = Notification.objects.bulk_create(notes)
    _mail_after_commit([n.pk for n in created if n.pk])
    return created


NOTE_FIELDS = ("recipient_id", "kind", "title", "body", "link", "project_id", "source_type", "source_id",
               "created_at")


def deliver_rows(rows: list[tuple]) -> list[int]:
    """`deliver` for thousands of notices (the light sweep's), given as values of NOTE_FIELDS (title and link
    at most 255 characters): stored in one statement, e-mailed after the commit by one queued task; their ids."""
    ids = [pk for (pk,) in insert_many(Notification, NOTE_FIELDS, rows)]
    _mail_after_commit(ids)
    return ids


def _mail_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: mail_notifications.enqueue(ids))


def _pk(value: Any) -> int | None:
    return value.pk if isinstance(value, models.Model) else value


def notify(recipients: Iterable[Any], kind: str, title: str, *, body: str = "", link: str = "",
           project: Any = None, source: models.Model | tuple[str, int] | None = None,
           at: datetime | None = None) -> list[Notification]:
    """One notice to each of `recipients` (accounts or their ids; each once), in the caller's transaction.

    `source` is the model instance (or `(label, id)`) the notice is about, so its app can find it again.
    """
    at = at or timezone.now()
    if isinstance(source, models.Model):
        source = (source._meta.label, source.pk)
    source_type, source_id = source or ("", None)
    people = dict.fromkeys(_pk(r) for r in recipients if _pk(r) is not None)
    return deliver([Notification(recipient_id=pk, kind=kind, title=title[:255], body=body, link=link[:255],
                                 project_id=_pk(project), source_type=source_type, source_id=source_id,
                                 created_at=at) for pk in people])
