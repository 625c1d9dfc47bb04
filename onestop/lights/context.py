"""A context processor for the page header: `unread_notifications`, the inbox's unread count.

Add "onestop.lights.context.inbox" to TEMPLATES' context_processors to show it in web/base.html.
"""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .queries import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    return {"unread_notifications": unread_count(getattr(request, "user", None))}
