"""The canonical form of events and checkpoints that the hashes are taken over."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def to_json_value(value: Any) -> Any:
    """Dates, decimals, UUIDs... as the JSON the event stores, so hashing before and after a round trip agree."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def event_hash(
    *,
    chain_key: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> str:
    return _digest(
        {
            "chain": chain_key,
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_name": actor_name,
            "action": action,
            "before": before,
            "after": after,
            "reason": reason,
            "prev": prev_hash,
        }
    )


def checkpoint_hash(*, at: datetime, heads: dict[str, list], prev_hash: str) -> str:
    return _digest({"at": at.isoformat(timespec="microseconds"), "heads": heads, "prev": prev_hash})
