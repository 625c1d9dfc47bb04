"""In headless Chromium: the enterprise posts in its project's group, the steward sees it appear without a
reload (htmx polling) and answers, the enterprise sees the answer; then the enterprise rates an issued
application through the rating page."""
from __future__ import annotations

import pytest

from onestop.browser import log_in, new_context, screenshot
from onestop.feedback import actions as feedback
from onestop.feedback.models import Rating
from onestop.stewards.tests.world import build

PASSWORD = "demo-pass-123"


@pytest.fixture
def world(transactional_db, places):
    return build(places, n_stewards=1, n_projects=1)


def test_the_enterprise_posts_the_steward_sees_it_without_reload_and_answers(live_server, browser, world):
    base, project = live_server.url, world.projects[0]
    steward_ctx, enterprise_ctx = new_context(browser), new_context(browser)
    try:
        steward, enterprise = steward_ctx.new_page(), enterprise_ctx.new_page()
        log_in(steward, base, world.stewards[0].username, PASSWORD)
        log_in(enterprise, base, world.users[0].username, PASSWORD)
        steward.goto(f"{base}/stewards/projects/{project.pk}/")
        steward.evaluate("window.__notReloaded = true")
        enterprise.goto(f"{base}/stewards/projects/{project.pk}/")

        enterprise.fill("[data-testid=message-body]", "请问施工许可什么时候能办好？")
        enterprise.click("[data-testid=send]")
        enterprise.locator("#thread .msg", has_text="施工许可").wait_for()
        assert enterprise.input_value("[data-testid=message-body]") == ""

        steward.locator("#thread .msg", has_text="施工许可").wait_for(timeout=8_000)
        assert steward.evaluate("window.__notReloaded") is True
        steward.fill("[data-testid=message-body]", "材料齐全，预计本周五出证。")
        steward.click("[data-testid=send]")
        enterprise.locator("#thread .msg", has_text="本周五出证").wait_for(timeout=8_000)
        # the enterprise's own message shows that the steward has read it
        enterprise.locator("#thread .msg.mine .receipt", has_text="1").first.wait_for(timeout=8_000)
        screenshot(steward, "stewards-liaison-group")

        service = feedback.register_service("application", 424242, "建筑工程施工许可证", project=project,
                                            recipient_organisation=world.enterprises[0])
        enterprise.goto(f"{base}/feedback/")
        enterprise.click(f"a[href='/feedback/services/{service.pk}/rate/']")
        enterprise.check("input[name=level][value=satisfied]")
        enterprise.fill("#id_comment", "管家很负责")
        with enterprise.expect_navigation():
            enterprise.click("[data-testid=submit-rating]")
        assert "感谢您的评价" in enterprise.inner_text("body")
        rating = Rating.objects.get(service=service)
        assert (rating.level, rating.score, rating.rater_id) == ("satisfied", 80, world.users[0].pk)
    finally:
        steward_ctx.close()
        enterprise_ctx.close()
