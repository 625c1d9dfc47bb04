"""`Idempotency-Key` on creating API requests (DESIGN.md, "Errors").

The same key with the same method, path and body returns the first response again (marked
`Idempotent-Replayed: true`); the same key with another request is a 409. A request still being handled
under the key answers 409 with state "processing". Server errors are not remembered, so the client may
retry them under the same key. Keys are scoped to the account and kept for a day.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from onestop.errors import Conflict, InvalidInput
from onestop.web.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(days=1)
CREATING_METHODS = frozenset({"POST"})


def _error(err: Conflict | InvalidInput) -> JsonResponse:
    return JsonResponse(err.as_dict(), status=err.status, json_dumps_params={"ensure_ascii": False})


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if not key or request.method not in CREATING_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return _error(InvalidInput("幂等键过长。", "Idempotency-Key is too long (255 at most).",
                                       fields={HEADER: "at most 255 characters"}))
        account = request.user if request.user.is_authenticated else None
        digest = hashlib.sha256(request.body).hexdigest()
        record, replay = self._claim(key, account, request.method, request.path, digest)
        if replay is not None:
            return replay
        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code, content_type=response.get("Content-Type", ""), response=response.content
            )
        return response

    @staticmethod
    def _claim(key: str, account, method: str, path: str, digest: str):
        """Insert the key as "processing", or find what was stored under it: (record, None) or (None, reply)."""
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    key=key, account=account, method=method, path=path, body_sha256=digest
                )
            return record, None
        except IntegrityError:
            pass
        first = IdempotencyRecord.objects.get(key=key, account=account)
        if (first.method, first.path, first.body_sha256) != (method, path, digest):
            return None, _error(Conflict("该幂等键已用于另一个请求。", "This Idempotency-Key was used for another request.",
                                         code="idempotency_key_reused", fields={HEADER: "used for another request"},
                                         state="used"))
        if first.status is None:
            return None, _error(Conflict("相同请求仍在处理中。", "The first request with this key is still being handled.",
                                         code="idempotency_in_progress", state="processing"))
        reply = HttpResponse(bytes(first.response), status=first.status, content_type=first.content_type or None)
        reply["Idempotent-Replayed"] = "true"
        return None, reply


def prune_idempotency_records() -> int:
    """Forget keys older than a day; returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
