"""Driving Debian's Chromium with Playwright (sync API) in tests: launch, log in, fonts, screenshots.

The root conftest.py builds on this: a `browser` fixture (one Chromium per test session) and a `page`
fixture (a fresh context per test, Chinese locale). Playwright's own browser download is never used:
`executable_path` points at the system Chromium that `make deps` installs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = os.environ.get("ONESTOP_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD_FIELD = "#id_password"
USERNAME_FIELD = "#id_username"


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium from the system (never Playwright's download)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make deps` installs Debian's chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)


def new_context(browser: Browser, locale: str = "zh-CN") -> BrowserContext:
    """A fresh context (no cookies), a Chinese-speaking user's browser by default, desktop size."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    return context


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form, as a person would, and wait for the page it leads to."""
    page.goto(f"{base_url}/login/")
    page.fill(USERNAME_FIELD, username)
    page.fill(PASSWORD_FIELD, password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")


def switch_language(page: Page, code: str) -> None:
    """Press the header's language button (`zh-hans` or `en`) and wait for the page to come back."""
    with page.expect_navigation():
        page.click(f"header button[name=language][value={code}]")


def cjk_font_families() -> set[str]:
    """Family names of the installed fonts that cover Chinese, as fontconfig lists them (every alias)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def rendering_fonts(page: Page, selector: str) -> list[dict]:
    """The platform fonts Chromium used to draw the text of the first node matching `selector`.

    Chrome DevTools Protocol `CSS.getPlatformFontsForNode`: one entry per font with `familyName` and
    `glyphCount`, i.e. what was really rendered after fallback, not what the CSS asked for.
    """
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise LookupError(f"no node matches {selector!r}")
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG to test-artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path
