"""On SQLite the chain's head moves by a trigger on audit_event (migration 0003). SQLite alters a field by
rebuilding its table, which drops the table's triggers: a later migration that alters audit_event must make
it again, or every second event of a chain collides on (chain, seq)."""
import pytest
from django.db import connection

from onestop.audit import actions
from onestop.audit.models import Chain
from onestop.testing import account

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the trigger is SQLite's; PostgreSQL moves the head in the append"),
    pytest.mark.django_db,
]


def test_the_head_trigger_is_there_after_every_migration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
        assert [row[0] for row in cursor.fetchall()] == ["audit_event_moves_its_chain_head"]


def test_a_chain_grows_event_after_event():
    actor = account("administrator")
    for n in range(3):
        actions.record(("test.Thing", 1), "test.changed", actor, after={"n": n})
    chain = Chain.objects.get(aggregate_type="test.Thing", aggregate_id="1")
    assert chain.length == 3 and chain.events.count() == 3 and chain.head_hash == chain.events.last().hash
