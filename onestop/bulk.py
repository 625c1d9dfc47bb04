"""Bulk writes for hot paths that move thousands of rows at once (the light sweep): each column is sent as one
array and bound by the server on PostgreSQL, instead of Django preparing every value of every model instance
in Python and quoting every array element client-side. Elsewhere (SQLite) `onestop.sql.insert_many` does the job.
Statements sent this way bypass Django's execute wrappers and query log."""
from __future__ import annotations

from typing import Sequence

from django.db import connection, models

from onestop import sql


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: list[tuple],
                returning: Sequence[str] = ("id",)) -> list[tuple]:
    """Insert `rows` (values of the attnames `fields`, as the database takes them: ints, str, aware datetimes,
    None; every other column gets its field's default) and return the `returning` values of each row.

    On PostgreSQL one INSERT ... SELECT FROM unnest(one array per column), its parameters bound by the server:
    `bulk_create` prepares every value of every instance in Python and Django's client-side binding quotes
    every array element, which was most of a 10,000-task light sweep. Elsewhere multi-row VALUES
    (`onestop.sql.insert_many`).
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return sql.insert_many(model, tuple(fields), rows, tuple(returning))
    meta, quote = model._meta, connection.ops.quote_name
    given = [meta.get_field(name) for name in fields]
    columns, select, params = [], [], []
    for k, f in enumerate(given):
        columns.append(quote(f.column))
        select.append(f"u.c{k}")
    for f in meta.concrete_fields:
        if f.primary_key or f in given:
            continue
        default = f.get_default()  # one constant per column, not one per row
        columns.append(quote(f.column))
        select.append(f"%s::{f.db_type(connection)}")
        params.append(None if default is None else f.get_db_prep_save(default, connection))
    arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in given)  # binary: dumped in C
    names = ", ".join(f"c{k}" for k in range(len(given)))
    back = ", ".join(quote(meta.get_field(name).column) for name in returning)
    text = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(select)} "
            f"FROM unnest({arrays}) AS u({names}) RETURNING {back}")
    return server_bound(text, params + [list(col) for col in zip(*rows)])  # the defaults come first in the text


def server_bound(sql: str, params: list) -> list[tuple]:
    """Run one statement on PostgreSQL with its parameters bound by the server (`%b`: dumped in binary, in C),
    in the current transaction; its rows. For statements that take whole columns as arrays."""
    import psycopg  # the PostgreSQL driver, only there

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cur:  # not Django's client-side binding cursor (nor its wrappers)
        cur.execute(sql, params, prepare=False)  # never a named prepared statement (connection poolers)
        return [tuple(r) for r in cur.fetchall()] if cur.description else []
