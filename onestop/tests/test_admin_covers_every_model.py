"""The Django admin lists every model of the platform's apps, and each list opens for an administrator."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from onestop import testing
from onestop.org.models import Role

# Tables that are only plumbing of another model (no page of their own is useful).
NOT_IN_ADMIN = {"IdempotencyRecord", "CalendarDay", "BatchItem", "DocumentCounter", "Authority"}


def platform_models():
    return [m for m in apps.get_models() if m.__module__.startswith("onestop.") and not m._meta.abstract]


def test_every_platform_model_is_registered_in_the_admin():
    shown = set(admin.site._registry) | {inline.model for ma in admin.site._registry.values() for inline in ma.inlines}
    missing = [m._meta.label for m in platform_models() if m not in shown and m.__name__ not in NOT_IN_ADMIN]
    assert not missing, f"models without an admin: {missing}"


@pytest.mark.django_db
def test_every_admin_list_opens_for_an_administrator(client):
    boss = testing.account(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(boss)
    failures = {}
    for model in admin.site._registry:
        if not model.__module__.startswith("onestop."):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = client.get(url).status_code
        if status != 200:
            failures[model._meta.label] = status
    assert not failures
