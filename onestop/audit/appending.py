"""Appending an event to its chain: the database completes the event's hash under the chain's lock.

Python writes the event's canonical text around what only the chain's head decides (`hashing.text_around`:
the previous hash and the sequence number, and on PostgreSQL the time); the statement reads the head, fills
those in, hashes the text (sha256) and inserts the event, so no round trip is spent reading the head first.
- PostgreSQL: one statement. The head is locked, the time taken after the lock (`clock_timestamp()`), the
  event inserted and the head moved, as WITH queries.
- SQLite: one too, an INSERT ... SELECT from the head; a trigger moves the head (migration 0003). The write
  transaction holds the database's lock from its BEGIN (IMMEDIATE), so the time is taken in Python, already
  under it.
Either way a chain's times never run backwards, and `verify.py` recomputes the same hash in Python.

Every action writes here, so the statements are written once (`onestop.sql`), not compiled by the ORM on
every call, and an action's own writes may travel with its event (`along`: `sql.Writes`, as WITH queries
of the same statement on PostgreSQL). A chain's first event (`first`: the aggregate was just created) is
one statement on PostgreSQL too, its head inserted already pointing at it; on SQLite, or when an append
finds no head, the head is inserted empty (length 0, no hash: the first event links to GENESIS) and the
append runs again. A concurrent first writer's head, if there already, is appended to instead.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Sequence

from django.db import connection
from django.utils import timezone

from onestop import sql
from onestop.audit.hashing import GENESIS, at_text, canonical, text_around
from onestop.audit.models import Chain, Event

NEW_CHAIN = ("aggregate_type", "aggregate_id", "length", "head_hash", "checkpointed_length")
GIVEN = ("actor_id", "actor_name", "action", "before", "after", "reason")  # the rest is filled in from the head
FILLED = ("id", "chain_id", "seq", "prev_hash", "hash")
# at_text() of a UTC time, in PostgreSQL: the time comes back as this text, which was hashed (parsing it is
# also cheaper than the driver's time zone conversion).
AT_UTC = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'"""


def _head(lock: str) -> str:
    """The head's id, next sequence number and the hash the next event links to."""
    return (f"SELECT {sql.column(Chain, 'id')} AS chain_id, {sql.column(Chain, 'length')} + 1 AS seq, "
            f"COALESCE(NULLIF({sql.column(Chain, 'head_hash')}, ''), %s) AS prev FROM {sql.table(Chain)} "
            f"WHERE {sql.column(Chain, 'aggregate_type')} = %s AND {sql.column(Chain, 'aggregate_id')} = %s{lock}")


DIGEST = f"encode(sha256(convert_to(%s || {AT_UTC} || %s || prev || %s || seq::text || '}}', 'UTF8')), 'hex')"


def _given() -> str:
    return ", ".join(f"%s::{Event._meta.get_field(n).cast_db_type(connection)}" for n in GIVEN)


def _insert_event(source: str, digest: str) -> str:
    """INSERT the event, its head's part (chain_id, seq, prev, at) selected from `source`."""
    return (f"INSERT INTO {sql.table(Event)} ({', '.join(sql.column(Event, n) for n in (*GIVEN, *FILLED[1:], 'at'))}) "
            f"SELECT {_given()}, chain_id, seq, prev, {digest}, at FROM {source} "
            f"RETURNING {', '.join(sql.column(Event, n) for n in FILLED)}, {AT_UTC} AS at")


def _with(along: sql.Shape | None) -> tuple[str, str]:
    """The writes carried along, as the first WITH queries, and the selects of their results."""
    writes, results = sql.write_ctes(along) if along else ("", "")
    return (writes + ", " if writes else ""), (", " + results if results else "")


@lru_cache(maxsize=None)
def _postgresql(along: sql.Shape | None) -> str:
    """Parameters: those of the writes carried along (`sql.Writes`), the head's (GENESIS, kind, id), GIVEN,
    then the text's three parts. Selects one row: the event as stored (NULLs if the chain has no head yet),
    then the writes' results."""
    chain = sql.table(Chain)
    writes, results = _with(along)
    return (
        f"WITH {writes}head AS MATERIALIZED ({_head(' FOR UPDATE')}), "
        f"stamped AS MATERIALIZED (SELECT chain_id, seq, prev, clock_timestamp() AS at FROM head), "
        f"new AS ({_insert_event('stamped', DIGEST)}), "
        f"moved AS (UPDATE {chain} SET {sql.column(Chain, 'length')} = new.seq, {sql.column(Chain, 'head_hash')} = new.hash "
        f"FROM new WHERE {chain}.{sql.column(Chain, 'id')} = new.chain_id "
        f"RETURNING {', '.join(f'new.{n}' for n in (*FILLED, 'at'))}) "
        f"SELECT moved.*{results} FROM (SELECT 1) AS one LEFT JOIN moved ON true"
    )


@lru_cache(maxsize=None)
def _postgresql_first(along: sql.Shape | None) -> str:
    """A chain's first event, its head inserted already pointing at it. Parameters: those of the writes,
    GENESIS, the text's three parts, the aggregate's (kind, id), then GIVEN. Selects one row: the event as
    stored (NULLs if there was a head already: a concurrent first writer's), then the writes' results."""
    writes, results = _with(along)
    return (
        f"WITH {writes}stamped AS MATERIALIZED (SELECT %s::varchar AS prev, 1 AS seq, clock_timestamp() AS at), "
        f"hashed AS MATERIALIZED (SELECT prev, seq, at, {DIGEST} AS hash FROM stamped), "
        f"made AS (INSERT INTO {sql.table(Chain)} ({', '.join(sql.column(Chain, n) for n in NEW_CHAIN)}) "
        f"SELECT %s, %s, 1, hash, 0 FROM hashed ON CONFLICT DO NOTHING RETURNING {sql.column(Chain, 'id')} AS chain_id), "
        f"new AS ({_insert_event('made, hashed', 'hash')}) "
        f"SELECT new.*{results} FROM (SELECT 1) AS one LEFT JOIN new ON true"
    )


@lru_cache(maxsize=None)
def _sqlite() -> str:
    """Parameters: GIVEN, the text up to the previous hash, the part after it, the time; then the head's."""
    digest = "onestop_sha256(%s || prev || %s || seq || '}')"  # registered by onestop.backends.sqlite3
    return (f"INSERT INTO {sql.table(Event)} ({', '.join(sql.column(Event, n) for n in (*GIVEN, *FILLED[1:], 'at'))}) "
            f"SELECT {', '.join(['%s'] * len(GIVEN))}, chain_id, seq, prev, {digest}, %s FROM ({_head('')}) "
            f"RETURNING {', '.join(sql.column(Event, n) for n in FILLED)}")


def append(kind: str, ident: str, fields: dict[str, Any], first: bool, along: sql.Writes | None = None) -> Event:
    """Store `fields` (GIVEN's) as the next event of the aggregate's chain, with the writes `along` if any
    (on PostgreSQL in the same statement, elsewhere just before); the event, as stored."""
    before, after = canonical(fields["before"]), canonical(fields["after"])  # hashed, and stored as they are
    a, b, c = text_around(f"{kind}:{ident}", fields["actor_id"], fields["actor_name"], fields["action"], before,
                          after, fields["reason"])
    stored = {"before": before if fields["before"] is not None else None,  # None is SQL NULL, as the ORM stores it
              "after": after if fields["after"] is not None else None}
    given = [stored.get(n, fields[n]) for n in GIVEN]
    head = [GENESIS, kind, ident]
    if connection.vendor == "postgresql":
        return _append_on_postgresql(head, given, [a, b, c], fields, first, along)
    if along is not None:
        along.run()
    at = timezone.now()
    text, params = _sqlite(), [*given, f"{a}{at_text(at)}{b}", c, *sql.prep(Event, ("at",), [at]), *head]
    found = [] if first else sql.fetch(text, params)
    if not found:
        _start_chain(kind, ident)
        found = sql.fetch(text, params)  # the head moves with the insert (migration 0003's trigger)
    return _event(fields, found[0], at)


def _append_on_postgresql(head: list, given: list, text: list[str], fields: dict[str, Any], first: bool,
                          along: sql.Writes | None) -> Event:
    shape, writes = along.shape_and_params() if along else (None, [])
    if first:
        row = sql.fetch(_postgresql_first(shape), [*writes, GENESIS, *text, head[1], head[2], *given])[0]
    else:
        row = sql.fetch(_postgresql(shape), [*writes, *head, *given, *text])[0]
    event_row, results = row[:len(FILLED) + 1], row[len(FILLED) + 1:]
    if along:
        along.carried(results[0], results[1:])  # the writes ran, whatever became of the event
    if event_row[0] is None:  # the chain's head was not as thought: append (without the writes, done already)
        _start_chain(head[1], head[2])
        event_row = sql.fetch(_postgresql(None), [*head, *given, *text])[0]
    *filled, stamp = event_row
    return _event(fields, filled, datetime.fromisoformat(stamp))


def _start_chain(kind: str, ident: str) -> None:
    """An empty head (length 0, no hash), unless the chain has one already."""
    sql.insert_many(Chain, NEW_CHAIN, [(kind, ident, 0, "", 0)], ignore_conflicts=True)


def _event(fields: dict[str, Any], filled: Sequence[Any], at: datetime) -> Event:
    return sql.build(Event, (*GIVEN, *FILLED, "at"), (*(fields[n] for n in GIVEN), *filled, at))
