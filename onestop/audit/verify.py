"""Checking the trail: every chain's links, then every checkpoint against the chains.

A problem names the event (its chain and sequence number) that was altered or removed. Events are
streamed chain by chain, never loaded whole.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from onestop.audit.hashing import GENESIS, checkpoint_hash, event_hash
from onestop.audit.models import Chain, Checkpoint, Event


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int
    event_id: int | None
    kind: str  # "altered" | "removed" | "checkpoint"
    detail: str

    def __str__(self) -> str:
        ident = f"event #{self.event_id}" if self.event_id else "event"
        return f"{ident} (chain {self.chain}, seq {self.seq}) {self.kind}: {self.detail}"


def _verify_chain(chain: Chain) -> list[Problem]:
    key = f"{chain.aggregate_type}:{chain.aggregate_id}"
    problems: list[Problem] = []
    expected_seq, prev = 1, GENESIS
    for event in Event.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            problems.append(Problem(key, expected_seq, None, "removed", f"sequence jumps to {event.seq}"))
            prev = event.prev_hash  # go on from what is there, to find later alterations too
        recomputed = event_hash(
            chain_key=key, seq=event.seq, at=event.at, actor_id=event.actor_id, actor_name=event.actor_name,
            action=event.action, before=event.before, after=event.after, reason=event.reason, prev_hash=prev,
        )
        if event.prev_hash != prev or event.hash != recomputed:
            problems.append(Problem(key, event.seq, event.id, "altered", "hash does not match its content"))
        prev, expected_seq = event.hash, event.seq + 1
    if chain.length >= expected_seq:
        problems.append(Problem(key, expected_seq, None, "removed", f"chain head says {chain.length} events"))
    elif chain.head_hash != (prev if chain.length else ""):
        problems.append(Problem(key, chain.length, None, "altered", "chain head hash does not match"))
    return problems


def _verify_checkpoints() -> list[Problem]:
    problems: list[Problem] = []
    prev = GENESIS
    for cp in Checkpoint.objects.order_by("id").iterator():
        if cp.prev_hash != prev or cp.hash != checkpoint_hash(at=cp.at, heads=cp.heads, prev_hash=prev):
            problems.append(Problem("checkpoints", cp.id, None, "checkpoint", f"checkpoint #{cp.id} altered"))
        prev = cp.hash
        problems.extend(_check_heads(cp))
    return problems


def _check_heads(cp: Checkpoint) -> list[Problem]:
    """The events a checkpoint vouches for still carry the hashes it recorded (a query per 500 chains)."""
    heads = {int(chain_id): (length, head) for chain_id, (length, head) in cp.heads.items()}
    chains = {c.pk: str(c) for c in Chain.objects.filter(pk__in=heads)}
    found: dict[tuple[int, int], tuple[int, str]] = {}
    items = list(heads.items())
    for start in range(0, len(items), 500):  # bounded statements, whatever the number of chains
        q = Q()
        for chain_id, (length, _) in items[start : start + 500]:
            q |= Q(chain_id=chain_id, seq=length)
        rows = Event.objects.filter(q).values_list("id", "chain_id", "seq", "hash")
        found.update({(cid, seq): (pk, h) for pk, cid, seq, h in rows})
    problems = []
    for chain_id, (length, head) in heads.items():
        key = chains.get(chain_id, f"#{chain_id}")
        event = found.get((chain_id, length))
        if event is None:
            problems.append(Problem(key, length, None, "removed", f"checkpoint #{cp.id} covers it"))
        elif event[1] != head:
            problems.append(Problem(key, length, event[0], "altered", f"differs from checkpoint #{cp.id}"))
    return problems


def verify_trail() -> list[Problem]:
    """Every problem found, in chain order then sequence order; a checkpoint's finding that a chain's
    own walk already made is not repeated."""
    problems: list[Problem] = []
    for chain in Chain.objects.order_by("id").iterator():
        problems.extend(_verify_chain(chain))
    seen = {(p.chain, p.seq) for p in problems}
    problems.extend(p for p in _verify_checkpoints() if (p.chain, p.seq) not in seen)
    return problems
