"""The canonical form of events and checkpoints that the hashes are taken over."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


class _NotPlain(Exception):
    pass


def _plain_copy(value: Any) -> Any:
    """A copy of a value made of JSON's own types only (str, int, float, bool, None, lists and tuples, dicts
    with str keys), which is what the round trip through JSON would give; `_NotPlain` otherwise."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if isinstance(value, str):  # a choice (TextChoices): JSON has only its text
        return str.__str__(value)
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise _NotPlain
        return {k: _plain_copy(v) for k, v in value.items()}
    if kind in (list, tuple):
        return [_plain_copy(v) for v in value]
    raise _NotPlain  # a date, a decimal, a UUID...: the encoder decides


def to_json_value(value: Any) -> Any:
    """Dates, decimals, UUIDs... as the JSON the event stores, so hashing before and after a round trip agree.
    Every action's before and after pass here; most are plain already, and copying them is cheaper than the
    round trip through text."""
    try:
        return _plain_copy(value)
    except _NotPlain:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # made once, not per call


def canonical(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no spaces, non-ASCII kept."""
    return _CANONICAL.encode(value)


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def at_text(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def event_text_around(*, chain_key: str, actor_id: int | None, actor_name: str, action: str, before: Any,
                      after: Any, reason: str) -> tuple[str, str, str]:
    """An event's canonical text, in three parts around what is known only at the chain's head: the text is
    `a + at_text(at) + b + prev_hash + c + str(seq) + "}"`. This is the text of the event's payload with sorted
    keys (JSON without spaces, "action", "actor", "actor_name", "after", "at", "before", "chain", "prev",
    "reason", "seq"), written out so the database can complete it under the chain's lock (`audit.actions`)."""
    return text_around(chain_key, actor_id, actor_name, action, canonical(before), canonical(after), reason)


def text_around(chain_key: str, actor_id: int | None, actor_name: str, action: str, before_text: str,
                after_text: str, reason: str) -> tuple[str, str, str]:
    """`event_text_around` with before and after given as their canonical texts already."""
    a = (f'{{"action":{canonical(action)},"actor":{canonical(actor_id)},"actor_name":{canonical(actor_name)},'
         f'"after":{after_text},"at":"')
    b = f'","before":{before_text},"chain":{canonical(chain_key)},"prev":"'
    c = f'","reason":{canonical(reason)},"seq":'
    return a, b, c


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
    a, b, c = event_text_around(chain_key=chain_key, actor_id=actor_id, actor_name=actor_name, action=action,
                                before=before, after=after, reason=reason)
    return hashlib.sha256(f"{a}{at_text(at)}{b}{prev_hash}{c}{seq}}}".encode()).hexdigest()


def checkpoint_hash(*, at: datetime, heads: dict[str, list], prev_hash: str) -> str:
    return _digest({"at": at_text(at), "heads": heads, "prev": prev_hash})
