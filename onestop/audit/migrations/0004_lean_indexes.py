"""Indexes the trail keeps up to date on every append and no query needs: the chain's own (the unique (chain,
seq) starts with it) and the LIKE twin of action's (a plain index instead).

SQLite alters a field by rebuilding the table, which drops its triggers: the head-moving trigger of 0003 is
made again after the rebuild (and again after the rebuild that undoing this makes).
"""
import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


head_trigger = importlib.import_module("onestop.audit.migrations.0003_sqlite_head_moves_with_its_event")


def head_moves_again(apps, schema_editor):
    head_trigger.drop(apps, schema_editor)  # in case this SQLite kept it
    head_trigger.create(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_sqlite_head_moves_with_its_event'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, head_moves_again),
        migrations.AlterField(
            model_name='event',
            name='action',
            field=models.CharField(max_length=64, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='event',
            name='chain',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='audit.chain'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['action'], name='event_action'),
        ),
        migrations.RunPython(head_moves_again, migrations.RunPython.noop),
    ]
