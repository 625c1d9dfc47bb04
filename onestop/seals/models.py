"""Seals (电子印章), the platform CA, who may use a seal, every use, issued documents and batch jobs."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class Authority(models.Model):
    """The platform's own certificate authority (平台CA) and its time-stamp service (TSA).

    One row. Keys are stored encrypted with a key derived from SEALS_KEY (or SECRET_KEY); the CRL is
    re-signed whenever a seal is revoked and before it goes stale, and served at /seals/ca.crl.
    """

    name = models.CharField(max_length=128)
    root_cert_pem = models.TextField()
    root_key_enc = models.BinaryField()
    tsa_cert_pem = models.TextField()
    tsa_key_enc = models.BinaryField()
    crl_number = models.PositiveIntegerField(default=0)
    crl_der = models.BinaryField(default=b"")
    crl_next_update = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SealKind(models.TextChoices):
    OFFICIAL = "official", _("Official seal")  # 公章
    APPROVAL = "approval", _("Administrative approval seal")  # 行政审批专用章
    PERSONNEL = "personnel", _("Personnel seal")  # 人事专用章
    CONTRACT = "contract", _("Contract seal")  # 合同专用章
    FINANCE = "finance", _("Finance seal")  # 财务专用章


SEAL_KIND_ZH = {
    SealKind.OFFICIAL: "公章", SealKind.APPROVAL: "行政审批专用章", SealKind.PERSONNEL: "人事专用章",
    SealKind.CONTRACT: "合同专用章", SealKind.FINANCE: "财务专用章",
}


class KeyAlgorithm(models.TextChoices):
    EC_P256 = "ec_p256", "ECDSA P-256"
    RSA_2048 = "rsa_2048", "RSA 2048"


class KeyProtection(models.TextChoices):
    """Government seals: encrypted with the platform key. Applicant seals: only the holder's passphrase.
    A seal on a hardware token (PKCS#11): the key never leaves the token; its PIN opens it at sealing."""

    PLATFORM = "platform", _("Platform key")
    PASSPHRASE = "passphrase", _("Holder's passphrase")
    PKCS11 = "pkcs11", _("Hardware token (PKCS#11)")


class Seal(models.Model):
    """An electronic seal (电子印章) of one organisation: exactly one of department, service centre, organisation."""

    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="seals")
    service_centre = models.ForeignKey("org.ServiceCentre", models.PROTECT, null=True, blank=True, related_name="seals")
    organisation = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="seals")
    owner_name = models.CharField(_("organisation name"), max_length=128)
    kind = models.CharField(pgettext_lazy("seals", "kind"), max_length=16, choices=SealKind.choices)
    algorithm = models.CharField(_("algorithm"), max_length=16, choices=KeyAlgorithm.choices, default=KeyAlgorithm.EC_P256)
    protection = models.CharField(max_length=16, choices=KeyProtection.choices)
    image_png = models.BinaryField(_("seal image"))
    image_uploaded = models.BooleanField(default=False)
    certificate_pem = models.TextField()
    chain_pem = models.TextField(blank=True, help_text="intermediate certificates of an imported PKCS#12")
    key_enc = models.BinaryField(blank=True, default=b"", help_text="empty for a PKCS#11 seal")
    pkcs11_module = models.CharField(_("PKCS#11 module"), max_length=255, blank=True)
    pkcs11_token = models.CharField(_("token label"), max_length=64, blank=True)
    pkcs11_key = models.CharField(_("key label"), max_length=64, blank=True)
    pkcs11_pin_env = models.CharField(
        _("PIN environment variable"), max_length=64, blank=True,
        help_text="the name of the environment variable holding the token's PIN (never the PIN itself); "
                  "empty: the PIN is asked at every sealing")
    serial_hex = models.CharField(max_length=64, db_index=True)
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=255, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, through="SealUser", through_fields=("seal", "account"),
                                   related_name="usable_seals")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="seal_exactly_one_owner",
                condition=(
                    Q(department__isnull=False, service_centre__isnull=True, organisation__isnull=True)
                    | Q(department__isnull=True, service_centre__isnull=False, organisation__isnull=True)
                    | Q(department__isnull=True, service_centre__isnull=True, organisation__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_name}{SEAL_KIND_ZH.get(self.kind, self.kind)}"

    @property
    def kind_zh(self) -> str:
        return SEAL_KIND_ZH.get(self.kind, self.kind)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SealUser(models.Model):
    """An account allowed to use a seal (用印授权)."""

    seal = models.ForeignKey(Seal, models.CASCADE, related_name="grants")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="seal_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seal", "account"], name="seal_user_unique")]


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")  # 受理通知书
    MISSING = "missing", _("One-time notice of missing materials")  # 一次性告知书
    TOLERANCE = "tolerance", _("Tolerance acceptance notice")  # 容缺受理通知书
    APPROVAL = "approval", _("Approval decision")  # 准予许可决定书
    LICENCE = "licence", _("Licence")  # 许可证
    REFUSAL = "refusal", _("Refusal decision")  # 不予许可决定书
    APPOINTMENT = "appointment", _("E-appointment letter")  # 电子聘书
    SUBMISSION = "submission", _("Submission")  # 报送材料 (an employer unit's sealed filing, §7)


class IssuedDocument(models.Model):
    """A sealed document the platform issued (已签发文书), archived so it can be re-verified years later."""

    number = models.CharField(_("document number"), max_length=64, unique=True)
    kind = models.CharField(pgettext_lazy("seals", "kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(pgettext_lazy("seals", "title"), max_length=128)
    recipient = models.CharField(_("recipient"), max_length=128, blank=True)
    data = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64, db_index=True)
    path = models.CharField(max_length=255, help_text="relative to VAR_DIR/seals")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    seals = models.ManyToManyField(Seal, related_name="documents")
    batch = models.ForeignKey("Batch", models.PROTECT, null=True, blank=True, related_name="documents")

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class SealUse(models.Model):
    """One use of a seal (用印记录): who, when, which document, which batch."""

    seal = models.ForeignKey(Seal, models.PROTECT, related_name="uses")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="seal_uses")
    at = models.DateTimeField(db_index=True)
    document = models.ForeignKey(IssuedDocument, models.PROTECT, related_name="uses")
    batch = models.ForeignKey("Batch", models.PROTECT, null=True, blank=True, related_name="uses")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]


class BatchState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("seals", "Running")
    DONE = "done", _("Done")


class BatchSource(models.TextChoices):
    SHEET = "sheet", _("Spreadsheet")  # new documents, one per row
    DOCUMENTS = "documents", _("Issued documents")  # one more seal on documents already issued


class Batch(models.Model):
    """A batch sealing job (批量签章): per-item state, a heartbeat, resumable by any worker."""

    seal = models.ForeignKey(Seal, models.PROTECT, related_name="batches")
    source = models.CharField(max_length=16, choices=BatchSource.choices, default=BatchSource.SHEET)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices, default=DocumentKind.APPOINTMENT)
    level = models.CharField(max_length=8, default="B-LT")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="seal_batches")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=BatchState.choices, default=BatchState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    runner = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    zip_path = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True, help_text="why the last runner stopped early (e.g. the TSA was down)")

    class Meta:
        ordering = ["-id"]


class ItemState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BatchItem(models.Model):
    """One row of a batch: its input, its state, its document once sealed, its error if it failed."""

    batch = models.ForeignKey(Batch, models.CASCADE, related_name="items")
    row = models.PositiveIntegerField()
    number = models.CharField(max_length=64)
    data = models.JSONField()
    state = models.CharField(max_length=16, choices=ItemState.choices, default=ItemState.PENDING, db_index=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # a document is issued by one batch but may later get another seal in another: a foreign key
    document = models.ForeignKey(IssuedDocument, models.PROTECT, null=True, blank=True, related_name="batch_items")

    class Meta:
        ordering = ["batch", "row"]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="batch_item_row_unique")]


class DocumentCounter(models.Model):
    """The last serial number used per document kind and year (文书编号), taken under a row lock."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_counter_unique")]
