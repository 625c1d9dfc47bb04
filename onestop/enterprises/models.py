"""Enterprises and employer units (with a unified social credit code) and their projects."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")  # 企业
    EMPLOYER_UNIT = "employer_unit", _("Employer unit")  # 机关事业单位


class Enterprise(models.Model):
    """An applicant organisation (企业 / 机关事业单位), identified by its 18-character credit code.

    The code's check character (GB 32100-2015) is verified by `enterprises.creditcode` in the actions
    and by the API schema; the database only guarantees it is unique.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.ENTERPRISE)
    name = models.CharField(_("name"), max_length=128)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    address = models.CharField(_("address"), max_length=255, blank=True)
    place = models.ForeignKey("org.Place", models.PROTECT, null=True, blank=True, related_name="enterprises")
    industry = models.CharField(_("industry"), max_length=64, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    tags = models.CharField(_("tags"), max_length=128, blank=True, help_text=_("e.g. 专精特新\"小巨人\""))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person to reach at an enterprise (联系人)."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32)
    title = models.CharField(_("title"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["enterprise", "id"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"


class LandStatus(models.TextChoices):
    NONE = "none", _("No land yet")  # 未拿地
    CERTIFIED = "certified", _("Land certificate obtained")  # 已取得不动产权证


class ProjectStage(models.TextChoices):
    """Where a project stands, following the project-landing bundle's stages."""

    PLANNING = "planning", _("Planning")  # 洽谈谋划
    APPROVAL = "approval", _("Approval / filing")  # 项目立项
    REGISTRATION = "registration", _("Registration")  # 企业登记注册
    CONSTRUCTION = "construction", _("Construction")  # 建设施工
    ACCEPTANCE = "acceptance", _("Completion acceptance")  # 竣工验收
    LANDED = "landed", _("Landed")  # 已落地投产


class Project(models.Model):
    """An enterprise project being landed (项目)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    investor = models.ForeignKey(Enterprise, models.PROTECT, related_name="invested_projects", verbose_name=_("investor"))
    company = models.ForeignKey(
        Enterprise, models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("project company")
    )
    place = models.ForeignKey("org.Place", models.PROTECT, related_name="projects", verbose_name=_("location"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    investment = models.DecimalField(_("investment (10,000 yuan)"), max_digits=14, decimal_places=2)
    industry = models.CharField(_("industry"), max_length=64)
    land_status = models.CharField(_("land status"), max_length=16, choices=LandStatus.choices, default=LandStatus.NONE)
    land_certificate_no = models.CharField(_("land certificate number"), max_length=64, blank=True)
    land_certificate_on = models.DateField(_("land certificate date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.PLANNING)
    bundle = models.ForeignKey("catalog.Bundle", models.PROTECT, null=True, blank=True, related_name="projects")
    lead_steward = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="led_projects",
        verbose_name=_("lead steward"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="coached_projects",
        verbose_name=_("coach"), help_text=_("项目辅导员: gives pre-application coaching (批前辅导)"),
    )
    description = models.TextField(_("description"), blank=True)
    landed_on = models.DateField(_("landed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(land_status="none", land_certificate_on__isnull=True)
                | models.Q(land_status="certified", land_certificate_on__isnull=False),
                name="project_land_certificate_date_iff_certified",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommissionerAssignment(models.Model):
    """An enterprise commissioner (企业特派员) assigned to an enterprise; `until` set when reassigned.

    An assignment is current while `until` is empty or not yet past (see `org.access`).
    """

    commissioner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="commissioned")
    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="commissioner_assignments")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "-since"]
        verbose_name = _("commissioner assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(until__isnull=True), name="one_current_commissioner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} → {self.enterprise}"
