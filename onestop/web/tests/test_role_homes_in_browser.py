"""Every role, in headless Chromium: log in through the form, land on its home in Chinese, drawn with an
installed CJK font, switch to English; a screenshot per role goes to test-artifacts/screenshots/."""
from __future__ import annotations

import pytest

from onestop.browser import cjk_font_families, log_in, rendering_fonts, screenshot, switch_language
from onestop.web.tests.world import CASES, PASSWORD, HomeCase, build_world

TITLE = "[data-testid=home-title]"


@pytest.fixture
def world(transactional_db, places):
    return build_world(places)


@pytest.fixture(scope="module")
def cjk_families() -> set[str]:
    families = cjk_font_families()
    assert families, "no installed font covers Chinese (fc-list :lang=zh is empty): `make deps` installs fonts-noto-cjk"
    return families


@pytest.mark.parametrize("case", CASES, ids=[c.role for c in CASES])
def test_role_logs_in_and_sees_its_home_in_chinese_then_english(live_server, page, world, cjk_families, case: HomeCase):
    log_in(page, live_server.url, case.role, PASSWORD)

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    body = page.inner_text("body")
    for text in case.zh:
        assert text in body, f"{case.role}: {text!r} missing from the Chinese home"
    for text in case.absent:
        assert text not in body, f"{case.role}: {text!r} is not this role's and must not show"

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
