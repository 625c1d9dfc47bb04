"""Platform-wide records of the web layer."""
from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a creating API request sent with an `Idempotency-Key` header.

    `status` is null while the first request is still being handled.
    """

    key = models.CharField(max_length=255)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=128, blank=True)
    response = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="idempotency_key_unique_per_account"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(account__isnull=True), name="idempotency_key_unique_anonymous"
            ),
        ]
