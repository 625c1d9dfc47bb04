"""The official calendar (法定节假日与调休) and the clock (时限) that every table with a time limit inherits.

- `CalendarYear` / `CalendarDay`: the dates that differ from the weekend rule, per year, with the holiday's
  name; a year that is not published follows the weekend rule and its deadlines are provisional.
- `CalendarVersion`: one row whose number and token change with every calendar change, so each process's
  cached tables (`workdays.current()`) notice a change made by another.
- `Clock`: the abstract clock (start, pauses, extensions, stop), its derived values stored for indexed
  queries; `ClockEvent`: the one append-only log of every clock, which `clock.replay` turns back into
  exactly those values.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

FIRST_YEAR, LAST_YEAR = 2004, 2099


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")  # 放假
    WORKDAY = "workday", _("Working weekend")  # 调休上班


class CalendarSource(models.TextChoices):
    PACKAGE = "chinesecalendar", _("chinesecalendar package")
    IMPORT = "import", _("Imported file")
    ADMIN = "admin", _("Entered by an administrator")


class CalendarYear(models.Model):
    """One year of the official calendar; `published` once the State Council's notice is in (已发布)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    published = models.BooleanField(_("published"), default=False)
    source = models.CharField(pgettext_lazy("worktime", "source"), max_length=16, choices=CalendarSource.choices,
                              default=CalendarSource.ADMIN)
    notice = models.CharField(_("notice"), max_length=200, blank=True)  # e.g. 国办发明电〔2025〕7号
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A named day: a holiday (including the weekend days inside a holiday period) or a working weekend."""

    year = models.ForeignKey(CalendarYear, models.CASCADE, related_name="days", verbose_name=_("year"))
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(pgettext_lazy("worktime", "kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError({"date": _("The date is not in this year.")})
        if self.date and self.kind == DayKind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError({"kind": _("A weekday is a working day already.")})


class CalendarVersion(models.Model):
    """The calendar's version (one row): bumped by every change, compared by every process's cache."""

    number = models.PositiveIntegerField(default=1)
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar version")

    def __str__(self) -> str:
        return f"v{self.number}"

    @classmethod
    def current(cls) -> CalendarVersion:
        return cls.objects.filter(pk=1).first() or cls(pk=1, number=0, token="")

    @classmethod
    def current_token(cls) -> str:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex


# -- the clock --------------------------------------------------------------------------------------


class LimitUnit(models.TextChoices):
    WORKDAY = "workday", _("Working days")  # 工作日
    NATURAL = "natural", _("Natural days")  # 自然日


class ClockState(models.TextChoices):
    IDLE = "idle", _("Not started")
    RUNNING = "running", _("Running")  # 计时中
    PAUSED = "paused", _("Paused")  # 暂停（中止计时）
    STOPPED = "stopped", _("Stopped")  # 办结


class PauseReason(models.TextChoices):
    """Why a clock stops counting: the periods the law leaves out of a time limit."""

    SUPPLEMENT = "supplement", _("Supplement (补正)")
    PUBLICITY = "publicity", _("Public notice (公示)")
    EXPERT_REVIEW = "expert_review", _("Expert review (专家评审)")
    SITE_SURVEY = "site_survey", _("Site survey (现场勘验)")
    HEARING = "hearing", _("Hearing (听证)")
    INSPECTION = "inspection", _("Inspection and testing (检验检测)")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    START = "start", _("Start")
    PAUSE = "pause", _("Pause")
    RESUME = "resume", _("Resume")
    EXTEND = "extend", _("Extension")
    STOP = "stop", _("Stop")


CLOCK_VALUE_FIELDS = (
    "clock_state", "limit_unit", "limit_days", "legal_limit_days", "warn_days", "extended_days",
    "started_at", "stopped_at", "paused", "paused_at", "pause_reason", "pause_due_at", "pause_warn_at",
    "days_consumed", "due_at", "warn_at", "legal_due_at", "provisional", "calendar_version",
)


class Clock(models.Model):
    """A time limit (时限) on whatever inherits this: a task, an application, an owed material...

    Every field here is derived from the clock's events (`ClockEvent`) by `clock.replay`, and written only
    by `worktime.actions`; they are stored so lists and sweeps can filter on them with an index.
    `due_at` is 00:00 Asia/Shanghai of the day after the last counted day; `warn_at` is W counted days
    before it; `legal_due_at` the same for the legal limit (法定时限). `days_consumed` is as of the last event.
    """

    clock_state = models.CharField(_("clock"), max_length=8, choices=ClockState.choices, default=ClockState.IDLE)
    limit_unit = models.CharField(_("limit unit"), max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKDAY)
    limit_days = models.PositiveIntegerField(_("promised time limit"), null=True, blank=True)
    legal_limit_days = models.PositiveIntegerField(_("legal time limit"), null=True, blank=True)
    warn_days = models.PositiveIntegerField(_("warn days"), null=True, blank=True)
    extended_days = models.PositiveIntegerField(_("extended by"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    paused = models.BooleanField(_("paused"), default=False, db_index=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=16, choices=PauseReason.choices, blank=True)
    pause_due_at = models.DateTimeField(_("pause due at"), null=True, blank=True, db_index=True)
    pause_warn_at = models.DateTimeField(_("pause warn at"), null=True, blank=True)
    days_consumed = models.PositiveIntegerField(_("days consumed"), default=0)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True, db_index=True)
    legal_due_at = models.DateTimeField(_("legal limit passes at"), null=True, blank=True, db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    calendar_version = models.PositiveIntegerField(_("calendar version"), default=0)

    class Meta:
        abstract = True

    @property
    def clock_type(self) -> str:
        return self._meta.label

    @property
    def is_open(self) -> bool:
        return self.clock_state in (ClockState.RUNNING, ClockState.PAUSED)

    @property
    def is_finished(self) -> bool:
        """Stopped: its light is the record of how it finished (on time, close to the limit, late)."""
        return self.clock_state == ClockState.STOPPED


# Every concrete clock model is found among the installed apps' models, so a calendar change recomputes
# them all; a model outside an installed app (a test's) is added with `register_clock_model`.
_EXTRA_CLOCK_MODELS: dict[str, type[Clock]] = {}


def register_clock_model(model: type[Clock]) -> None:
    _EXTRA_CLOCK_MODELS[model._meta.label] = model


def unregister_clock_model(model: type[Clock]) -> None:
    _EXTRA_CLOCK_MODELS.pop(model._meta.label, None)


def clock_models() -> list[type[Clock]]:
    from django.apps import apps

    found = {m._meta.label: m for m in apps.get_models() if issubclass(m, Clock)}
    return list({**found, **_EXTRA_CLOCK_MODELS}.values())


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN201
        raise TypeError("clock events are append-only")

    def delete(self):  # noqa: ANN201
        raise TypeError("clock events are append-only")


class ClockEvent(models.Model):
    """One entry of a clock's append-only log (计时记录): start, pause, resume, extension, stop.

    `days` is the limit (start), the extension (extend) or the pause's own limit (pause, e.g. the time the
    applicant has for 补正); `legal_days`, `unit` and `warn_days` are set on start.
    """

    clock_type = models.CharField(_("clock type"), max_length=100)
    clock_id = models.PositiveBigIntegerField(_("clock id"))
    seq = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(pgettext_lazy("worktime", "kind"), max_length=8, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    day = models.DateField(_("day"))  # the date of `at` in Asia/Shanghai
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    legal_days = models.PositiveIntegerField(_("legal days"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=LimitUnit.choices, blank=True)
    warn_days = models.PositiveIntegerField(_("warn days"), null=True, blank=True)
    reason = models.CharField(_("pause reason"), max_length=16, choices=PauseReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approver")
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["clock_type", "clock_id", "seq"]
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        constraints = [
            models.UniqueConstraint(fields=["clock_type", "clock_id", "seq"], name="clock_event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clock_type}#{self.clock_id} {self.seq} {self.kind} {self.day}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("clock events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN201
        raise TypeError("clock events are append-only")
