"""Test set-up shared by every app: fast password hashing, the places every test can use, and a browser.

`browser` is one headless Debian Chromium per test session (Playwright, sync API); `page` is a fresh
context per test with a Chinese locale. Use them with pytest-django's `live_server`; helpers to log in,
switch language, read the rendering fonts and save screenshots are in `onestop.browser`.
"""
import os

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with nothing counted against the rate limits (onestop.throttle, Django's cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def places(db):
    from onestop.testing import place_tree

    return place_tree()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    from onestop.browser import launch

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse ORM calls
    # made by the test itself ("async context"), although they are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh browser context and page (no cookies), Chinese locale, desktop size."""
    from onestop.browser import new_context

    context = new_context(browser)
    tab = context.new_page()
    yield tab
    context.close()
