"""The event hash is SHA-256 over the payload's canonical JSON, whichever way it is put together."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from onestop.audit.hashing import GENESIS, event_hash

AT = datetime(2026, 11, 26, 3, 4, 5, 6, tzinfo=timezone.utc)
CASES = [
    dict(chain_key="approvals.Application:12", seq=1, at=AT, actor_id=None, actor_name="system",
         action="approvals.submitted", before=None, after={"state": "submitted"}, reason="", prev_hash=GENESIS),
    dict(chain_key='x.A:"quoted"\\', seq=12345, at=AT + timedelta(days=400), actor_id=7, actor_name="张三",
         action="approvals.task_rejected", before={"task": 1, "state": "open"},
         after={"results": [{"opinion": "不予许可\n理由：\u0001", "z": 1.5, "a": [None, True]}]},
         reason="材料不全 \"引号\" \\ 反斜杠", prev_hash="ab" * 32),
]


def canonical_hash(**payload) -> str:
    """The definition written out: the payload with sorted keys as JSON without spaces, non-ASCII kept."""
    doc = {"chain": payload["chain_key"], "seq": payload["seq"], "at": payload["at"].isoformat(timespec="microseconds"),
           "actor": payload["actor_id"], "actor_name": payload["actor_name"], "action": payload["action"],
           "before": payload["before"], "after": payload["after"], "reason": payload["reason"],
           "prev": payload["prev_hash"]}
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=["first event", "escapes and nesting"])
def test_event_hash_is_sha256_of_the_payloads_canonical_json(case):
    assert event_hash(**case) == canonical_hash(**case)
