"""Every role, in headless Chromium: log in through the form, land on its home in Chinese, drawn with an
installed CJK font, switch to English; a screenshot per role goes to test-artifacts/screenshots/."""
from __future__ import annotations

import pytest

from onestop.browser import cjk_font_families, log_in, new_context, rendering_fonts, screenshot, switch_language
from onestop.org.models import Role
from onestop.web.tests.world import CASES, PASSWORD, WAITING, HomeCase, add_work, build_world

TITLE = "[data-testid=home-title]"


@pytest.fixture
def world(transactional_db, places):
    accounts = build_world(places)
    add_work(accounts, places)
    return accounts


@pytest.fixture(scope="module")
def cjk_families() -> set[str]:
    families = cjk_font_families()
    assert families, "no installed font covers Chinese (fc-list :lang=zh is empty): `make deps` installs fonts-noto-cjk"
    return families


def _check_role(page, base_url: str, case: HomeCase, cjk_families: set[str]) -> None:
    log_in(page, base_url, case.role, PASSWORD)

    assert page.url == f"{base_url}/", f"{case.role}: landed on {page.url}"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    body = page.inner_text("body")
    for text in case.zh:
        assert text in body, f"{case.role}: {text!r} missing from the Chinese home"
    for text in case.absent:
        assert text not in body, f"{case.role}: {text!r} is not this role's and must not show"
    for text in WAITING.get(case.role, ()):
        assert text in body, f"{case.role}: {text!r} missing from what waits for it"

    fonts = rendering_fonts(page, TITLE)
    used = {f["familyName"] for f in fonts if f["glyphCount"] > 0}
    assert used, f"{case.role}: Chromium reports no font for the heading"
    assert used <= cjk_families, f"{case.role}: the Chinese heading is drawn with {used}, not an installed CJK font"
    screenshot(page, case.role)

    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    body = page.inner_text("body")
    for text in case.en:
        assert text in body, f"{case.role}: {text!r} missing from the English home"
    assert "Sign out" in body
    screenshot(page, f"{case.role}-en")


def test_every_role_logs_in_and_sees_its_home_in_chinese_then_english(live_server, browser, world, cjk_families):
    """One database for all roles (a live-server test empties every table afterwards, which is slow on
    PostgreSQL); each role gets its own browser context, and every failing role is reported."""
    failures = []
    for case in CASES:
        context = new_context(browser)
        try:
            _check_role(context.new_page(), live_server.url, case, cjk_families)
        except AssertionError as problem:
            failures.append(str(problem).splitlines()[0])
        finally:
            context.close()
    assert not failures, "\n".join(failures)
    assert len(CASES) == len(Role.values)  # every role of the permission table and every applicant

def test_login_page_is_chinese_in_a_cjk_font_and_logout_returns_to_it(live_server, page, world, cjk_families):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/login/?next=/"
    assert page.inner_text("main h1") == "登录"
    used = {f["familyName"] for f in rendering_fonts(page, "main h1") if f["glyphCount"] > 0}
    assert used and used <= cjk_families, f"the login heading is drawn with {used}"
    screenshot(page, "login")

    page.fill("#id_username", "resident")
    page.fill("#id_password", "wrong-password")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert "请输入一个正确的" in page.inner_text("[role=alert]")

    log_in(page, live_server.url, "resident", PASSWORD)
    with page.expect_navigation():
        page.click("header form[action='/logout/'] button")
    assert page.url == f"{live_server.url}/login/"
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
