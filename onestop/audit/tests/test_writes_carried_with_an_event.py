"""An action's own writes stored with its audit event (`record(..., along=...)`): one statement on
PostgreSQL, made exactly once whether or not the aggregate's chain has begun."""
from __future__ import annotations

from datetime import date, datetime, timezone as tz

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop import sql
from onestop.approvals.builders import build
from onestop.approvals.models import Application
from onestop.audit.actions import record
from onestop.audit.models import Event
from onestop.audit.verify import verify_trail
from onestop.worktime.models import ClockEvent

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 1, 30, tzinfo=tz.utc)
EVENT = ("clock_type", "clock_id", "seq", "kind", "at", "day", "note")


def writes_for(app: Application, seq: int) -> sql.Writes:
    stop = ClockEvent(clock_type="approvals.Application", clock_id=app.pk, seq=seq, kind="stop", at=AT,
                      day=date(2026, 3, 2), note="办结")
    return sql.Writes(stop, EVENT, [(Application, {"open_tasks": 4}, {"id": app.pk}),
                                    (Application, {"state": "issued"}, {"id": app.pk, "state": "approved"})])


@pytest.mark.parametrize("chain_begun, first", [(True, False), (False, False), (False, True), (True, True)],
                         ids=["chain begun", "first event", "first event said first", "chain begun said first"])
def test_the_writes_and_the_event_are_stored_once_and_their_counts_returned(chain_begun, first):
    w = build("A")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    if chain_begun:
        record(app, "test.created", w.clerk, after={"v": 1})
    writes = writes_for(app, 1)
    with CaptureQueriesContext(connection) as queries:
        event = record(app, "test.changed", w.clerk, after={"open": 4}, along=writes, first=first)
    if connection.vendor == "postgresql" and chain_begun != first:
        assert len(queries) == 1
    assert writes.changed == [1, 0]  # the second change's condition matched no row
    assert ClockEvent.objects.filter(clock_id=app.pk, kind="stop").count() == 1 and writes.instance.pk
    app.refresh_from_db()
    assert (app.open_tasks, app.state) == (4, "submitted")
    assert event.seq == (2 if chain_begun else 1) and Event.objects.filter(pk=event.pk, after__open=4).exists()
    assert verify_trail() == []
