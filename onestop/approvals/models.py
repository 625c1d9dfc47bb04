"""Applications (办件), their materials, department tasks, hand-overs and coaching records.

- `Application`: one application for a matter or for a stage of a bundle (一件事的一个阶段). It carries its
  own clock (`worktime.models.Clock`, from acceptance to issue) and the join's counters (`open_tasks`,
  `rejected_tasks`), which only the join changes, under a row lock on the application.
- `SubmittedMaterial`: each material the catalogue asks for, with what happened to it at intake; a material
  accepted as missing (容缺) carries its own clock: the deadline by which it is owed.
- `Task`: a matter of an accepted application in its department's queue, with its own clock.
- `Handover` (跨域通办), `CoachingRecord` (批前辅导).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from onestop.worktime.models import Clock


class Channel(models.TextChoices):
    WINDOW = "window", _("Comprehensive window")  # 综合窗口
    ONLINE = "online", _("Online")  # 网上申报
    VILLAGE_AGENT = "village_agent", _("Village agent")  # 村代办
    CROSS_REGION = "cross_region", _("Cross-region")  # 跨域通办


class AppState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting intake")  # 待受理
    NOTIFIED = "notified", _("Missing materials notified")  # 一次性告知
    IN_REVIEW = "in_review", _("In parallel review")  # 并联审批中
    APPROVED = "approved", _("Approved")  # 准予
    REJECTED = "rejected", _("Rejected")  # 不予
    ISSUED = "issued", _("Issued and closed")  # 已出件办结
    STOPPED = "stopped", pgettext_lazy("approvals", "Stopped")  # 终止
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回


DECIDED_STATES = (AppState.APPROVED, AppState.REJECTED)


class IssueMethod(models.TextChoices):
    WINDOW = "window", _("At the window")  # 窗口领取
    MAIL = "mail", _("By mail")  # 邮寄
    ELECTRONIC = "electronic", _("Electronically")  # 电子证照


class Application(Clock):
    """办件: for `matter`, or for `stage` of a bundle (then every matter of the stage is a task)."""

    matter = models.ForeignKey("catalog.Matter", models.PROTECT, null=True, blank=True, related_name="applications")
    stage = models.ForeignKey("catalog.Stage", models.PROTECT, null=True, blank=True, related_name="applications")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    applicant = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("applicant"),
    )
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="own_applications",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "enterprises.Project", models.PROTECT, null=True, blank=True, related_name="applications",
    )
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    taken_at = models.ForeignKey(
        "org.ServiceCentre", models.PROTECT, null=True, blank=True, related_name="taken_applications",
        verbose_name=_("taken at"),
    )
    handled_at = models.ForeignKey(
        "org.ServiceCentre", models.PROTECT, null=True, blank=True, related_name="handled_applications",
        verbose_name=_("handled at"),
    )
    state = models.CharField(_("state"), max_length=16, choices=AppState.choices, default=AppState.SUBMITTED)
    simulated = models.BooleanField(_("simulated approval"), default=False)  # 模拟审批
    formal_at = models.DateTimeField(_("turned formal at"), null=True, blank=True)
    previous = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="next_stages")
    resubmission_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="resubmissions")
    missing_notice = models.JSONField(_("missing materials notice"), default=list, blank=True)  # 一次性告知
    commitment = models.TextField(_("commitment"), blank=True)  # 告知承诺书
    acceptance_no = models.CharField(_("acceptance notice number"), max_length=32, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issue_method = models.CharField(_("issued"), max_length=16, choices=IssueMethod.choices, blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    open_tasks = models.PositiveIntegerField(default=0)
    rejected_tasks = models.PositiveIntegerField(default=0)
    alert = models.BooleanField(_("commitment alert"), default=False, db_index=True)
    land_to_permit_days = models.IntegerField(_("days from land certificate to permit"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(matter__isnull=False, stage__isnull=True)
                           | models.Q(matter__isnull=True, stage__isnull=False)),
                name="application_for_matter_or_stage",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="application_state")]  # no LIKE twin (see Task)

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """办件编号."""
        return f"BJ{self.pk:08d}" if self.pk else "BJ—"

    @property
    def title(self) -> str:
        if self.stage_id:
            return f"{self.stage.bundle.name} · {self.stage.name}"
        return self.matter.name if self.matter_id else ""


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("Provided")  # 已提交
    MISSING = "missing", _("Missing")  # 缺
    DEFERRED = "deferred", _("Owed (accepted with missing materials)")  # 容缺
    COMMITTED = "committed", _("Replaced by a commitment")  # 告知承诺
    SUPPLIED = "supplied", _("Supplied later")  # 已补交
    BROKEN = "broken", _("Commitment broken")  # 失信


class SubmittedMaterial(Clock):
    """A material of an application; an owed one (容缺 / 告知承诺) has a clock: its deadline."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="materials")
    material = models.ForeignKey("catalog.Material", models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=MaterialStatus.choices,
                              default=MaterialStatus.MISSING)
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "material__matter", "material__position"]
        verbose_name = _("submitted material")
        constraints = [models.UniqueConstraint(fields=["application", "material"], name="one_row_per_material")]

    def __str__(self) -> str:
        return f"{self.material} ({self.status})"


class TaskState(models.TextChoices):
    OPEN = "open", _("Waiting")  # 待办
    CLAIMED = "claimed", pgettext_lazy("approvals", "Claimed")  # 已签收
    SUPPLEMENT = "supplement", _("Waiting for supplement")  # 补正中
    APPROVED = "approved", _("Approved")  # 同意
    REJECTED = "rejected", _("Rejected")  # 不同意


OPEN_TASK_STATES = (TaskState.OPEN, TaskState.CLAIMED, TaskState.SUPPLEMENT)


class Task(Clock):
    """A matter of an application in its department's queue (部门审批任务), with its own clock."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="tasks")
    matter = models.ForeignKey("catalog.Matter", models.PROTECT, related_name="tasks")
    # no index of its own: task_queue starts with it
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="tasks", db_index=False)
    state = models.CharField(_("state"), max_length=16, choices=TaskState.choices, default=TaskState.OPEN)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    opinion = models.TextField(_("opinion"), blank=True)  # 审批意见 / 不予许可理由
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    supplement_request = models.TextField(_("supplement requested"), blank=True)  # 补正告知
    carried_over = models.BooleanField(_("opinion carried over from simulated approval"), default=False)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        indexes = [
            # state as a plain index, not db_index: that would add a LIKE twin on PostgreSQL which no query uses
            # and every task's writes would keep up to date
            models.Index(fields=["state"], name="task_state"),
            models.Index(fields=["department", "state", "due_at"], name="task_queue"),
            # the supervision board (lights.queries): partial, so they hold the open work and not the history;
            # red is a due_at range per department, person or matter, read from the index alone (narrow, as
            # the board counts every open task; clock_state is a key so that SQLite sees them as covering)
            models.Index(fields=["department", "due_at", "warn_at", "clock_state"],
                         condition=models.Q(clock_state="running"), name="task_running_by_department"),
            models.Index(fields=["department", "claimed_by", "due_at", "clock_state"],
                         condition=models.Q(clock_state="running"), name="task_running_by_person"),
            models.Index(fields=["matter", "due_at", "warn_at", "department", "clock_state"],
                         condition=models.Q(clock_state="running"), name="task_running_by_matter"),
            models.Index(fields=["department", "matter", "clock_state"], condition=models.Q(clock_state="paused"),
                         name="task_paused"),
        ]

    def __str__(self) -> str:
        return f"{self.matter.name} · {self.department.name} ({self.state})"


class Handover(models.Model):
    """跨域通办: the application passes from one service centre to another; both keep seeing it."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="handovers")
    from_centre = models.ForeignKey("org.ServiceCentre", models.PROTECT, related_name="+")
    to_centre = models.ForeignKey("org.ServiceCentre", models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class CoachingRecord(models.Model):
    """批前辅导: guidance a coach gave on a project before it applies."""

    project = models.ForeignKey("enterprises.Project", models.CASCADE, related_name="coaching_records")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    matter = models.ForeignKey("catalog.Matter", models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    guidance = models.TextField(_("guidance"))

    class Meta:
        ordering = ["-at", "-id"]
