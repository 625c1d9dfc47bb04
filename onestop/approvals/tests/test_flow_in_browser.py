"""In headless Chromium: an enterprise applies online for the registration stage, the window accepts it
through the materials checklist, two departments approve from their queues, the window issues the results,
and the enterprise sees every department's result on its portal."""
from __future__ import annotations

import pytest

from onestop.approvals.builders import build
from onestop.approvals.models import AppState, Application
from onestop.browser import log_in, new_context, screenshot

PASSWORD = "demo-pass-123"


@pytest.fixture
def world(transactional_db, calendar_kept):
    return build("E")


def as_user(browser, base_url: str, user):
    context = new_context(browser)
    page = context.new_page()
    log_in(page, base_url, user.username, PASSWORD)
    return context, page


def test_from_the_portal_through_intake_and_two_departments_to_issue(live_server, browser, world):
    w, base = world, live_server.url
    context, page = as_user(browser, base, w.enterprise_user)
    page.goto(f"{base}/approvals/apply/")
    page.select_option("#stage", str(w.stages[1].pk))
    page.select_option("#project", str(w.project.pk))
    with page.expect_navigation():
        page.click("[data-testid=fill]")
    assert page.input_value("[id='form.enterprise_name']") == w.investor.name  # the one form, from the records
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    app = Application.objects.get()
    assert page.inner_text("[data-testid=app-state]") == "待受理"
    context.close()

    context, page = as_user(browser, base, w.clerk)
    page.goto(f"{base}/approvals/{app.pk}/")
    for row in app.materials.select_related("material"):
        if row.material.required:
            page.check(f"[data-testid=material-{row.material_id}]")
    with page.expect_navigation():
        page.click("[data-testid=accept]")
    assert page.inner_text("[data-testid=app-state]") == "并联审批中"
    context.close()

    for name in ("企业设立登记", "公章刻制备案"):
        context, page = as_user(browser, base, w.approvers[name])
        page.goto(f"{base}/approvals/queue/")
        with page.expect_navigation():
            page.click("[data-testid=open-task]")
        page.fill("[data-testid=opinion]", f"{name}：同意")
        with page.expect_navigation():
            page.click("[data-testid=approve]")
        assert page.inner_text("[data-testid=task-state]") == "准予"
        context.close()

    context, page = as_user(browser, base, w.clerk)
    page.goto(f"{base}/approvals/{app.pk}/")
    assert page.inner_text("[data-testid=app-state]") == "准予"
    page.select_option("select[name=method]", "electronic")
    with page.expect_navigation():
        page.click("[data-testid=issue]")
    assert page.inner_text("[data-testid=app-state]") == "已出件办结"
    context.close()

    context, page = as_user(browser, base, w.enterprise_user)
    page.goto(f"{base}/approvals/{app.pk}/")
    results = page.inner_text("[data-testid=results]")
    assert "企业设立登记：同意" in results and "公章刻制备案：同意" in results
    screenshot(page, "approvals-portal-issued")
    context.close()
    app.refresh_from_db()
    assert app.state == AppState.ISSUED and len(app.results) == 2
