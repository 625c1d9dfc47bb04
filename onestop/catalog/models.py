"""The matter catalogue (事项清单) and "one thing" bundles (一件事) with ordered stages."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class LimitUnit(models.TextChoices):
    WORKDAY = "workday", _("Working days")  # 工作日
    NATURAL = "natural", _("Natural days")  # 自然日


class HandlingLevel(models.TextChoices):
    """The lowest level that may handle a matter (最低办理层级)."""

    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")


class MatterSource(models.TextChoices):
    DELEGATED = "delegated", _("Delegated to the town")  # 赋权事项
    VILLAGE = "village", _("Handled inside villages")  # 村内办理便民事项
    OWN = "own", _("Own matter")  # 本级事项


class Matter(models.Model):
    """A matter a department handles (事项), with its legal (法定) and promised (承诺) time limits.

    `form_fields` is a list of `{"name", "label", "type", "required"}`; `name` is shared across the
    matters of a bundle so the bundle's one form (一张表单) asks each field once.
    `warn_days` overrides DESIGN.md's default warn point, max(1, ceil(20% of the limit)).
    `broken_commitment_stops` (失信即终止): a commitment broken on one of its materials (容缺 or 告知承诺 not
    kept) stops the application; otherwise it is only recorded (`approvals.followups.record_broken_commitment`).
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="matters")
    legal_limit = models.PositiveIntegerField(_("legal time limit"))
    promised_limit = models.PositiveIntegerField(_("promised time limit"))
    limit_unit = models.CharField(_("limit unit"), max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKDAY)
    warn_days = models.PositiveIntegerField(_("warn days before the deadline"), null=True, blank=True)
    lowest_level = models.CharField(_("lowest handling level"), max_length=16, choices=HandlingLevel.choices)
    source = models.CharField(_("source"), max_length=16, choices=MatterSource.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    active = models.BooleanField(pgettext_lazy("catalog", "active"), default=True)
    broken_commitment_stops = models.BooleanField(_("a broken commitment stops the application"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("matter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_limit__lte=models.F("legal_limit")),
                name="matter_promise_within_legal_limit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InUseMaterials(models.Manager):
    """The default manager (and so `matter.materials`): only materials the matter still asks for."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(active=True)


class Material(models.Model):
    """A material a matter asks for (申请材料).

    `may_defer`: may be supplied later under 容缺受理; `may_commit`: may be replaced by the applicant's
    signed commitment under 告知承诺. A material dropped from a matter is retired (`active=False`), not
    deleted, because applications already made refer to it; `Material.objects` and `matter.materials`
    show only the ones in use, `Material.all_objects` every row.
    """

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=128)
    required = models.BooleanField(_("required"), default=True)
    may_defer = models.BooleanField(_("may be supplied later (容缺)"), default=False)
    may_commit = models.BooleanField(_("may be replaced by a commitment (告知承诺)"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    objects = InUseMaterials()
    all_objects = models.Manager()

    class Meta:
        ordering = ["matter", "position"]
        base_manager_name = "all_objects"
        verbose_name = _("material")
        constraints = [models.UniqueConstraint(fields=["matter", "name"], condition=models.Q(active=True),
                                               name="material_name_unique_in_matter")]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """A "one thing" bundle (一件事): named stages run in order, the matters in a stage in parallel."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bundle")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of a bundle (阶段), with its own promised limit and the matters handled in parallel in it."""

    bundle = models.ForeignKey(Bundle, models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=64)
    promised_limit = models.PositiveIntegerField(_("promised time limit"))
    limit_unit = models.CharField(_("limit unit"), max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKDAY)
    matters = models.ManyToManyField(Matter, related_name="stages", verbose_name=_("matters"))

    class Meta:
        ordering = ["bundle", "position"]
        verbose_name = _("stage")
        constraints = [models.UniqueConstraint(fields=["bundle", "position"], name="stage_position_unique")]

    def __str__(self) -> str:
        return f"{self.bundle.name} · {self.name}"
