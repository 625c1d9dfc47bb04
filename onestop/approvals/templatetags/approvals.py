"""Template helpers of the approval pages."""
from __future__ import annotations

from django import template

from onestop.approvals.models import AppState, TaskState

register = template.Library()
STATE_LABELS = {**dict(TaskState.choices), **dict(AppState.choices)}  # an application's where both have one


@register.filter
def state_label(state: str) -> str:
    """An application's or a task's state in words (a refusal's 409 names the state it found)."""
    return str(STATE_LABELS.get(state, state))
