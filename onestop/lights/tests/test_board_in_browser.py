"""In headless Chromium: a supervisor opens the board, sees a red node, follows it to the task and closes
the task's ledger entry (销号) with a resolution."""
from datetime import timedelta

from django.utils import timezone

from onestop.browser import log_in, screenshot
from onestop.lights.models import LedgerEntry, LedgerState
from onestop.lights.sweep import sweep

from .conftest import accepted_stage

TASK = "企业投资项目备案"


def test_a_supervisor_follows_a_red_node_to_its_task_and_closes_its_ledger_entry(transactional_db, live_server, page, w):
    accepted_stage(w, at=timezone.now() - timedelta(days=60))
    sweep()
    matter = w.matters[TASK]
    log_in(page, live_server.url, w.supervisor.username, "demo-pass-123")

    page.goto(f"{live_server.url}/lights/board/{w.bundle.pk}")
    red = page.locator(f'[data-testid=flow] a[data-node="{matter.pk}"]')
    assert red.get_attribute("data-light") == "red"
    assert red.locator("text[data-light=red]").text_content() == "1"
    screenshot(page, "lights-board")
    red.click()
    page.wait_for_url(f"**/lights/board/{w.bundle.pk}/nodes/{matter.pk}")

    page.locator("[data-task] a").first.click()
    page.wait_for_url("**/lights/items/approvals.Task/*")
    assert page.locator(".page-head .light.red").count() >= 1  # overdue (and here past the legal limit too)
    page.locator("a[data-entry]").first.click()
    page.wait_for_url("**/lights/ledger/*")

    page.locator("[data-testid=close]").click()  # no resolution: refused beside the field
    assert "请填写销号说明" in page.inner_text("#resolution-error")
    page.fill("textarea[name=resolution]", "已督促部门办结，约谈整改")
    page.locator("[data-testid=close]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").get_attribute("data-state") == "closed"
    assert page.inner_text("[data-testid=resolution]") == "已督促部门办结，约谈整改"
    screenshot(page, "lights-ledger-closed")
    task_entry = LedgerEntry.objects.get(clock_type="approvals.Task", title__contains=TASK)
    assert task_entry.state == LedgerState.CLOSED and task_entry.closed_by == w.supervisor
