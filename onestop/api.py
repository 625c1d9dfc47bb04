"""The JSON API: one NinjaAPI, a router per app, errors in the one shape of onestop.errors."""
from django.http import Http404, HttpRequest, HttpResponse
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from onestop.errors import (
    DomainError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
)
from onestop.throttle import RETRY_AFTER

api = NinjaAPI(
    title="OneStop 项目落地一件事服务平台 API",
    version="1",
    urls_namespace="api",
    auth=SessionAuth(csrf=True),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _field_name(loc: list) -> str:
    # ninja reports ("body", "payload", "credit_code") or ("query", "days"); the user wants "credit_code".
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload", "file", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = {_field_name(list(e.get("loc", []))): e.get("msg", "invalid") for e in exc.errors}
    err = InvalidInput("输入有误，请检查标出的字段。", "Invalid input; see the fields named.", fields=fields)
    return domain_error(request, err)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return domain_error(request, NotAuthenticated())


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (a body that is not JSON, throttling...) in the one shape too."""
    if exc.status_code == 400:
        err = InvalidInput("请求内容无法解析。", f"The request body cannot be read: {exc}.", fields={"body": str(exc)})
    else:
        err = DomainError(str(exc), str(exc), code="http_error")
        err.status = exc.status_code
    return domain_error(request, err)


@api.exception_handler(Ratelimited)
def rate_limited(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    response = domain_error(request, TooManyRequests())
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return domain_error(request, NotFound())


def _register_routers() -> None:
    from onestop.approvals.api import router as approvals
    from onestop.catalog.api import router as catalog
    from onestop.enterprises.api import router as enterprises
    from onestop.feedback.api import router as feedback
    from onestop.lights.api import router as lights
    from onestop.org.api import router as org
    from onestop.outreach.api import router as outreach
    from onestop.seals.api import router as seals
    from onestop.stats.api import router as stats
    from onestop.stewards.api import router as stewards
    from onestop.web.api import router as web
    from onestop.worktime.api import router as worktime

    api.add_router("/", web)
    api.add_router("/", org)
    api.add_router("/catalog", catalog)
    api.add_router("/", enterprises)
    api.add_router("/worktime", worktime)
    api.add_router("/seals", seals)
    api.add_router("/approvals", approvals)
    api.add_router("/stewards", stewards)
    api.add_router("/feedback", feedback)
    api.add_router("/outreach", outreach)
    api.add_router("/lights", lights)
    api.add_router("/stats", stats)


_register_routers()
