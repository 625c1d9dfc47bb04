"""The admin: the calendar by year with its days, a file import (all or nothing), the clock log read-only."""
import io

import pytest

from onestop.audit.models import Event
from onestop.testing import account
from onestop.worktime import actions
from onestop.worktime.models import CalendarDay, CalendarVersion, CalendarYear, ClockEvent
from onestop.worktime.tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(account("administrator", is_staff=True))
    return client


def test_the_calendar_years_are_listed_with_an_import_link(admin_client):
    page = admin_client.get("/admin/worktime/calendaryear/").content.decode()
    assert "/admin/worktime/calendaryear/import/" in page and "2026" in page


def test_an_imported_file_publishes_its_year(admin_client):
    data = io.BytesIO("date,kind,name\n2027-01-01,holiday,元旦\n".encode())
    data.name = "2027.csv"
    r = admin_client.post("/admin/worktime/calendaryear/import/", {"file": data, "notice": "测试"})
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=2027).published
    assert CalendarDay.objects.get(date="2027-01-01").name == "元旦"


def test_a_bad_file_shows_its_rows_and_imports_nothing(admin_client):
    data = io.BytesIO("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-06,班,错\n".encode())
    data.name = "2027.csv"
    r = admin_client.post("/admin/worktime/calendaryear/import/", {"file": data})
    assert r.status_code == 400 and "row 3" in r.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_year_saved_in_the_admin_moves_the_version_and_is_audited(admin_client, clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2027, 9, 20))
    version = CalendarVersion.current().number
    form = {
        "year": "2027", "published": "on", "notice": "测试通知",
        "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-10-01", "days-0-kind": "holiday", "days-0-name": "国庆节",
        "days-1-date": "2027-10-04", "days-1-kind": "holiday", "days-1-name": "国庆节",
    }
    r = admin_client.post("/admin/worktime/calendaryear/add/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert CalendarVersion.current().number == version + 1
    event = Event.objects.get(action="worktime.calendar_changed")
    assert event.after["clocks_changed"] == 1 and event.after["years"] == [2027]
    clock.refresh_from_db()
    assert clock.due_at.date().isoformat() >= "2027-10-05"


def test_a_day_outside_its_year_or_a_weekday_working_day_is_refused(admin_client):
    form = {
        "year": "2027", "published": "on",
        "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2028-01-01", "days-0-kind": "holiday", "days-0-name": "元旦",
        "days-1-date": "2027-01-06", "days-1-kind": "workday", "days-1-name": "错",
    }
    r = admin_client.post("/admin/worktime/calendaryear/add/", form)
    assert r.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()


def test_the_clock_log_is_read_only_in_the_admin(admin_client, clocks):
    clock = actions.start_clock(clocks(), limit_days=3, at=at(2026, 3, 2))
    event = ClockEvent.objects.get(clock_id=clock.pk)
    assert admin_client.get("/admin/worktime/clockevent/").status_code == 200
    assert admin_client.get(f"/admin/worktime/clockevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/worktime/clockevent/add/").status_code == 403
    r = admin_client.post(f"/admin/worktime/clockevent/{event.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403 and ClockEvent.objects.filter(pk=event.pk).exists()


def test_a_staff_member_who_is_not_an_administrator_cannot_change_the_calendar(client):
    client.force_login(account("resident", is_staff=True))
    assert client.get("/admin/worktime/calendaryear/").status_code == 403
