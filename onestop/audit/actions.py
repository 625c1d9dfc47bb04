"""Writing the trail: `record` is called by every action, inside the action's transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as tz
from typing import Any, Iterable

from django.db import models, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.forms.models import model_to_dict
from django.utils import timezone

from onestop import sql
from onestop.audit.appending import append
from onestop.audit.hashing import GENESIS, checkpoint_hash, event_hash, to_json_value
from onestop.audit.models import Chain, Checkpoint, Event

SYSTEM_NAME = "system"


def aggregate_key(aggregate: models.Model | tuple[str, Any]) -> tuple[str, str]:
    """("catalog.Matter", "12") for a model instance, or the pair as given."""
    if isinstance(aggregate, models.Model):
        return aggregate._meta.label, str(aggregate.pk)
    kind, ident = aggregate
    return kind, str(ident)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's own field values as JSON, for an event's before/after."""
    return to_json_value(model_to_dict(instance, fields=list(fields) if fields else None))


def record(
    aggregate: models.Model | tuple[str, Any],
    action: str,
    actor: Any = None,
    *,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    first: bool = False,
    along: sql.Writes | None = None,
) -> Event:
    """Append one event to the aggregate's chain.

    Locks only that aggregate's chain head, so writers on other aggregates never wait; two writers on
    the same aggregate queue here (and normally already hold the aggregate's own row lock). `first` says
    the aggregate was just created, so its chain is started at once rather than looked for first (one
    statement less; were there a chain already, the event would be appended to it all the same). `along`
    are the action's own writes, stored with the event (on PostgreSQL by the same statement).
    """
    kind, ident = aggregate_key(aggregate)
    actor_name = (getattr(actor, "username", None) or SYSTEM_NAME) if actor is not None else SYSTEM_NAME
    fields = {"actor_id": getattr(actor, "pk", None), "actor_name": actor_name,
              "action": action, "before": to_json_value(before), "after": to_json_value(after), "reason": reason}
    with transaction.atomic(savepoint=False):
        return append(kind, ident, fields, first, along)


@dataclass
class Past:
    """An event that happened before the trail was kept here (a history brought in), to `record_history`."""

    at: datetime
    action: str
    actor: Any = None
    after: Any = None
    reason: str = ""
    before: Any = None


def record_history(stories: Iterable[tuple[models.Model | tuple[str, Any], list[Past]]], batch: int = 2000) -> int:
    """Start the chains of aggregates that have none yet with their past events, in order of time, hashed and
    linked exactly as `record` would have (so `verify` checks them like any other), in bulk: a history of
    thousands of aggregates is one insert of heads and a few of events. The number of events written."""
    heads, events = [], []
    for aggregate, past in stories:
        kind, ident = aggregate_key(aggregate)
        prev, seq = GENESIS, 0
        for seq, e in enumerate(sorted(past, key=lambda event: event.at), start=1):
            at = e.at.astimezone(tz.utc)  # as read back from the database, which is what is verified
            fields = {"actor_id": getattr(e.actor, "pk", None), "actor_name": getattr(e.actor, "username", SYSTEM_NAME),
                      "action": e.action, "before": to_json_value(e.before), "after": to_json_value(e.after),
                      "reason": e.reason}
            digest = event_hash(chain_key=f"{kind}:{ident}", seq=seq, at=at, prev_hash=prev, **fields)
            events.append((len(heads), Event(seq=seq, at=at, prev_hash=prev, hash=digest, **fields)))
            prev = digest
        heads.append(Chain(aggregate_type=kind, aggregate_id=ident, length=seq, head_hash=prev if seq else ""))
    heads = Chain.objects.bulk_create(heads, batch_size=batch)
    for k, event in events:
        event.chain_id = heads[k].pk
    Event.objects.bulk_create([event for _, event in events], batch_size=batch)
    return len(events)


def make_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Hash the heads of every chain that moved since the last checkpoint and chain it to that one.

    Returns None when nothing moved (unless `force`). Checkpointers serialise on the last checkpoint's
    row; writers are never blocked, as a chain that moves meanwhile is simply covered next time.
    """
    with transaction.atomic():
        last = Checkpoint.objects.select_for_update().order_by("-id").first()
        moved = list(
            Chain.objects.filter(length__gt=F("checkpointed_length")).values_list("id", "length", "head_hash")
        )
        if not moved and not force:
            return None
        heads = {str(cid): [length, head] for cid, length, head in moved}
        at = timezone.now()
        prev = last.hash if last else GENESIS
        checkpoint = Checkpoint.objects.create(
            at=at, heads=heads, prev_hash=prev, hash=checkpoint_hash(at=at, heads=heads, prev_hash=prev)
        )
        for start in range(0, len(moved), 500):
            batch = moved[start : start + 500]
            Chain.objects.filter(pk__in=[cid for cid, _, _ in batch]).update(
                checkpointed_length=Case(
                    *[When(pk=cid, then=Value(length)) for cid, length, _ in batch], output_field=IntegerField()
                )
            )
    return checkpoint
