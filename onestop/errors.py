"""The one error shape of the platform (DESIGN.md, "Errors").

Actions raise these; the API turns them into
`{"error": code, "message": {"zh", "en"}, "fields": {...}, "state": ...}` with the status below,
and pages show the same message beside the field.
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can understand: a code, a message in Chinese and English, the fields at fault."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        state: str | None = None,
    ) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
        if code:
            self.code = code
        self.fields = fields or {}
        self.state = state

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": {"zh": self.zh, "en": self.en}, "fields": self.fields}
        if self.state is not None:
            body["state"] = self.state
        return body


class InvalidInput(DomainError):
    """400: the input is wrong; `fields` names each field and its problem."""

    status = 400
    code = "invalid"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"

    def __init__(self) -> None:
        super().__init__("请先登录。", "Please log in first.")


class Forbidden(DomainError):
    """403: the caller may see the thing but not do this to it."""

    status = 403
    code = "forbidden"

    def __init__(self, zh: str = "您无权执行此操作。", en: str = "You may not do this.", **kw: Any) -> None:
        super().__init__(zh, en, **kw)


class NotFound(DomainError):
    """404: absent, or not visible to the caller (its existence is not revealed)."""

    status = 404
    code = "not_found"

    def __init__(self, what: str = "object", zh_what: str = "对象") -> None:
        super().__init__(f"{zh_what}不存在。", f"No such {what}.")


class Conflict(DomainError):
    """409: the action does not fit the current state, which is returned in `state`."""

    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """Over a rate limit (onestop.throttle)."""

    status = 429
    code = "rate_limited"

    def __init__(self) -> None:
        super().__init__("请求过于频繁，请一分钟后再试。", "Too many requests; try again in a minute.")


def field_error(field: str, zh: str, en: str, code: str = "invalid") -> InvalidInput:
    """Shortcut for the common case of one bad field."""
    return InvalidInput(zh, en, code=code, fields={field: en})
