"""Help on the spot (帮办代办) and enterprise commissioners (企业特派员).

- `HelpRequest`: someone (a resident or an enterprise, in person, by phone or on the portal) asks for help
  with a matter; it lands with the nearest agent by place (grid, village, town), runs on the legal clock
  (`worktime.models.Clock`) and is rated by the requester when done.
- `HelpStep`: what the agent did for a request (the errand log 代办记录), append-only.
- `Visit`: a commissioner's visit to an enterprise (走访).
- `Demand`: an enterprise's demand (诉求) recorded by its commissioner, on the legal clock, resolved or
  declared unresolvable with an explanation, then confirmed or disputed by the enterprise.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from onestop.worktime.models import Clock

USER = settings.AUTH_USER_MODEL


class HelpChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")  # 现场
    PHONE = "phone", _("By phone")  # 电话
    PORTAL = "portal", pgettext_lazy("outreach", "Online portal")  # 网上


class HelpState(models.TextChoices):
    RAISED = "raised", _("Raised")  # 待受理
    ACCEPTED = "accepted", _("Accepted")  # 办理中
    DONE = "done", pgettext_lazy("outreach", "Done")  # 已办结
    CLOSED = "closed", _("Closed without completion")  # 已关闭（撤回、重复、无法代办）


OPEN_HELP_STATES = (HelpState.RAISED, HelpState.ACCEPTED)


class AuthorisationKind(models.TextChoices):
    """How the requester authorised the agent to act on their behalf (授权委托)."""

    PORTAL = "portal", _("Confirmed by the requester online")  # 本人网上确认
    SIGNED_FORM = "signed_form", _("Signed power of attorney")  # 签署授权委托书
    RECORDED_CALL = "recorded_call", _("Recorded phone consent")  # 电话录音确认


class HelpRequest(Clock):
    """帮办代办请求: a matter someone needs help with, at a place, handled by one agent."""

    requester_account = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="help_requests",
                                          verbose_name=_("requester"))
    requester_enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True,
                                             related_name="help_requests", verbose_name=_("requesting enterprise"))
    contact_name = models.CharField(_("contact name"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    matter = models.ForeignKey("catalog.Matter", models.PROTECT, related_name="help_requests", verbose_name=_("matter"))
    place = models.ForeignKey("org.Place", models.PROTECT, related_name="help_requests", verbose_name=_("place"))
    channel = models.CharField(pgettext_lazy("outreach", "channel"), max_length=16, choices=HelpChannel.choices)
    description = models.TextField(pgettext_lazy("outreach", "description"))
    state = models.CharField(_("state"), max_length=16, choices=HelpState.choices, default=HelpState.RAISED,
                             db_index=True)
    agent = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="help_queue",
                              verbose_name=_("agent"))
    raised_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name=_("raised by"))
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    authorisation = models.CharField(_("authorisation"), max_length=16, choices=AuthorisationKind.choices, blank=True)
    authorisation_ref = models.CharField(_("authorisation reference"), max_length=128, blank=True)
    application = models.ForeignKey("approvals.Application", models.PROTECT, null=True, blank=True,
                                    related_name="help_requests", verbose_name=_("application filed"))
    result = models.TextField(_("result"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    rating_level = models.CharField(_("rating"), max_length=20, blank=True)
    rating_score = models.PositiveSmallIntegerField(_("rating score"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [models.Index(fields=["agent", "state"], name="outreach_help_agent_state")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(requester_account__isnull=False) | models.Q(requester_enterprise__isnull=False)
                           | ~models.Q(contact_name="")),
                name="help_request_has_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.matter.name}"

    @property
    def number(self) -> str:
        """帮办编号."""
        return f"HR{self.pk:07d}" if self.pk else "HR—"

    @property
    def village_level(self) -> bool:
        """A matter handled entirely at a village service point (村内办理)."""
        return self.matter.lowest_level == "village" or self.matter.source == "village"

    @property
    def is_authorised(self) -> bool:
        return self.authorised_at is not None

    @property
    def requester_label(self) -> str:
        if self.requester_enterprise_id:
            return self.requester_enterprise.name
        if self.requester_account_id:
            return str(self.requester_account)
        return self.contact_name


class StepKind(models.TextChoices):
    ERRAND = "errand", _("Errand")  # 跑腿代办
    CALL = "call", _("Phone call")  # 电话沟通
    VISIT = "visit", _("Home or site visit")  # 上门
    FILED = "filed", _("Application filed")  # 代为申报
    OTHER = "other", _("Other")


class HelpStep(models.Model):
    """One thing the agent did for a request (代办记录), append-only."""

    request = models.ForeignKey(HelpRequest, models.CASCADE, related_name="steps")
    kind = models.CharField(pgettext_lazy("outreach", "kind"), max_length=8, choices=StepKind.choices)
    note = models.TextField(pgettext_lazy("outreach", "note"))
    actor = models.ForeignKey(USER, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["request", "at", "id"]
        verbose_name = _("help step")


class Visit(models.Model):
    """走访: a commissioner's visit to one of its enterprises."""

    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, related_name="commissioner_visits",
                                   verbose_name=_("enterprise"))
    commissioner = models.ForeignKey(USER, models.PROTECT, related_name="visits", verbose_name=_("commissioner"))
    visited_on = models.DateField(pgettext_lazy("outreach", "visited on"), db_index=True)
    met = models.CharField(_("who was met"), max_length=200)
    discussed = models.TextField(_("what was discussed"))
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")


class DemandCategory(models.TextChoices):
    FINANCING = "financing", _("Financing")  # 融资
    POWER = "power", _("Power supply")  # 用电
    LABOUR = "labour", _("Labour")  # 用工
    LAND = "land", _("Land")  # 用地
    PERMITS = "permits", _("Permits")  # 审批
    OTHER = "other", _("Other")  # 其他


class DemandState(models.TextChoices):
    RAISED = "raised", _("Raised")  # 已提出
    ASSIGNED = "assigned", _("Assigned to a department")  # 已交办
    IN_PROGRESS = "in_progress", _("In progress")  # 办理中
    RESOLVED = "resolved", _("Resolved")  # 已解决
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved")  # 无法解决（附说明）


OPEN_DEMAND_STATES = (DemandState.RAISED, DemandState.ASSIGNED, DemandState.IN_PROGRESS)


class Verdict(models.TextChoices):
    PENDING = "", _("Awaiting the enterprise")  # 待企业确认
    CONFIRMED = "confirmed", _("Confirmed")  # 企业确认
    DISPUTED = "disputed", _("Disputed")  # 企业有异议


class Demand(Clock):
    """诉求: what an enterprise needs from the government, tracked to a resolution."""

    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, related_name="demands",
                                   verbose_name=_("enterprise"))
    commissioner = models.ForeignKey(USER, models.PROTECT, related_name="recorded_demands",
                                     verbose_name=_("commissioner"))
    visit = models.ForeignKey(Visit, models.SET_NULL, null=True, blank=True, related_name="demands")
    category = models.CharField(_("category"), max_length=16, choices=DemandCategory.choices)
    description = models.TextField(pgettext_lazy("outreach", "description"))
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="demands",
                                   verbose_name=_("department"))
    state = models.CharField(_("state"), max_length=16, choices=DemandState.choices, default=DemandState.RAISED,
                             db_index=True)
    resolution = models.TextField(_("resolution"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    verdict = models.CharField(_("enterprise's verdict"), max_length=16, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("enterprise's note"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    verdict_at = models.DateTimeField(_("verdict at"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("demand")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="resolved") | ~models.Q(resolution=""), name="demand_resolved_has_text"),
            models.CheckConstraint(
                condition=~models.Q(state="unresolvable") | ~models.Q(explanation=""),
                name="demand_unresolvable_has_explanation"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise.name} · {self.get_category_display()}"

    @property
    def number(self) -> str:
        """诉求编号."""
        return f"SQ{self.pk:07d}" if self.pk else "SQ—"
