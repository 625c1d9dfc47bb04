"""`record_history`: past events start their aggregates' chains in bulk, hashed and linked as `record` would
have, so the trail verifies, a tampered past event is found, and the next action appends after them."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from onestop import testing as t
from onestop.audit.actions import Past, record, record_history
from onestop.audit.models import Chain, Event
from onestop.audit.verify import verify_trail
from onestop.org.models import Role

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_past_events_start_their_chains_in_time_order_and_the_trail_verifies():
    clerk = t.account(Role.ADMINISTRATOR)  # any account
    written = record_history([
        (("demo.Thing", 1), [Past(MORNING + timedelta(hours=2), "thing.accepted", clerk, after={"when": MORNING}),
                             Past(MORNING, "thing.submitted", clerk, after={"n": 1})]),
        (("demo.Thing", 2), [Past(MORNING, "thing.submitted", None, reason="由系统导入")]),
        (("demo.Thing", 3), []),
    ])
    assert written == 3 and verify_trail() == []
    first = list(Event.objects.filter(chain__aggregate_id="1").order_by("seq"))
    assert [e.action for e in first] == ["thing.submitted", "thing.accepted"]
    assert first[0].at == MORNING and first[0].actor_name == clerk.username and first[1].prev_hash == first[0].hash
    assert first[1].after == {"when": MORNING.isoformat()}  # as JSON, as `record` stores it
    assert Chain.objects.get(aggregate_id="3").length == 0
    record(("demo.Thing", 1), "thing.issued", clerk, after={"n": 2})
    assert list(Event.objects.filter(chain__aggregate_id="1").values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_trail() == []


def test_a_past_event_altered_afterwards_is_found():
    record_history([(("demo.Thing", 9), [Past(MORNING, "thing.submitted", None, after={"n": 1})])])
    Event.objects.filter(chain__aggregate_id="9").update(after={"n": 2})
    assert [p.kind for p in verify_trail()] == ["altered"]
