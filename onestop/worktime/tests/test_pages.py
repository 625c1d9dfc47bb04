"""The deadline calculator and the year view of the calendar, in Chinese by default and in English."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_calculator_shows_the_due_date_and_the_days_skipped(client):
    r = client.get("/worktime/deadline", {"start": "2026-02-13", "days": "5", "unit": "workday"})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="due-date">2026-02-27<' in page
    assert page.count("<td>春节</td>") == 9
    assert "截止日期计算" in page


def test_the_calculator_opens_with_an_empty_result(client):
    r = client.get("/worktime/deadline")
    assert r.status_code == 200 and 'data-testid="deadline-result"' not in r.content.decode()


def test_bad_input_is_shown_beside_the_field(client):
    r = client.get("/worktime/deadline", {"start": "2026-02-13", "days": "-1"})
    page = r.content.decode()
    assert r.status_code == 400
    assert 'id="days-error">天数须在 0 至 1000 之间。<' in page and 'id="start-error"><' in page


def test_the_calculator_speaks_english_when_asked(client):
    client.cookies["django_language"] = "en"
    page = client.get("/worktime/deadline", {"start": "2026-02-13", "days": "-1"}).content.decode()
    assert "Deadline calculator" in page and "must be from 0 to 1000" in page


def test_an_htmx_request_gets_only_the_result(client):
    r = client.get("/worktime/deadline", {"start": "2026-09-28", "days": "3", "unit": "natural"}, HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert r.status_code == 200 and "<html" not in page
    assert 'data-testid="due-date">2026-10-08<' in page and "国庆节" in page


def test_a_provisional_result_says_so(client):
    page = client.get("/worktime/deadline", {"start": "2026-12-25", "days": "10"}).content.decode()
    assert 'data-testid="provisional"' in page


def test_the_year_view_marks_holidays_and_working_weekends(client):
    r = client.get("/worktime/calendar/2026")
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="published"' in page
    assert 'data-date="2026-02-17" data-kind="holiday"' in page
    assert 'data-date="2026-02-14" data-kind="workday"' in page
    assert 'data-date="2026-03-07"' not in page  # an ordinary weekend is not an exception
    assert "2026 年官方日历" in page or "2026年官方日历" in page


def test_an_unpublished_year_is_shown_as_provisional(client):
    page = client.get("/worktime/calendar/2031").content.decode()
    assert 'data-testid="provisional"' in page and 'data-kind="holiday"' not in page


def test_years_outside_the_range_are_not_found_and_the_index_goes_to_this_year(client):
    assert client.get("/worktime/calendar/2100").status_code == 404
    r = client.get("/worktime/calendar/")
    assert r.status_code == 302 and r.url.startswith("/worktime/calendar/20")
