"""The overdue ledger: the department answers, only a supervisor closes, only with a resolution, only once."""
import io

import openpyxl
import pytest

from onestop import testing as t
from onestop.approvals.models import Task
from onestop.audit.models import Event
from onestop.lights import queries
from onestop.lights.models import LedgerEntry, LedgerState, Notification
from onestop.lights.sweep import sweep
from onestop.org.models import Role

from .conftest import accepted_stage, day

TASK = "企业投资项目备案"


@pytest.fixture
def entry(w):
    app = accepted_stage(w)
    sweep(day(2026, 3, 6, 10))
    task = Task.objects.get(application=app, matter__name=TASK)
    return LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)


def post(client, user, url, body):
    client.force_login(user)
    return client.post(url, body, content_type="application/json")


def test_the_department_head_answers_and_a_supervisor_closes(client, w, entry):
    r = post(client, w.heads[TASK], f"/api/lights/ledger/{entry.pk}/answer", {"reason": "材料复核", "remedy": "加派人手"})
    assert r.status_code == 200 and r.json()["state"] == "answered"
    r = post(client, w.supervisor, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "已办结，约谈部门"})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "closed" and r.json()["closed_by"] == w.supervisor.display_name
    actions = list(Event.objects.filter(chain__aggregate_type="lights.LedgerEntry", chain__aggregate_id=str(entry.pk))
                   .values_list("action", flat=True))
    assert actions == ["lights.ledger_answered", "lights.ledger_closed"]


def test_closing_without_a_resolution_is_refused_naming_the_field(client, w, entry):
    r = post(client, w.supervisor, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "  "})
    assert r.status_code == 400
    assert r.json()["fields"] == {"resolution": "required"} and r.json()["message"]["zh"]
    assert LedgerEntry.objects.get(pk=entry.pk).state == LedgerState.OPEN


def test_only_a_supervisor_closes(client, w, entry):
    r = post(client, w.heads[TASK], f"/api/lights/ledger/{entry.pk}/close", {"resolution": "自行销号"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    admin = w.admin
    assert post(client, admin, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "x"}).status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).state == LedgerState.OPEN


def test_closing_twice_is_a_conflict_with_the_state(client, w, entry):
    assert post(client, w.supervisor, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "已办结"}).status_code == 200
    r = post(client, w.supervisor, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "再次"})
    assert r.status_code == 409 and r.json()["state"] == "closed"
    assert LedgerEntry.objects.get(pk=entry.pk).resolution == "已办结"


def test_a_supervisor_of_another_area_and_an_enterprise_do_not_see_it(client, w, entry):
    elsewhere = t.account(Role.SUPERVISOR, place=w.places["other_town"])
    assert post(client, elsewhere, f"/api/lights/ledger/{entry.pk}/close", {"resolution": "x"}).status_code == 404
    client.force_login(w.enterprise_user)
    assert client.get(f"/api/lights/ledger/{entry.pk}").status_code == 404


def test_answering_needs_both_reason_and_remedy(client, w, entry):
    r = post(client, w.heads[TASK], f"/api/lights/ledger/{entry.pk}/answer", {"reason": "", "remedy": ""})
    assert r.status_code == 400 and set(r.json()["fields"]) == {"reason", "remedy"}


def test_the_ledger_exports_to_excel(client, w, entry):
    client.force_login(w.supervisor)
    r = client.get("/api/lights/ledger.xlsx")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("编号") and rows[1][0] == entry.number and TASK in rows[1][1]
    assert rows[1][2] == w.departments[TASK].name


def test_the_page_closes_an_entry_and_shows_a_missing_resolution_beside_the_field(client, w, entry):
    client.force_login(w.supervisor)
    r = client.post(f"/lights/ledger/{entry.pk}", {"do": "close", "resolution": ""})
    assert r.status_code == 400 and "请填写销号说明" in r.content.decode()
    r = client.post(f"/lights/ledger/{entry.pk}", {"do": "close", "resolution": "已办结"})
    assert r.status_code == 302
    assert LedgerEntry.objects.get(pk=entry.pk).state == LedgerState.CLOSED


def test_the_ledger_page_counts_every_entry_and_pages_through_them_keeping_the_state(client, w, entry):
    copies = []
    for n in range(1, queries.PAGE_SIZE + 1):
        copy = LedgerEntry.objects.get(pk=entry.pk)
        copy.pk, copy.clock_id = None, entry.clock_id + 10_000 + n
        copies.append(copy)
    LedgerEntry.objects.bulk_create(copies)
    client.force_login(w.supervisor)
    first = client.get("/lights/ledger", {"state": "open"}).content.decode()
    assert "共 51 条" in first and first.count('href="/lights/ledger/') == queries.PAGE_SIZE
    assert 'href="?state=open&page=2"' in first
    second = client.get("/lights/ledger", {"state": "open", "page": 2}).content.decode()
    assert second.count('href="/lights/ledger/') == 1


def test_the_inbox_pages_through_every_message(client, w):
    at = day(2026, 3, 2)
    Notification.objects.bulk_create(Notification(recipient=w.supervisor, title=f"提醒{n}", created_at=at)
                                     for n in range(queries.PAGE_SIZE + 1))
    client.force_login(w.supervisor)
    first = client.get("/lights/inbox").content.decode()
    assert first.count('class="unread"') == queries.PAGE_SIZE and "第1页，共2页" in first
    assert client.get("/lights/inbox", {"page": 2}).content.decode().count('class="unread"') == 1
