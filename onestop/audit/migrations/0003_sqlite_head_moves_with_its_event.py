"""On SQLite a chain's head moves with the insert of its event, by a trigger, so an append is one statement
there as it is on PostgreSQL (where the append's own statement moves it: `audit.appending`)."""
from django.db import migrations

TRIGGER = "audit_event_moves_its_chain_head"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON audit_event BEGIN "
        "UPDATE audit_chain SET length = NEW.seq, head_hash = NEW.hash WHERE id = NEW.chain_id; END"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
