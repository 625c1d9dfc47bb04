"""The project steward (项目管家): assignments, the liaison group, the battle plan, the division of labour.

- `Assignment`: who stewards a project (one lead 牵头管家, any helpers 协办管家) and since when; a
  reassignment ends the old row (`until`) and opens a new one, so the history is kept. The current lead
  mirrors `enterprises.Project.lead_steward`, which `actions.assign_lead` keeps in step.
- `Message`, `Receipt`: the liaison group (一个项目一个线上联络群) and read receipts (已读). The notices
  (someone @mentioned you, you were assigned) go to the platform's one inbox, `lights.Notification`,
  through `lights.actions.notify`.
- `Milestone`: a node of the battle plan (作战计划表) on the common clock (`worktime.models.Clock`), so a
  late milestone lights the project and enters the overdue ledger like a task; the light sweep's red
  notice goes to its department head and the project's stewards (lead and helpers, `queries.current_stewards`).
- `WorkItem`: a row of the division-of-labour table (分工明细表).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from onestop.worktime.models import Clock

USER = settings.AUTH_USER_MODEL


class StewardRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("steward", "Lead steward")  # 牵头管家
    HELPER = "helper", pgettext_lazy("steward", "Helper steward")  # 协办管家


class Assignment(models.Model):
    """A steward on a project from `since` until `until` (empty while current)."""

    project = models.ForeignKey("enterprises.Project", models.CASCADE, related_name="steward_assignments")
    steward = models.ForeignKey(USER, models.PROTECT, related_name="steward_assignments", verbose_name=_("steward"))
    role = models.CharField(_("role"), max_length=8, choices=StewardRole.choices)
    since = models.DateTimeField(pgettext_lazy("stewards", "since"))
    until = models.DateTimeField(pgettext_lazy("stewards", "until"), null=True, blank=True)
    assigned_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["project", "-since", "id"]
        verbose_name = _("steward assignment")
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=models.Q(until__isnull=True, role="lead"),
                                    name="steward_one_current_lead"),
            models.UniqueConstraint(fields=["project", "steward"], condition=models.Q(until__isnull=True),
                                    name="steward_once_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.steward} → {self.project} ({self.role})"


class Message(models.Model):
    """A message in a project's liaison group, with at most one attachment (stored in the database)."""

    project = models.ForeignKey("enterprises.Project", models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    mentions = models.ManyToManyField(USER, blank=True, related_name="+", verbose_name=_("mentions"))
    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("attachment size"), default=0)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_data = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["project", "created_at", "id"]
        verbose_name = _("message")

    def __str__(self) -> str:
        return f"{self.project_id}#{self.pk} {self.author}"


class Receipt(models.Model):
    """That `reader` has seen `message` (已读回执)."""

    message = models.ForeignKey(Message, models.CASCADE, related_name="receipts")
    reader = models.ForeignKey(USER, models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("read receipt")
        constraints = [models.UniqueConstraint(fields=["message", "reader"], name="receipt_once")]


class Milestone(Clock):
    """A milestone of the battle plan (作战计划节点): planned and actual dates, owner, dependencies.

    Its clock starts on the planned start with the natural days to the planned end as its limit (a period
    ending on a non-working day ends on the next working day), and stops on the actual end.
    """

    project = models.ForeignKey("enterprises.Project", models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=128)
    owner = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=pgettext_lazy("stewards", "department"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependants",
                                        verbose_name=_("depends on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["project", "position", "planned_start", "id"]
        verbose_name = _("milestone")

    def __str__(self) -> str:
        return self.name


class WorkState(models.TextChoices):
    TODO = "todo", _("To do")  # 待办
    DOING = "doing", _("In progress")  # 办理中
    BLOCKED = "blocked", _("Blocked")  # 受阻
    DONE = "done", pgettext_lazy("stewards", "Done")  # 已完成


class WorkItem(models.Model):
    """A row of the division-of-labour table (分工明细表): a task for a department or a person."""

    project = models.ForeignKey("enterprises.Project", models.CASCADE, related_name="work_items")
    title = models.CharField(pgettext_lazy("stewards", "task"), max_length=200)
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=pgettext_lazy("stewards", "department"))
    owner = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=WorkState.choices, default=WorkState.TODO)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["project", "deadline", "id"]
        verbose_name = _("division-of-labour task")

    def __str__(self) -> str:
        return self.title
