"""An event's before and after are stored as the JSON round trip would give them, fast path or not."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from onestop.approvals.models import AppState
from onestop.audit.hashing import to_json_value


def round_trip(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


VALUES = [
    None, "", "中文", 0, -7, 2**70, 1.5, True, False,
    {"task": 3, "state": "approved", "matter": "施工许可", "days": [1, 2.5, None]},
    {"results": [{"task": 1, "opinion": "同意", "carried_over": False}], "nested": {"a": {"b": []}}},
    (1, "two", (3,)),
    [{"x": (1, 2)}],
    {"state": AppState.APPROVED},  # a str subclass: stored as its plain value
    {1: "int key", "s": "str key"},  # keys become text
    {"on": date(2026, 11, 26), "at": datetime(2026, 11, 26, 3, 4, 5, 6, tzinfo=timezone.utc)},
    {"fee": Decimal("12.50"), "id": uuid.UUID(int=5)},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_to_json_value_equals_the_round_trip_through_json(value):
    got, want = to_json_value(value), round_trip(value)
    assert got == want
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)  # same text, so same hash
    assert type(got.get("state") if isinstance(got, dict) else got) is type(
        want.get("state") if isinstance(want, dict) else want)


def test_to_json_value_is_a_copy_the_caller_cannot_change_afterwards():
    value = {"results": [{"task": 1}], "tags": ["a"]}
    got = to_json_value(value)
    value["results"][0]["task"] = 2
    value["tags"].append("b")
    assert got == {"results": [{"task": 1}], "tags": ["a"]}
