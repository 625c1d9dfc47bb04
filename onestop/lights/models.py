"""What the lights app stores (a light itself is never stored: DESIGN.md, "Lights").

- `Watch`: per clocked thing (content type label + id), the deadline (`due_at`) for which its yellow and its
  red transition were handled. An episode is keyed on that deadline: an extension moves `due_at`, so the
  next red is a new episode. The sweeper claims a transition with a conditional update on this row.
- `LedgerEntry`: the overdue ledger (挂账销号): one open entry per clocked thing while it is unresolved,
  reused by later red episodes; the department answers (reason, remedy), a supervisor closes (销号).
- `Notification`: the one in-app inbox (站内消息) of the platform: the sweep's yellow and red notices, the
  stewards' (assigned, @mentions in a liaison group, late milestones) and feedback's (overdue follow-ups).
  Every app writes to it through `lights.actions.notify` / `deliver`, which also e-mails each notice.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Watch(models.Model):
    """The handled transitions of one clock (once per episode)."""

    clock_type = models.CharField(_("clock type"), max_length=100)
    clock_id = models.PositiveBigIntegerField(_("clock id"))
    yellow_for = models.DateTimeField(_("yellow handled for deadline"), null=True, blank=True)
    red_for = models.DateTimeField(_("red handled for deadline"), null=True, blank=True)
    episodes = models.PositiveIntegerField(_("red episodes"), default=0)

    class Meta:
        verbose_name = _("light watch")
        constraints = [models.UniqueConstraint(fields=["clock_type", "clock_id"], name="lights_watch_unique")]

    def __str__(self) -> str:
        return f"{self.clock_type}#{self.clock_id}"


class LedgerState(models.TextChoices):
    OPEN = "open", _("Open")  # 挂账
    ANSWERED = "answered", _("Answered by the department")  # 已说明
    CLOSED = "closed", _("Closed")  # 已销号


class LedgerEntry(models.Model):
    """挂账: something clocked that went red, who answers for it, why, the remedy and the resolution."""

    clock_type = models.CharField(_("clock type"), max_length=100)
    clock_id = models.PositiveBigIntegerField(_("clock id"))
    title = models.CharField(pgettext_lazy("lights", "title"), max_length=255)
    link = models.CharField(_("link"), max_length=255, blank=True)
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    responsible = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("responsible person"))
    project = models.ForeignKey("enterprises.Project", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("project"))
    state = models.CharField(_("state"), max_length=10, choices=LedgerState.choices, default=LedgerState.OPEN,
                             db_index=True)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    due_at = models.DateTimeField(_("deadline passed"))
    episodes = models.PositiveIntegerField(_("red episodes"), default=1)
    last_red_at = models.DateTimeField(_("last turned red"))
    reason = models.TextField(_("reason"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    answered_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(pgettext_lazy("lights", "answered at"), null=True, blank=True)
    resolution = models.TextField(pgettext_lazy("lights", "resolution"), blank=True)
    closed_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("overdue ledger entry")
        verbose_name_plural = _("overdue ledger")
        indexes = [models.Index(fields=["clock_type", "clock_id"], name="lights_ledger_clock")]
        constraints = [
            models.UniqueConstraint(fields=["clock_type", "clock_id"], condition=~Q(state="closed"),
                                    name="lights_one_open_entry_per_clock"),
        ]

    def __str__(self) -> str:
        return f"GZ{self.pk:06d} {self.title}" if self.pk else self.title

    @property
    def number(self) -> str:
        return f"GZ{self.pk:06d}"


class NotificationKind(models.TextChoices):
    YELLOW = "yellow", _("Yellow light")  # 黄灯预警
    RED = "red", _("Red light")  # 红灯超期
    ASSIGNED = "assigned", _("Assigned to a project")  # 指派管家
    MENTION = "mention", _("Mentioned in a liaison group")  # 联络群 @
    MILESTONE_LATE = "milestone_late", _("Plan milestone late")  # 计划节点逾期
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Follow-up overdue")  # 差评整改逾期


class Notification(models.Model):
    """站内消息: one message to one person; unread while `read_at` is empty.

    `link` is where reading it leads (a page path); `project` the project it concerns, if any; `source_type`
    and `source_id` the thing that caused it (a clock, a liaison-group message...), so the app that owns the
    source can mark its notices read (reading the group marks its @mentions read).
    """

    recipient = models.ForeignKey(USER, models.CASCADE, related_name="inbox", verbose_name=_("recipient"))
    kind = models.CharField(pgettext_lazy("lights", "kind"), max_length=24, blank=True,
                            choices=NotificationKind.choices)
    title = models.CharField(pgettext_lazy("lights", "title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    project = models.ForeignKey("enterprises.Project", models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("project"))
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("lights", "notification")
        indexes = [models.Index(fields=["recipient", "read_at"], name="lights_inbox_unread")]

    def __str__(self) -> str:
        return self.title


class SweepMark(models.Model):
    """How far the sweep has looked, per clock model and light: the next incremental pass scans only the
    deadlines (or warn points) passed since then, through their index; a full pass, every few minutes,
    catches a clock whose deadline moved into the past (a long pause resumed, a calendar change)."""

    clock_type = models.CharField(max_length=100)
    colour = models.CharField(max_length=8)
    swept_until = models.DateTimeField()
    full_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock_type", "colour"], name="lights_sweep_mark_unique")]

    def __str__(self) -> str:
        return f"{self.clock_type} {self.colour} {self.swept_until}"
