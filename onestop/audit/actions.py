"""Writing the trail: `record` is called by every action, inside the action's transaction."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable

from django.db import connection, models, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.forms.models import model_to_dict
from django.utils import timezone

from onestop import sql
from onestop.audit.hashing import GENESIS, canonical, checkpoint_hash, event_hash, text_around, to_json_value
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


HEAD = ("id", "length", "head_hash")
NEW_CHAIN = ("aggregate_type", "aggregate_id", "length", "head_hash", "checkpointed_length")
EVENT = ("chain_id", "seq", "at", "actor_id", "actor_name", "action", "before", "after", "reason", "prev_hash", "hash")


def _locked_head(kind: str, ident: str) -> tuple[int, int, str] | None:
    """(chain id, length, head hash) of the aggregate's chain, its row locked; None before its first event."""
    rows = sql.rows(Chain, HEAD, {"aggregate_type": kind, "aggregate_id": ident}, lock=True)
    return rows[0] if rows else None


def _append(kind: str, ident: str, fields: dict[str, Any], first: bool) -> Event:
    """Hash the event onto the chain's head and store both. On PostgreSQL that is one statement
    (`_append_in_database`); elsewhere one locking SELECT, then one INSERT and one UPDATE.

    Every action writes here, so the statements are written once (`onestop.sql`), not compiled by the ORM
    on every call. A first event inserts the head already pointing at it; when a concurrent first writer's
    head is there already, the insert does nothing and we append after its event instead.
    """
    if connection.vendor == "postgresql":
        return _append_in_database(kind, ident, fields, first)
    head = None if first else _locked_head(kind, ident)
    fields["at"] = timezone.now()  # taken under the lock, so a chain's times never run backwards
    if head is None:
        event = _event(kind, ident, None, 1, GENESIS, fields)
        made = sql.insert_many(Chain, NEW_CHAIN, [(kind, ident, 1, event.hash, 0)], ignore_conflicts=True)
        if made:
            event.chain_id = made[0][0]
            return sql.insert_new(event, EVENT)
        head = _locked_head(kind, ident)
        fields["at"] = timezone.now()
    chain_id, length, head_hash = head
    event = _event(kind, ident, chain_id, length + 1, head_hash or GENESIS, fields)
    sql.insert_new_and_change(event, EVENT, Chain, {"length": event.seq, "head_hash": event.hash}, id=chain_id)
    return event


def _event(kind: str, ident: str, chain_id: int | None, seq: int, prev: str, fields: dict[str, Any]) -> Event:
    digest = event_hash(chain_key=f"{kind}:{ident}", seq=seq, prev_hash=prev, **fields)
    return Event(chain_id=chain_id, seq=seq, prev_hash=prev, hash=digest, **fields)


# What the event's fields are given as; the database fills in the rest under the chain's lock (the time
# comes back as the text that was hashed: parsing it is cheaper than the driver's time zone conversion).
GIVEN = ("actor_id", "actor_name", "action", "before", "after", "reason")
FILLED = ("id", "chain_id", "seq", "prev_hash", "hash")
AT_UTC = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'"""  # at_text() of UTC


@lru_cache(maxsize=None)
def _append_statement() -> str:
    """PostgreSQL: lock the chain's head, take the time (after the lock, so a chain's times never run
    backwards), hash the event's text around the head's hash, sequence number and time (`hashing.
    event_text_around`) with the server's sha256(), insert the event and move the head, in one statement."""
    chain, event = sql.table(Chain), sql.table(Event)

    def col(model: type[models.Model], name: str) -> str:
        return sql.quote(model._meta.get_field(name).column)

    given = [f"%s::{Event._meta.get_field(n).cast_db_type(connection)}" for n in GIVEN]
    return (
        f"WITH head AS MATERIALIZED (SELECT {col(Chain, 'id')} AS chain_id, {col(Chain, 'length')} + 1 AS seq, "
        f"COALESCE(NULLIF({col(Chain, 'head_hash')}, ''), %s) AS prev FROM {chain} "
        f"WHERE {col(Chain, 'aggregate_type')} = %s AND {col(Chain, 'aggregate_id')} = %s FOR UPDATE), "
        f"stamped AS MATERIALIZED (SELECT chain_id, seq, prev, clock_timestamp() AS at FROM head), "
        f"new AS (INSERT INTO {event} ({', '.join(col(Event, n) for n in (*GIVEN, *FILLED[1:], 'at'))}) "
        f"SELECT {', '.join(given)}, chain_id, seq, prev, "
        f"encode(sha256(convert_to(%s || {AT_UTC} || %s || prev || %s || seq::text || '}}', 'UTF8')), 'hex'), at "
        f"FROM stamped RETURNING {', '.join(col(Event, n) for n in FILLED)}, {AT_UTC} AS at) "
        f"UPDATE {chain} SET {col(Chain, 'length')} = new.seq, {col(Chain, 'head_hash')} = new.hash FROM new "
        f"WHERE {chain}.{col(Chain, 'id')} = new.chain_id RETURNING {', '.join(f'new.{n}' for n in (*FILLED, 'at'))}"
    )


def _append_in_database(kind: str, ident: str, fields: dict[str, Any], first: bool) -> Event:
    """The append as one statement (`_append_statement`). Before a chain's first event its head is inserted
    empty (length 0, no hash: the event then links to GENESIS), when the statement found no head or at once
    for a `first` event; a concurrent first writer's head, if there already, is appended to instead."""
    before, after = canonical(fields["before"]), canonical(fields["after"])  # hashed, and stored as they are
    text = text_around(f"{kind}:{ident}", fields["actor_id"], fields["actor_name"], fields["action"], before, after,
                       fields["reason"])
    stored = {"before": before if fields["before"] is not None else None,  # None is SQL NULL, as the ORM stores it
              "after": after if fields["after"] is not None else None}
    params = [GENESIS, kind, ident, *(stored.get(n, fields[n]) for n in GIVEN), *text]
    found = [] if first else sql.fetch(_append_statement(), params)
    if not found:
        sql.insert_many(Chain, NEW_CHAIN, [(kind, ident, 0, "", 0)], ignore_conflicts=True)
        found = sql.fetch(_append_statement(), params)
    *filled, at = found[0]
    return sql.build(Event, (*GIVEN, *FILLED, "at"), (*(fields[n] for n in GIVEN), *filled, datetime.fromisoformat(at)))


def record(
    aggregate: models.Model | tuple[str, Any],
    action: str,
    actor: Any = None,
    *,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    first: bool = False,
) -> Event:
    """Append one event to the aggregate's chain.

    Locks only that aggregate's chain head, so writers on other aggregates never wait; two writers on
    the same aggregate queue here (and normally already hold the aggregate's own row lock). `first` says
    the aggregate was just created, so its chain is started at once rather than looked for first (one
    statement less; were there a chain already, the event would be appended to it all the same).
    """
    kind, ident = aggregate_key(aggregate)
    actor_name = (getattr(actor, "username", None) or SYSTEM_NAME) if actor is not None else SYSTEM_NAME
    fields = {"actor_id": getattr(actor, "pk", None), "actor_name": actor_name,
              "action": action, "before": to_json_value(before), "after": to_json_value(after), "reason": reason}
    with transaction.atomic(savepoint=False):
        return _append(kind, ident, fields, first)


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
