"""Statements for the few hot paths a benchmark names (the approval flow and the audit trail it writes),
written once from the models' metadata and then run with new values, instead of compiled by the ORM again
on every call: compiling took most of the flow's time, while running a compiled statement is cheap.

Table and column names, how each value goes to the database (`get_db_prep_save`) and how it comes back
(the backend's and the field's converters) are all the models' own, so the statements follow the models.
They run on `connection.cursor()`, inside the caller's transaction and through Django's execute wrappers
(so statements are counted and logged as any other). Everywhere else the ORM stays the way to read and write.

Names are model attribute names (`application_id`, `state`); a name `fk__field` reads `field` of the row an
FK points to, through a join. Callers use `rows`, `change`, `insert_many`, `insert_new`, `Writes` (an
insert and the updates that go with it), `locked_with_log`, `get` and `get_with_log`; underneath, `select`
and `update` return a statement's text, `prep` adapts values for writing and `reader` converts a fetched
row back to Python. Texts and adapters are made once per process, for the default database (one engine per
process, as the settings give).
"""
from __future__ import annotations

from functools import lru_cache
from inspect import getattr_static
from typing import Any, Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import DEFERRED
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

Names = tuple[str, ...]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of a field, by its name (`stage` gives "stage_id")."""
    return quote(model._meta.get_field(name).column)


def _column(model: type[models.Model], name: str) -> tuple[models.Field, str, str | None]:
    """(field, qualified column, join clause or None) of a name, `fk__field` reading through the FK."""
    if "__" not in name:
        field = model._meta.get_field(name)
        return field, f"{table(model)}.{quote(field.column)}", None
    fk_name, rest = name.split("__", 1)
    fk = model._meta.get_field(fk_name)
    target = fk.related_model
    field = target._meta.get_field(rest)
    alias = quote(f"j_{fk_name}")
    kind = "LEFT OUTER JOIN" if fk.null else "INNER JOIN"
    join = (f"{kind} {table(target)} {alias} ON {alias}.{quote(target._meta.pk.column)} = "
            f"{table(model)}.{quote(fk.column)}")
    return field, f"{alias}.{quote(field.column)}", join


Where = tuple[tuple[str, int], ...]  # (name, 0) for `= %s`, (name, n) for `IN` n parameters


def _condition(column: str, n: int) -> str:
    return f"{column} = %s" if n == 0 else f"{column} IN ({', '.join(['%s'] * n)})"


@lru_cache(maxsize=1024)  # keyed by IN-list lengths too
def _select(model: type[models.Model], names: Names, where: Where, lock: bool, order: Names, limit: int) -> str:
    cols = [_column(model, n) for n in names]
    conds = [(_column(model, name), n) for name, n in where]
    ordering = [_column(model, n) for n in order]
    joins = list(dict.fromkeys(j for _, _, j in [*cols, *(c for c, _ in conds), *ordering] if j))
    text = (f"SELECT {', '.join(c for _, c, _ in cols)} FROM {table(model)} {' '.join(joins)} "
            f"WHERE {' AND '.join(_condition(c[1], n) for c, n in conds)}")
    if ordering:
        text += f" ORDER BY {', '.join(c for _, c, _ in ordering)}"
    if limit:
        text += f" LIMIT {int(limit)}"
    if lock and connection.features.has_select_for_update:  # SQLite: the write transaction is the lock
        text += " FOR UPDATE" + (f" OF {table(model)}" if joins else "")
    return text


@lru_cache(maxsize=None)
def _select_with_log(model: type[models.Model], names: Names, lock_also: Names, log: type[models.Model],
                     log_names: Names, owner: str, fixed: Names, order: str) -> str:
    cols = [_column(model, n) for n in names]
    joins = list(dict.fromkeys(j for _, _, j in cols if j))

    def log_column(name: str) -> str:
        return f"l.{column(log, name)}"

    pk = f"{table(model)}.{quote(model._meta.pk.column)}"
    on = " AND ".join([f"{log_column(owner)} = {pk}", *(f"{log_column(n)} = %s" for n in fixed)])
    text = (f"SELECT {', '.join([*(c for _, c, _ in cols), *map(log_column, log_names)])} FROM {table(model)} "
            f"{' '.join(joins)} LEFT OUTER JOIN {table(log)} l ON {on} WHERE {pk} = %s ORDER BY {log_column(order)}")
    for fk in lock_also:  # PostgreSQL can lock a joined row only through an inner join
        if not any(n.startswith(f"{fk}__") for n in names) or model._meta.get_field(fk).null:
            raise ValueError(f"{fk}: a row locked too is read through a non-null FK in the names")
    if connection.features.has_select_for_update:  # SQLite: the write transaction is the lock
        text += " FOR UPDATE OF " + ", ".join([table(model), *(quote(f"j_{fk}") for fk in lock_also)])
    return text


def locked_with_log(model: type[models.Model], names: Names, pk: Any, log: type[models.Model], log_names: Names,
                    *, owner: str, fixed: dict[str, Any], order: str,
                    lock_also: Names = ()) -> tuple[tuple, list[tuple]] | None:
    """The row `pk` of `model` (its `names`, `fk__field` read through a join), locked, with the rows of `log`
    that belong to it (`owner` = its pk and each of `fixed` = its value: a clock's events), in `order`: one
    statement where a locking read and the log's read were two. `lock_also` names FKs whose rows are locked
    too (the application of a task being decided): non-null ones, read through in `names`. None if there is
    no such row."""
    text = _select_with_log(model, names, tuple(lock_also), log, log_names, owner, tuple(fixed), order)
    found = fetch(text, [*prep(log, tuple(fixed), list(fixed.values())), model._meta.pk.get_prep_value(pk)])
    if not found:
        return None
    own, entry = reader(model, names), reader(log, log_names)
    k = len(names)
    return own(found[0][:k]), [entry(r[k:]) for r in found if any(v is not None for v in r[k:])]  # none: no log yet


def select(model: type[models.Model], names: Names, where: Names = ("id",), *, lock: bool = False,
           order: str = "") -> str:
    """SELECT `names` WHERE each of `where` equals its parameter (in order), optionally locking the rows."""
    return _select(model, names, tuple((n, 0) for n in where), lock, (order,) if order else (), 0)


@lru_cache(maxsize=None)
def _update(model: type[models.Model], names: Names, where: Names) -> str:
    sets = ", ".join(f"{column(model, n)} = %s" for n in names)
    conds = " AND ".join(f"{column(model, n)} = %s" for n in where)
    return f"UPDATE {table(model)} SET {sets} WHERE {conds}"


def update(model: type[models.Model], names: Names, where: Names = ("id",)) -> str:
    """UPDATE ... SET each of `names` = %s WHERE each of `where` = %s (parameters in that order)."""
    return _update(model, names, where)


@lru_cache(maxsize=1024)
def _insert(model: type[models.Model], names: Names, returning: Names, ignore_conflict: bool,
            rows: int = 1) -> str:
    cols = ", ".join(column(model, n) for n in names)
    one = f"({', '.join(['%s'] * len(names))})"
    text = f"INSERT INTO {table(model)} ({cols}) VALUES {', '.join([one] * rows)}"
    if ignore_conflict:
        text += " ON CONFLICT DO NOTHING"
    if returning:
        text += " RETURNING " + ", ".join(column(model, n) for n in returning)
    return text


@lru_cache(maxsize=None)
def _defaults(model: type[models.Model], names: Names) -> tuple[Names, tuple]:
    """The columns `names` leaves out (but the primary key) and their fields' defaults, adapted once."""
    given = set(names)
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given]
    for f in rest:
        if f.has_default() and callable(f.default) and f.default not in (dict, list):
            raise ValueError(f"give {model.__name__}.{f.attname}: its default is computed per row")
    return tuple(f.attname for f in rest), tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)


@lru_cache(maxsize=1024)
def _insert_arrays(model: type[models.Model], names: Names, rest: Names, returning: Names,
                   ignore_conflict: bool) -> str:
    """PostgreSQL: INSERT ... SELECT FROM unnest(one array per column of `names`), each column of `rest` at
    one value given once. The text is the same for any number of rows, so it is parsed once and prepared,
    where a multi-row VALUES is a new statement, parsed anew by the driver and the server, for each count."""
    given, others = _fields(model, names), _fields(model, rest)
    cols = ", ".join(quote(f.column) for f in (*given, *others))
    picks = [f"u.c{k}" for k in range(len(given))] + [f"%s::{f.cast_db_type(connection)}" for f in others]
    arrays = ", ".join(f"%b::{f.cast_db_type(connection)}[]" for f in given)
    text = (f"INSERT INTO {table(model)} ({cols}) SELECT {', '.join(picks)} "
            f"FROM unnest({arrays}) AS u({', '.join(f'c{k}' for k in range(len(given)))})")
    if ignore_conflict:
        text += " ON CONFLICT DO NOTHING"
    if returning:
        text += " RETURNING " + ", ".join(column(model, n) for n in returning)
    return text


def insert_many(model: type[models.Model], names: Names, rows: Sequence[Sequence[Any]],
                returning: Names = ("id",), *, ignore_conflicts: bool = False) -> list[tuple]:
    """INSERT the rows (values of `names`; every other column takes its field's default); the `returning`
    values of each row, in order (with `ignore_conflicts`, of each row inserted: a row that would break a
    unique constraint is left out). Several rows on PostgreSQL: one statement taking each column as an
    array; otherwise multi-row VALUES, one statement per batch the database allows."""
    if not rows:
        return []
    rest, defaults = _defaults(model, names)
    if connection.vendor == "postgresql" and len(rows) > 1:
        text = _insert_arrays(model, names, rest, returning, ignore_conflicts)
        params = [*defaults, *map(list, zip(*(prep(model, names, row) for row in rows)))]  # defaults come first
        return fetch(text, params) if returning else [()] * execute(text, params)
    columns = (*names, *rest)
    fields = _fields(model, columns)
    per_batch = max(1, connection.ops.bulk_batch_size(fields, rows))
    out: list[tuple] = []
    for start in range(0, len(rows), per_batch):
        batch = rows[start:start + per_batch]
        text = _insert(model, columns, returning, ignore_conflicts, len(batch))
        params = [p for row in batch for p in (*prep(model, names, row), *defaults)]
        out += fetch(text, params) if returning else [()] * execute(text, params)
    return out


def insert_new(instance: models.Model, names: Names) -> models.Model:
    """Save a new instance by one INSERT of its `names` (every other column at its field's default, whatever
    the instance holds), as `save()` would but without its signals; the instance gets its id."""
    [(instance.pk,)] = insert_many(type(instance), names, [[getattr(instance, n) for n in names]])
    return saved(instance)


def saved(instance: models.Model) -> models.Model:
    """Mark an instance whose row was just inserted (and whose pk is set) as the ORM marks a saved one."""
    instance._state.adding, instance._state.db = False, DEFAULT_DB_ALIAS
    return instance


Change = tuple[type[models.Model], dict[str, Any], dict[str, Any]]  # UPDATE model SET values WHERE where
Rows = tuple[type[models.Model], Names, Sequence[Sequence[Any]]]  # INSERT these rows of values of names
Shape = tuple[type[models.Model] | None, Names, tuple[tuple[type[models.Model], Names, Names], ...],
              tuple[tuple[type[models.Model], Names, Names], ...]]


@lru_cache(maxsize=None)
def write_ctes(shape: Shape) -> tuple[str, str]:
    """PostgreSQL: (the WITH queries inserting the new row, if any, and the other rows, and making each
    change; the selects of the new row's id, NULL without one, and of the rows each change changed)."""
    model, names, updates, inserts = shape
    parts = [f"w_rows{k} AS ({_insert_arrays(other, given, rest, (), False)})"
             for k, (other, given, rest) in enumerate(inserts)]
    parts += [f"w{k} AS ({update(other, sets, where)} RETURNING 1)" for k, (other, sets, where) in enumerate(updates)]
    counts = [f"(SELECT count(*) FROM w{k})" for k in range(len(updates))]
    if model is None:
        return ", ".join(parts), ", ".join(["NULL", *counts])
    new = f"w_new AS ({_insert(model, names, (model._meta.pk.attname,), False)})"
    return ", ".join([new, *parts]), ", ".join([f"(SELECT {quote(model._meta.pk.column)} FROM w_new)", *counts])


class Writes:
    """Writes that go together: the INSERT of one new row (if any, its id wanted back), INSERTs of other
    rows (`Rows`) and UPDATEs (`Change`s). They run on PostgreSQL as WITH queries of one statement, their own
    (`run`) or one that carries them (the audit trail's append, `audit.appending`); elsewhere one after the
    other. `changed` then holds the rows each UPDATE changed. No two may write the same row."""

    def __init__(self, instance: models.Model | None, names: Names, changes: Sequence[Change] = (),
                 inserts: Sequence[Rows] = ()) -> None:
        self.instance, self.names, self.changes = instance, names, list(changes)
        self.inserts = [(model, given, rows) for model, given, rows in inserts if rows]
        self.changed: list[int] = []

    def shape_and_params(self) -> tuple[Shape, list[Any]]:
        model, columns, params = None, (), []
        if self.instance is not None:
            model = type(self.instance)
            rest, defaults = _defaults(model, self.names)
            columns = (*self.names, *rest)
            params = [*prep(model, self.names, [getattr(self.instance, n) for n in self.names]), *defaults]
        inserts = []
        for other, given, rows in self.inserts:
            rest, defaults = _defaults(other, given)
            inserts.append((other, given, rest))  # as in insert_many: the defaults, then one array per column
            params += [*defaults, *map(list, zip(*(prep(other, given, row) for row in rows)))]
        updates = []
        for other, values, where in self.changes:
            sets, conds = tuple(values), tuple(where)
            updates.append((other, sets, conds))
            params += [*prep(other, sets, list(values.values())), *prep(other, conds, list(where.values()))]
        return (model, columns, tuple(updates), tuple(inserts)), params

    def carried(self, pk: Any, counts: Sequence[int]) -> list[int]:
        """Take the results of the statement that carried the writes (the selects of `write_ctes`)."""
        if self.instance is not None:
            self.instance.pk = pk
            saved(self.instance)
        self.changed = list(counts)
        return self.changed

    def run(self) -> list[int]:
        """Run the writes (one statement on PostgreSQL); the rows each change changed."""
        if connection.vendor != "postgresql":
            if self.instance is not None:
                insert_new(self.instance, self.names)
            for model, given, rows in self.inserts:
                insert_many(model, given, rows, ())
            self.changed = [change(model, values, **where) for model, values, where in self.changes]
            return self.changed
        shape, params = self.shape_and_params()
        ctes, selects = write_ctes(shape)
        [(pk, *counts)] = fetch(f"WITH {ctes} SELECT {selects}", params)
        return self.carried(pk, counts)


@lru_cache(maxsize=1024)  # keyed by IN-list lengths too
def _fields(model: type[models.Model], names: Names) -> list[models.Field]:
    return [_column(model, n)[0] for n in names]


# Fields whose values the drivers take as they are (ints, strings, booleans, None); the rest (times on
# SQLite, JSON, decimals...) go through the field's own `get_db_prep_save`.
AS_IS = frozenset({"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
                   "IntegerField", "OneToOneField", "PositiveBigIntegerField", "PositiveIntegerField",
                   "PositiveSmallIntegerField", "SmallIntegerField", "TextField"})


@lru_cache(maxsize=1024)  # keyed by IN-list lengths too
def _preparers(model: type[models.Model], names: Names) -> tuple[models.Field | None, ...]:
    return tuple(None if f.get_internal_type() in AS_IS else f for f in _fields(model, names))


def prep(model: type[models.Model], names: Names, values: Sequence[Any]) -> list[Any]:
    """The values of `names` as the database takes them (aware datetimes on SQLite, JSON, ...)."""
    return [v if f is None or v is None else f.get_db_prep_save(v, connection)
            for f, v in zip(_preparers(model, names), values)]


@lru_cache(maxsize=None)
def _conversions(model: type[models.Model], names: Names) -> list[tuple[int, Callable, Any]]:
    """(position, converter, column expression) for every converter a fetched row of `names` needs."""
    plan = []
    for k, field in enumerate(_fields(model, names)):
        col = field.get_col(field.model._meta.db_table)
        plan += [(k, c, col) for c in connection.ops.get_db_converters(col) + field.get_db_converters(connection)]
    return plan


def reader(model: type[models.Model], names: Names) -> Callable[[Sequence[Any]], tuple]:
    """A function turning a fetched row of `names` into Python values, as the ORM would."""
    plan = _conversions(model, names)
    if not plan:
        return tuple

    def read(row: Sequence[Any]) -> tuple:
        values = list(row)
        for k, convert, col in plan:
            values[k] = convert(values[k], col, connection)
        return tuple(values)

    return read


@lru_cache(maxsize=None)
def _row_names(model: type[models.Model], related: Names) -> tuple[Names, list[tuple[str, type[models.Model], int, int]]]:
    """Every column of `model`, then of each FK in `related`: (names, [(fk, model, first, end) per FK])."""
    names = [f.attname for f in model._meta.concrete_fields]
    spans = []
    for fk in related:
        target = model._meta.get_field(fk).related_model
        first = len(names)
        names += [f"{fk}__{f.attname}" for f in target._meta.concrete_fields]
        spans.append((fk, target, first, len(names)))
    return tuple(names), spans


def get(model: type[models.Model], pk: Any, *, related: Names = (), lock: bool = False) -> models.Model | None:
    """`model.objects.select_related(*related).get(pk=pk)` (locking only `model`'s row), or None."""
    names, spans = _row_names(model, related)
    rows = fetch(select(model, names, lock=lock), [model._meta.pk.get_prep_value(pk)])  # a bad id fails as in the ORM
    return None if not rows else _instance(model, spans, reader(model, names)(rows[0]))


def get_with_log(model: type[models.Model], pk: Any, log: type[models.Model], log_names: Names, *, owner: str,
                 fixed: dict[str, Any], order: str, related: Names = ()) -> tuple[models.Model, list[tuple]] | None:
    """`get(model, pk, related=related, lock=True)` and the rows of its log (as `locked_with_log` reads them),
    by one statement."""
    names, spans = _row_names(model, related)
    found = locked_with_log(model, names, pk, log, log_names, owner=owner, fixed=fixed, order=order)
    return None if found is None else (_instance(model, spans, found[0]), found[1])


def _instance(model: type[models.Model], spans: list[tuple[str, type[models.Model], int, int]],
              values: Sequence[Any]) -> models.Model:
    """The instance of a row of every column of `model` and then of each FK in `spans` (`_row_names`)."""
    own = len(model._meta.concrete_fields)
    instance = _made(model, values[:own])
    for fk, target, first, end in spans:
        part = values[first:end]
        setattr(instance, fk, None if part[0] is None else _made(target, part))
    return instance


@lru_cache(maxsize=None)
def _placing(model: type[models.Model], names: Names) -> tuple[int, ...]:
    """For each concrete field of `model`, the position of its value among `names`' (-1: not there)."""
    where = {name: k for k, name in enumerate(names)}
    return tuple(where.get(f.attname, -1) for f in model._meta.concrete_fields)


def build(model: type[models.Model], names: Names, values: Sequence[Any]) -> models.Model:
    """An instance from a fetched row of `names`, the other fields deferred (as with `only()`)."""
    return _made(model, [DEFERRED if k < 0 else values[k] for k in _placing(model, tuple(names))])


STORING = (DeferredAttribute, ForeignKeyDeferredAttribute)  # descriptors whose assignment only stores the value


@lru_cache(maxsize=None)
def _plain(model: type[models.Model]) -> bool:
    """Whether `Model.__init__` would only store the values under the fields' attribute names: no `__init__`
    or `from_db` of the model's own, no field whose descriptor does more on assignment."""
    base = models.Model
    own = model.__init__ is not base.__init__ or model.from_db.__func__ is not base.from_db.__func__
    return not own and all(type(getattr_static(model, f.attname)) in STORING for f in model._meta.concrete_fields)


def _made(model: type[models.Model], values: Sequence[Any]) -> models.Model:
    """`model.from_db(...)` for `values` in concrete-field order (`DEFERRED` where not read), made directly
    when nothing would differ: `Model.__init__` sends two signals and assigns field by field, which made
    building instances the largest cost of the approval flow in this process, and this is under half."""
    fields = model._meta.concrete_fields
    if not _plain(model) or pre_init.has_listeners(model) or post_init.has_listeners(model):
        read = [(f.attname, v) for f, v in zip(fields, values) if v is not DEFERRED]
        return model.from_db(DEFAULT_DB_ALIAS, [a for a, _ in read], [v for _, v in read])
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    instance.__dict__.update((f.attname, v) for f, v in zip(fields, values) if v is not DEFERRED)
    return instance


def rows(model: type[models.Model], names: Names, where: dict[str, Any], *, order: str | Names = (),
         limit: int = 0, lock: bool = False) -> list[tuple]:
    """The rows of `model` whose `where` columns equal the given values (or are in a given list), as
    Python values of `names`."""
    conds, params = [], []
    for name, value in where.items():
        many = isinstance(value, (list, tuple, set, frozenset))
        values = list(value) if many else [value]
        if many and not values:
            return []  # IN () matches nothing
        conds.append((name, len(values) if many else 0))
        params += prep(model, (name,) * len(values), values)
    order = (order,) if isinstance(order, str) and order else tuple(order)
    read = reader(model, names)
    return [read(r) for r in fetch(_select(model, names, tuple(conds), lock, order, limit), params)]


def change(model: type[models.Model], values: dict[str, Any], **where: Any) -> int:
    """UPDATE the rows whose `where` columns equal the given values, setting `values`; the rows changed."""
    names, conds = tuple(values), tuple(where)
    return execute(update(model, names, conds), [*prep(model, names, values.values()), *prep(model, conds, where.values())])


def _cursor() -> Any:
    """The cursor these statements run on: one kept per connection, as making a cursor costs more than
    running a prepared statement (on SQLite three times as much). It is Django's own cursor wrapper, so
    errors, broken transactions and execute wrappers are handled as on any other; a new connection gets a
    new one, and while queries are logged (DEBUG, a test capturing them) each statement takes a logging
    cursor of its own."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.queries_logged:
        return db.cursor()
    kept = db.__dict__.get("_onestop_sql_cursor")
    if kept is None or db.connection is None or kept.cursor.connection is not db.connection:
        kept = db.__dict__["_onestop_sql_cursor"] = db.cursor()
    return kept


def fetch(text: str, params: Sequence[Any]) -> list[tuple]:
    cursor = _cursor()
    cursor.execute(text, params)
    return cursor.fetchall()


def execute(text: str, params: Sequence[Any]) -> int:
    """Run a statement; the number of rows it changed."""
    cursor = _cursor()
    cursor.execute(text, params)
    return cursor.rowcount
