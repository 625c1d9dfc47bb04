"""Chinese by default, English by the header's switch (Django's set_language), and back."""
from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from onestop import testing
from onestop.org.models import Role


def test_pages_are_chinese_by_default(client, db):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page


def test_switch_posts_to_set_language_and_returns_to_the_page(client, db):
    page = client.get("/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="en"' in page and 'name="next" value="/login/"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Username" in page and "Project Landing One-Thing Service Platform" in page


def test_switch_back_to_chinese(client, db):
    testing.account(Role.STEWARD, username="guanjia")
    client.login(username="guanjia", password="demo-pass-123")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Project steward workspace" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/").content.decode()
    assert "项目管家工作台" in page and "Project steward workspace" not in page


def test_current_language_button_is_marked_pressed(client, db):
    page = client.get("/login/").content.decode()
    assert 'value="zh-hans" lang="zh-hans"\n                    aria-pressed="true"' in page
    assert 'value="en" lang="en"\n                    aria-pressed="false"' in page


def test_chinese_first_middleware_ignores_the_browsers_language(client, db):
    """With ChineseFirstMiddleware, an English browser still gets Chinese until the switch is used."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.middleware.locale.LocaleMiddleware"),
                      "onestop.web.middleware.ChineseFirstMiddleware")
    with override_settings(MIDDLEWARE=middleware):
        page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert '<html lang="zh-hans">' in page
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert '<html lang="en">' in page
