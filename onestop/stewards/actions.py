"""The write side of the steward's work: one function per thing a person does, one transaction each.

Every action finds the project through `stewards.access` (404 when the caller does not see it), checks what
the caller may do (403), validates (400 naming the field) and appends an audit event to the project's
chain. Nothing is written when any check fails. The battle plan and the division-of-labour table are in
`plan_actions`.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onestop.audit.actions import record
from onestop.enterprises import actions as enterprise_actions
from onestop.enterprises.models import Project
from onestop.errors import Conflict, InvalidInput, field_error
from onestop.org import access as org_access
from onestop.org.models import Account, Role
from onestop.stewards import access, attachments
from onestop.lights import actions as inbox
from onestop.lights.models import Notification, NotificationKind
from onestop.stewards.models import Assignment, Message, Receipt, StewardRole

MAX_BODY = 4000
MENTION = re.compile(r"@([\w.+-]+)")


# --- assignment (指派项目管家) ----------------------------------------------------------------------


def _steward(pk: Any, field: str) -> Account:
    found = Account.objects.filter(pk=pk, role=Role.STEWARD, is_active=True).first() if isinstance(pk, int) else None
    if found is None:
        raise field_error(field, "请选择在岗的项目管家。", "Must be an active steward.")
    return found


def _current(project: Project) -> list[Assignment]:
    return list(Assignment.objects.select_for_update().filter(project=project, until__isnull=True))


def _sync_lead(project: Project, rows: list[Assignment], actor: Account, now: datetime) -> list[Assignment]:
    """Make the current lead row agree with `Project.lead_steward` (set by creation or the enterprises API)."""
    lead = next((r for r in rows if r.role == StewardRole.LEAD), None)
    if (lead.steward_id if lead is not None else None) == project.lead_steward_id:
        return rows
    if lead is not None:
        lead.until = now
        lead.save(update_fields=["until"])
        rows.remove(lead)
    if project.lead_steward_id is not None:
        rows = [r for r in rows if not (r.steward_id == project.lead_steward_id and _close(r, now))]
        rows.append(Assignment.objects.create(project=project, steward_id=project.lead_steward_id,
                                              role=StewardRole.LEAD, since=now, assigned_by=None,
                                              reason="synchronised with the project's lead steward"))
    record(project, "stewards.lead_synchronised", actor, after=_rows(rows))
    return rows


def _close(row: Assignment, now: datetime) -> bool:
    row.until = now
    row.save(update_fields=["until"])
    return True


def _rows(rows: list[Assignment]) -> list[dict]:
    return [{"steward": r.steward_id, "role": r.role} for r in sorted(rows, key=lambda r: (r.role, r.steward_id))]


def assign_lead(actor: Account, project_id: int, steward_id: int, *, reason: str = "",
                at: datetime | None = None) -> Assignment:
    """指派/更换牵头管家: administrator or the area's supervisor; the old lead's row ends, history kept.

    Goes through `enterprises.actions.assign_project_staff`, so `Project.lead_steward` changes in the same
    transaction; a helper who becomes lead stops being a helper.
    """
    now = at or timezone.now()
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        org_access.require(org_access.can_assign_project_staff(actor, project), "您不能指派项目管家。",
                           "You may not assign stewards.", fields={"steward_id": "not allowed"})
        steward = _steward(steward_id, "steward_id")
        rows = _sync_lead(project, _current(project), actor, now)
        before = _rows(rows)
        if project.lead_steward_id == steward.pk:
            return next(r for r in rows if r.role == StewardRole.LEAD)
        for row in [r for r in rows if r.role == StewardRole.LEAD or r.steward_id == steward.pk]:
            _close(row, now)
            rows.remove(row)
        enterprise_actions.assign_project_staff(actor, project.pk, lead_steward_id=steward.pk)
        row = Assignment.objects.create(project=project, steward=steward, role=StewardRole.LEAD, since=now,
                                        assigned_by=actor, reason=reason.strip()[:255])
        record(project, "stewards.lead_assigned", actor, before=before, after=_rows([*rows, row]), reason=reason)
        _notify([steward], NotificationKind.ASSIGNED, f"您被指派为“{project.name}”的牵头管家。", project, now)
    return row


def add_helper(actor: Account, project_id: int, steward_id: int, *, reason: str = "",
               at: datetime | None = None) -> Assignment:
    """增加协办管家: administrator, the area's supervisor, or the project's lead steward."""
    now = at or timezone.now()
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        allowed = org_access.can_assign_project_staff(actor, project) or project.lead_steward_id == actor.pk
        org_access.require(allowed, "您不能指派协办管家。", "You may not assign helper stewards.",
                           fields={"steward_id": "not allowed"})
        steward = _steward(steward_id, "steward_id")
        rows = _sync_lead(project, _current(project), actor, now)
        if any(r.steward_id == steward.pk for r in rows):
            raise Conflict("该管家已在此项目中。", "This steward is already on the project.", state="assigned")
        before = _rows(rows)
        row = Assignment.objects.create(project=project, steward=steward, role=StewardRole.HELPER, since=now,
                                        assigned_by=actor, reason=reason.strip()[:255])
        record(project, "stewards.helper_added", actor, before=before, after=_rows([*rows, row]), reason=reason)
        _notify([steward], NotificationKind.ASSIGNED, f"您被指派为“{project.name}”的协办管家。", project, now)
    return row


def remove_helper(actor: Account, project_id: int, steward_id: int, *, reason: str = "",
                  at: datetime | None = None) -> Assignment:
    """撤回协办管家: the row ends (kept in the history)."""
    now = at or timezone.now()
    with transaction.atomic():
        project = access.project_for(actor, project_id, for_update=True)
        allowed = org_access.can_assign_project_staff(actor, project) or project.lead_steward_id == actor.pk
        org_access.require(allowed, "您不能撤回协办管家。", "You may not remove helper stewards.")
        rows = _current(project)
        row = next((r for r in rows if r.steward_id == steward_id and r.role == StewardRole.HELPER), None)
        if row is None:
            raise field_error("steward_id", "该管家不是本项目的协办管家。", "Not a helper steward of this project.")
        before = _rows(rows)
        _close(row, now)
        record(project, "stewards.helper_removed", actor, before=before,
               after=_rows([r for r in rows if r is not row]), reason=reason)
    return row


def lead_on(project: Project | int, when: datetime) -> int | None:
    """The id of the project's lead steward at `when`, from the history (else the current lead)."""
    pid = project if isinstance(project, int) else project.pk
    row = (Assignment.objects.filter(project_id=pid, role=StewardRole.LEAD, since__lte=when)
           .exclude(until__lte=when).order_by("-since").first())
    if row is not None:
        return row.steward_id
    return Project.objects.filter(pk=pid).values_list("lead_steward_id", flat=True).first()


# --- the liaison group (联络群) ----------------------------------------------------------------------


def project_link(project: Project | int, anchor: str = "") -> str:
    """The path of a project's workspace (where a steward's notice leads)."""
    pk = project if isinstance(project, int) else project.pk
    return reverse("stewards:project", args=[pk]) + (f"#{anchor}" if anchor else "")


def _notify(recipients: list[Account], kind: str, text: str, project: Project, now: datetime,
            message: Message | None = None) -> list[Notification]:
    """Notices in the platform's one inbox (`lights`), e-mailed like every other notice."""
    return inbox.notify(recipients, kind, text, link=project_link(project, "group" if message else ""),
                        project=project, source=message, at=now)


def _mentioned(body: str, project: Project, author: Account) -> list[Account]:
    names = {m.rstrip(".") for m in MENTION.findall(body)}
    if not names:
        return []
    found = Account.objects.filter(username__in=names, is_active=True).exclude(pk=author.pk)
    return [a for a in found if access.sees(a, project)]


def post_message(actor: Account, project_id: int, body: str = "", *, attachment_name: str = "",
                 attachment_data: bytes | None = None, at: datetime | None = None) -> Message:
    """在联络群发言: a message with an optional attachment; each member @mentioned is notified."""
    now = at or timezone.now()
    body = (body or "").strip()
    with transaction.atomic():
        project = access.project_for(actor, project_id)
        org_access.require(access.can_post(actor, project), "您不能在该项目群发言。", "You may not post in this group.")
        checked = attachments.check(attachment_name, attachment_data) if attachment_data is not None else None
        if not body and checked is None:
            raise field_error("body", "请输入消息内容或附件。", "Write a message or attach a file.", code="required")
        if len(body) > MAX_BODY:
            raise field_error("body", f"消息不得超过 {MAX_BODY} 字。", f"At most {MAX_BODY} characters.")
        message = Message(project=project, author=actor, body=body, created_at=now)
        if checked is not None:
            message.attachment_name, message.attachment_type = checked.name, checked.content_type
            message.attachment_size, message.attachment_sha256 = checked.size, checked.sha256
            message.attachment_data = checked.data
        message.save()
        mentioned = _mentioned(body, project, actor)
        message.mentions.set(mentioned)
        author = actor.display_name or actor.username
        _notify(mentioned, NotificationKind.MENTION, f"{author} 在“{project.name}”联络群中提到了您。", project, now, message)
        record(project, "stewards.message_posted", actor, after={
            "message": message.pk, "length": len(body), "attachment": checked.name if checked else "",
            "attachment_sha256": checked.sha256 if checked else "", "mentions": [p.pk for p in mentioned],
        })
    return message


def mark_read(actor: Account, project_id: int, *, at: datetime | None = None) -> int:
    """已读: receipts for every message of others the caller has not read yet; returns how many."""
    now = at or timezone.now()
    with transaction.atomic():
        project = access.project_for(actor, project_id)
        unread = list(Message.objects.filter(project=project).exclude(author=actor)
                      .exclude(receipts__reader=actor).values_list("pk", flat=True))
        if not unread:
            return 0
        Receipt.objects.bulk_create([Receipt(message_id=pk, reader=actor, read_at=now) for pk in unread],
                                    ignore_conflicts=True)
        # reading the group reads its @mentions in the inbox too (the same rows the header counts)
        Notification.objects.filter(recipient=actor, source_type=Message._meta.label, source_id__in=unread,
                                    read_at__isnull=True).update(read_at=now)
        record(project, "stewards.messages_read", actor, after={"messages": unread})
    return len(unread)


def refuse_unknown(data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput("含有未知字段。", "Unknown fields.", fields={f: "unknown field" for f in sorted(unknown)})
