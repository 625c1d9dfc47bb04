"""Rate limits on what anyone may call without an account: the login form, seal verification (a PDF
checked per request), the platform's TSA (a signature per request) and public comments. Counted per client
address by django-ratelimit in Django's cache (`settings.RATE_LIMITS`, `REDIS_URL`); a request over the
limit gets 429 with Retry-After: a page (`onestop.web.views.too_many_requests`) or, in the API, the one
error shape with code `rate_limited`."""
from __future__ import annotations

from typing import Any, Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

RETRY_AFTER = 60  # seconds: every default rate is counted per minute


def rate(group: str, request: HttpRequest) -> str | None:
    """The rate of `group` as configured now ("off": none)."""
    value = settings.RATE_LIMITS.get(group, "")
    return None if value in ("", "off") else value


def limited(group: str, *, method: str | list[str] = "POST") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit a view to `settings.RATE_LIMITS[group]` requests per client address."""
    return ratelimit(group=group, key="ip", rate=rate, method=method, block=True)


def count(request: HttpRequest, group: str) -> None:
    """Count this request against `group`'s limit; over it, raise `Ratelimited` (429). For API operations,
    whose signatures django-ninja reads from the function itself, so they take no decorator."""
    if is_ratelimited(request, group=group, key="ip", rate=rate, method=ALL, increment=True):
        raise Ratelimited()

