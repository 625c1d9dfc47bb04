"""Template helpers of the base layout: the header navigation and labels that need a context."""
from __future__ import annotations

from django import template
from django.template import Context
from django.utils.translation import ngettext

from onestop.web.roles import HALL_ROLE_LABELS, ROLE_LABELS, NavItem, navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def role_navigation(context: Context) -> list[NavItem]:
    """The header links of the logged-in account, the current one marked active."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return []
    return navigation(user, request.path)


@register.simple_tag(takes_context=True)
def unread_notices(context: Context) -> dict[str, int]:
    """Unread notices of the logged-in account in the platform's one inbox (lights: 催办/督办, the stewards'
    reminders, overdue follow-ups)."""
    from onestop.lights.queries import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox": 0}
    return {"inbox": unread_count(user)}


@register.filter
def hall_role_label(value: str) -> str:
    """部门在大厅的角色: 牵头 / 常驻 / 随驻."""
    return str(HALL_ROLE_LABELS.get(value, value))


@register.filter
def role_label(role: str) -> str:
    """The name of a role as DESIGN.md has it: 综合窗口受理员, 部门审批人员, ... 群众."""
    return str(ROLE_LABELS.get(role, role))


@register.filter
def limit_days(days: int, unit: str) -> str:
    """A time limit with its unit: "5 个工作日" / "5 working days" (natural days: 自然日)."""
    if unit == "natural":
        text = ngettext("%(n)d natural day", "%(n)d natural days", days)
    else:
        text = ngettext("%(n)d working day", "%(n)d working days", days)
    return text % {"n": days}
