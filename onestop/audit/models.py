"""The append-only, tamper-evident trail (DESIGN.md, "The audit trail").

Each aggregate (an application, a project, a matter, a seal batch...) has its own hash chain, so writers
on different aggregates never wait on one row; checkpoints hash the heads of the chains that moved and
are chained themselves, so removing the tail of a chain is found too.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Chain(models.Model):
    """The head of one aggregate's chain: how many events it has and the hash of the last one."""

    aggregate_type = models.CharField(max_length=64)
    aggregate_id = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")
    checkpointed_length = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["aggregate_type", "aggregate_id"], name="one_chain_per_aggregate")]
        indexes = [models.Index(fields=["length", "checkpointed_length"], name="chain_moved")]

    def __str__(self) -> str:
        return f"{self.aggregate_type}:{self.aggregate_id}"


class Event(models.Model):
    """One state change: who, when, what (before/after), why (审计事件)."""

    chain = models.ForeignKey(Chain, models.PROTECT, related_name="events", db_index=False)  # indexed by (chain, seq)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("actor"), max_length=64)
    action = models.CharField(_("action"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="event_seq_unique_in_chain")]
        # a plain index, not db_index: that adds a LIKE twin on PostgreSQL that no query uses, and every event
        # of the trail would keep it up to date
        indexes = [models.Index(fields=["action"], name="event_action")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_name} at {self.at:%Y-%m-%d %H:%M:%S}"


class Checkpoint(models.Model):
    """A hash over the heads of every chain that moved since the previous checkpoint, chained to it."""

    at = models.DateTimeField()
    heads = models.JSONField()  # {"<chain id>": [length, head_hash]}
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
