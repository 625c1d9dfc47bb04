"""Django's SQLite backend, with two additions:
- a statement's placeholders are converted (`%s` to `?`) once per text instead of on every run. Django's
  wrapper runs a regular expression over each statement before it reaches SQLite; the hot paths
  (`onestop.sql`) run the same few texts thousands of times, and that substitution was a twentieth of the
  approval flow's time on SQLite (bench/flow.py);
- `onestop_sha256(text)`, the hex SHA-256 of a text's UTF-8, with which the audit trail's append completes
  an event's hash in the statement that stores it (`audit.appending`), as PostgreSQL's sha256() does there."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


def _sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        conn.create_function("onestop_sha256", 1, _sha256, deterministic=True)
        return conn

    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
