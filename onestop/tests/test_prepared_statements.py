"""On PostgreSQL the server binds the values and a statement a connection runs again and again is prepared,
so it is planned once (settings: DATABASE_PREPARED_STATEMENTS, on by default)."""
from __future__ import annotations

import pytest
from django.db import connection

from onestop import sql
from onestop.catalog.models import Stage

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
    pytest.mark.django_db,
]


def prepared_texts() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [text for (text,) in cur.fetchall()]


def test_a_statement_run_often_is_prepared_once_with_its_values_bound_by_the_server():
    text = sql.select(Stage, ("id", "name"))
    for _ in range(6):  # psycopg prepares on the 5th run
        sql.fetch(text, [0])
    assert text.replace("%s", "$1") in prepared_texts()  # a placeholder for the server, not a value in the text


def test_a_statement_run_once_is_not_prepared():
    text = sql.select(Stage, ("id", "position", "promised_limit"))
    sql.fetch(text, [0])
    assert text.replace("%s", "$1") not in prepared_texts()
