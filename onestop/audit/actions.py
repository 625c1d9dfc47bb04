"""Writing the trail: `record` is called by every action, inside the action's transaction."""
from __future__ import annotations

from typing import Any, Iterable

from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.forms.models import model_to_dict
from django.utils import timezone

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


def _locked_chain(kind: str, ident: str) -> Chain:
    """The aggregate's chain head, locked; created on the aggregate's first event.

    The common case (the chain exists) is one locking SELECT; a first event inserts the head in a
    savepoint, and a concurrent first writer's insert makes us lock the row it made instead.
    """
    chains = Chain.objects.select_for_update()
    found = chains.filter(aggregate_type=kind, aggregate_id=ident).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Chain.objects.create(aggregate_type=kind, aggregate_id=ident)
    except IntegrityError:
        return chains.get(aggregate_type=kind, aggregate_id=ident)


def record(
    aggregate: models.Model | tuple[str, Any],
    action: str,
    actor: Any = None,
    *,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> Event:
    """Append one event to the aggregate's chain.

    Locks only that aggregate's chain head, so writers on other aggregates never wait; two writers on
    the same aggregate queue here (and normally already hold the aggregate's own row lock).
    """
    kind, ident = aggregate_key(aggregate)
    with transaction.atomic(savepoint=False):
        chain = _locked_chain(kind, ident)
        at = timezone.now()
        actor_id = getattr(actor, "pk", None)
        actor_name = (getattr(actor, "username", None) or SYSTEM_NAME) if actor is not None else SYSTEM_NAME
        before, after = to_json_value(before), to_json_value(after)
        seq = chain.length + 1
        digest = event_hash(
            chain_key=f"{kind}:{ident}", seq=seq, at=at, actor_id=actor_id, actor_name=actor_name,
            action=action, before=before, after=after, reason=reason, prev_hash=chain.head_hash or GENESIS,
        )
        event = Event.objects.create(
            chain=chain, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
            before=before, after=after, reason=reason, prev_hash=chain.head_hash or GENESIS, hash=digest,
        )
        Chain.objects.filter(pk=chain.pk).update(length=seq, head_hash=digest)
    return event


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
