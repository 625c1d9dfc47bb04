"""A concrete clocked table for the tests: `Clock` is abstract, and the tables that will inherit it
(tasks, applications...) belong to apps built later. This model lives outside every installed app (label
`worktime_tests`), so it never gets a migration; the `clock_table` fixture creates its table in the test
database and registers it, so calendar changes recompute it like any real clocked table.
"""
from django.db import models

from onestop.worktime.models import Clock


class SampleClock(Clock):
    name = models.CharField(max_length=64, default="")

    class Meta:
        app_label = "worktime_tests"
