"""Places, service centres, departments and the accounts of every role (DESIGN.md, "Permissions")."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlaceKind(models.TextChoices):
    """The administrative levels, top down: 新区 > 镇 > 社区 > 自然村 > 网格."""

    DISTRICT = "district", pgettext_lazy("place kind", "District")
    TOWN = "town", pgettext_lazy("place kind", "Town")
    COMMUNITY = "community", pgettext_lazy("place kind", "Community")
    VILLAGE = "village", pgettext_lazy("place kind", "Village")
    GRID = "grid", pgettext_lazy("place kind", "Grid")


PLACE_DEPTH = {kind: depth for depth, kind in enumerate(PlaceKind.values)}


class Place(models.Model):
    """A place in the tree district > town > community > village > grid (地点).

    `path` is the chain of codes from the root ("370211/boli/c01/"), so "everything in this town" is
    one indexed prefix query instead of a walk down the tree.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "code"], name="place_code_unique_in_parent")]
        verbose_name = _("place")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def contains(self, other: Place) -> bool:
        return other.path.startswith(self.path)


class CentreLevel(models.TextChoices):
    DISTRICT = "district", _("District administrative service centre")  # 区行政服务中心
    TOWN = "town", _("Town service centre")  # 镇便民服务中心
    VILLAGE = "village", _("Village service point")  # 村便民服务点


class ServiceCentre(models.Model):
    """A hall where applications are taken (服务中心 / 便民服务点)."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=CentreLevel.choices)
    place = models.ForeignKey(Place, models.PROTECT, related_name="service_centres", verbose_name=_("place"))
    address = models.CharField(_("address"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("service centre")

    def __str__(self) -> str:
        return self.name


class HallRole(models.TextChoices):
    """How a department sits in the hall."""

    LEAD = "lead", pgettext_lazy("hall role", "Lead")  # 牵头
    RESIDENT = "resident", pgettext_lazy("hall role", "Resident")  # 常驻 (not the role 群众)
    ON_DEMAND = "on_demand", pgettext_lazy("hall role", "On demand")  # 随驻


class Department(models.Model):
    """A department that owns matters and approves tasks (部门)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    hall_role = models.CharField(_("hall role"), max_length=16, choices=HallRole.choices)
    place = models.ForeignKey(Place, models.PROTECT, related_name="departments", verbose_name=_("place"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Every role of DESIGN.md's permission table, and the three kinds of applicant."""

    WINDOW_CLERK = "window_clerk", _("Window clerk")  # 综合窗口受理员
    APPROVER = "approver", _("Department approver")  # 部门审批人员
    DEPARTMENT_HEAD = "department_head", _("Department head")  # 部门负责人
    STEWARD = "steward", _("Project steward")  # 项目管家
    COACH = "coach", _("Project coach")  # 项目辅导员
    SUPERVISOR = "supervisor", _("Supervisor")  # 督办人员
    HELP_AGENT = "help_agent", _("Help agent")  # 帮办代办员
    GRID_WORKER = "grid_worker", _("Grid worker")  # 网格员
    COMMISSIONER = "commissioner", _("Enterprise commissioner")  # 企业特派员
    ADMINISTRATOR = "administrator", _("Administrator")  # 系统管理员
    ENTERPRISE = "enterprise", _("Enterprise")  # 企业
    EMPLOYER_UNIT = "employer_unit", _("Employer unit")  # 机关事业单位
    RESIDENT = "resident", _("Resident")  # 群众


APPLICANT_ROLES = frozenset({Role.ENTERPRISE, Role.EMPLOYER_UNIT, Role.RESIDENT})
DEPARTMENT_ROLES = frozenset({Role.APPROVER, Role.DEPARTMENT_HEAD})
AREA_ROLES = frozenset({Role.SUPERVISOR, Role.HELP_AGENT, Role.GRID_WORKER})


class Account(AbstractUser):
    """A person who logs in, with one role and what that role is attached to.

    A department role needs `department`; a clerk `service_centre`; an area role (supervisor, help agent,
    grid worker) `place`, the root of the area it works in; an enterprise or employer-unit account
    `organisation`. `clean()` enforces this, so the permission checks can rely on it.
    """

    role = models.CharField(_("role"), max_length=24, choices=Role.choices, db_index=True)
    display_name = models.CharField(_("display name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="staff")
    service_centre = models.ForeignKey(ServiceCentre, models.PROTECT, null=True, blank=True, related_name="staff")
    place = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="staff")
    organisation = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="accounts"
    )

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = _("account")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        need = {
            **{r: "department" for r in DEPARTMENT_ROLES},
            Role.WINDOW_CLERK: "service_centre",
            **{r: "place" for r in AREA_ROLES},
            Role.ENTERPRISE: "organisation",
            Role.EMPLOYER_UNIT: "organisation",
        }.get(self.role)
        if need and getattr(self, f"{need}_id") is None:
            raise ValidationError({need: _("This role needs a %(field)s.") % {"field": need}})

    @property
    def is_applicant(self) -> bool:
        return self.role in APPLICANT_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser
