"""Ratings (好差评), follow-ups, return visits (回访) and public comments: the sources of the monthly stars.

- `Service`: a service rendered (an application issued, a help request closed...), referenced generically
  by its kind and id in the app that owns it, with who received it (an organisation and/or a person), the
  project it served and the lead steward of that project at the time. The app that renders the service
  registers it with `feedback.actions.register_service` (one row per kind + id).
- `Rating`: the recipient's rating of a service on the national five levels (one per service).
- `FollowUp`: a rating of 不满意 or worse opens one, on the legal clock; answered (核实/整改/解释) by staff,
  then rated by the enterprise.
- `ReturnVisit`: a supervisor's return visit to the enterprise, scored 0-100, about a steward.
- `PublicComment`: a public comment on a project, counted once a moderator approves it.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from onestop.worktime.models import Clock

USER = settings.AUTH_USER_MODEL


class ServiceKind(models.TextChoices):
    APPLICATION = "application", _("Application issued")  # 办件出件
    HELP_REQUEST = "help_request", _("Help request closed")  # 帮办代办
    DEMAND = "demand", _("Enterprise demand resolved")  # 企业诉求
    OTHER = "other", _("Other service")


class Level(models.TextChoices):
    """The national five levels (政务服务好差评) and their scores."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")  # 非常满意
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASIC = "basic", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")  # 非常不满意


SCORES = {Level.VERY_SATISFIED: 100, Level.SATISFIED: 80, Level.BASIC: 60, Level.DISSATISFIED: 20,
          Level.VERY_DISSATISFIED: 0}
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


class Channel(models.TextChoices):
    PORTAL = "portal", _("Online portal")  # 网上评价
    WINDOW_QR = "window_qr", _("QR code at the window")  # 窗口二维码
    CLERK_TABLET = "clerk_tablet", _("Clerk's tablet")  # 窗口评价器


class Service(models.Model):
    """A service someone received, to be rated: a generic reference (kind + id) into the owning app."""

    kind = models.CharField(pgettext_lazy("feedback", "kind"), max_length=16, choices=ServiceKind.choices)
    ref_id = models.PositiveBigIntegerField(_("reference"))
    title = models.CharField(_("service"), max_length=200)
    recipient_organisation = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("received by"))
    recipient_account = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    project = models.ForeignKey("enterprises.Project", models.PROTECT, null=True, blank=True,
                                related_name="services")
    steward = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="rated_services",
                                verbose_name=_("steward"))
    rendered_at = models.DateTimeField(_("rendered at"))

    class Meta:
        ordering = ["-rendered_at", "-id"]
        verbose_name = _("service")
        constraints = [models.UniqueConstraint(fields=["kind", "ref_id"], name="service_ref_unique")]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    service = models.OneToOneField(Service, models.PROTECT, related_name="rating")
    rater = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("rated by"))
    level = models.CharField(pgettext_lazy("feedback", "level"), max_length=20, choices=Level.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(pgettext_lazy("feedback", "channel"), max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(_("rated at"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rating")

    def __str__(self) -> str:
        return f"{self.service} · {self.get_level_display()}"


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Awaiting answer")  # 待处理
    ANSWERED = "answered", _("Answered")  # 已答复
    CLOSED = "closed", _("Rated by the enterprise")  # 已评价


class AnswerKind(models.TextChoices):
    VERIFIED = "verified", _("Verified")  # 核实
    RECTIFIED = "rectified", _("Rectified")  # 整改
    EXPLAINED = "explained", _("Explained")  # 解释说明


class FollowUp(Clock):
    """The follow-up of a bad rating (差评回访整改), on the legal clock."""

    rating = models.OneToOneField(Rating, models.PROTECT, related_name="follow_up")
    state = models.CharField(_("state"), max_length=8, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    answer_kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices, blank=True)
    answer = models.TextField(_("answer text"), blank=True)
    answered_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    level = models.CharField(_("enterprise's rating"), max_length=20, choices=Level.choices, blank=True)
    comment = models.TextField(_("enterprise's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    #: the `due_at` whose passing was notified (once per episode)
    overdue_notified_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("follow-up")

    def __str__(self) -> str:
        return f"差评整改 · {self.rating.service}"


class ReturnVisit(models.Model):
    """A return visit (回访) by a supervisor to a project's enterprise, scored 0-100, about its steward."""

    project = models.ForeignKey("enterprises.Project", models.PROTECT, related_name="return_visits")
    steward = models.ForeignKey(USER, models.PROTECT, related_name="return_visits", verbose_name=_("steward"))
    visited_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("visited by"))
    visited_on = models.DateField(_("visited on"), db_index=True)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("return visit")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")  # 好评
    NEUTRAL = "neutral", _("Neutral")  # 中评
    NEGATIVE = "negative", _("Negative")  # 差评


SENTIMENT_SCORES = {Sentiment.POSITIVE: 100, Sentiment.NEUTRAL: 60, Sentiment.NEGATIVE: 0}


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")  # 待审核
    APPROVED = "approved", _("Published")  # 已发布
    REJECTED = "rejected", pgettext_lazy("feedback", "Rejected")  # 不予发布


class PublicComment(models.Model):
    """A public comment on a project (社会评价), counted once approved by a moderator."""

    project = models.ForeignKey("enterprises.Project", models.PROTECT, related_name="public_comments")
    steward = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="public_comments")
    author_name = models.CharField(pgettext_lazy("feedback", "name"), max_length=64, blank=True)
    author = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"), db_index=True)
    state = models.CharField(_("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.PENDING)
    moderated_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("public comment")
