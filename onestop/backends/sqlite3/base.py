"""Django's SQLite backend, converting a statement's placeholders (`%s` to `?`) once per text instead of on
every run. Django's wrapper runs a regular expression over each statement before it reaches SQLite; the hot
paths (`onestop.sql`) run the same few texts thousands of times, and that substitution was a twentieth of
the approval flow's time on SQLite (bench/flow.py)."""
from __future__ import annotations

from functools import lru_cache

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
