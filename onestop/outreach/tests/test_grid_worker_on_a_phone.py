"""In headless Chromium at a phone's viewport: a grid worker logs in, accepts a request and closes it."""
from __future__ import annotations

import pytest

from onestop.browser import log_in
from onestop.outreach import actions
from onestop.outreach.models import HelpRequest
from onestop.outreach.tests.conftest import build_world

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_a_grid_worker_accepts_and_closes_a_request_on_a_phone(live_world, live_server, browser):
    w = live_world
    r = actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=w.p["grid"].pk,
                              description="老人需要上门代办优待证")
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, live_server.url, w.grid_worker.username, "demo-pass-123")
        page.goto(f"{live_server.url}/outreach/")
        card = page.locator(f"[data-testid=request-{r.pk}]")
        assert "老年人优待证办理" in card.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        with page.expect_navigation():
            card.locator("button[name=accept]").click()
        card = page.locator(f"[data-testid=request-{r.pk}]")
        card.locator("input[name=result]").fill("已上门收取材料并送达优待证")
        with page.expect_navigation():
            card.locator("button[name=complete]").click()
        assert page.locator("[data-testid=queue-empty]").is_visible()
    finally:
        context.close()
    r = HelpRequest.objects.get(pk=r.pk)
    assert (r.state, r.agent_id, r.result) == ("done", w.grid_worker.pk, "已上门收取材料并送达优待证")
