"""The public API (no login): deadlines with the days skipped, a year's calendar, 400s naming the parameter."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_deadline_lists_every_non_working_day_passed_over(client):
    r = client.get("/api/worktime/deadline", {"start": "2026-02-13", "days": 5, "unit": "workday"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"start", "days", "unit", "due_date", "provisional", "skipped"}
    assert (body["start"], body["days"], body["unit"], body["due_date"], body["provisional"]) == (
        "2026-02-13", 5, "workday", "2026-02-27", False)
    assert body["skipped"] == [{"date": f"2026-02-{d}", "reason": "春节"} for d in range(15, 24)]


def test_weekends_are_skipped_with_the_reason_weekend(client):
    body = client.get("/api/worktime/deadline", {"start": "2026-03-06", "days": 1}).json()
    assert body["unit"] == "workday" and body["due_date"] == "2026-03-09"
    assert body["skipped"] == [{"date": "2026-03-07", "reason": "周末"}, {"date": "2026-03-08", "reason": "周末"}]


def test_natural_days_list_the_days_the_last_day_rolled_over(client):
    body = client.get("/api/worktime/deadline", {"start": "2026-09-28", "days": 3, "unit": "natural"}).json()
    assert body["due_date"] == "2026-10-08"
    assert [s["date"] for s in body["skipped"]] == [f"2026-10-0{d}" for d in range(1, 8)]
    assert {s["reason"] for s in body["skipped"]} == {"国庆节"}


def test_a_deadline_in_an_unpublished_year_is_provisional(client):
    body = client.get("/api/worktime/deadline", {"start": "2026-12-25", "days": 10}).json()
    assert body["provisional"] is True and body["due_date"] == "2027-01-08"
    assert client.get("/api/worktime/deadline", {"start": "2099-12-31", "days": 1000}).status_code == 200


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-02-13", "days": -1}, "days"),
    ({"start": "2026-02-13", "days": 1001}, "days"),
    ({"start": "2026-02-13", "days": "five"}, "days"),
    ({"start": "2026-02-13", "days": 5, "unit": "hours"}, "unit"),
    ({"start": "2026-2-13", "days": 5}, "start"),
    ({"start": "2026-02-30", "days": 5}, "start"),
    ({"start": "2003-12-31", "days": 5}, "start"),
    ({"start": "2100-01-01", "days": 5}, "start"),
    ({"days": 5}, "start"),
    ({"start": "2026-02-13"}, "days"),
])
def test_bad_input_is_a_400_naming_the_parameter(client, params, field):
    r = client.get("/api/worktime/deadline", params)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "invalid" and list(body["fields"]) == [field]
    assert body["message"]["zh"] and body["message"]["en"]


def test_every_bad_parameter_is_named_at_once(client):
    body = client.get("/api/worktime/deadline", {"start": "x", "days": "-3", "unit": "y"}).json()
    assert set(body["fields"]) == {"start", "days", "unit"}


def test_the_calendar_of_a_year_lists_its_exceptions(client):
    body = client.get("/api/worktime/calendar", {"year": 2026}).json()
    assert body["year"] == 2026 and body["published"] is True and body["provisional"] is False
    days = {d["date"]: (d["kind"], d["name"]) for d in body["days"]}
    assert days["2026-02-14"] == ("workday", "春节") and days["2026-10-01"] == ("holiday", "国庆节")
    assert body["version"] >= 1


def test_an_unpublished_year_says_so(client):
    body = client.get("/api/worktime/calendar", {"year": 2031}).json()
    assert (body["published"], body["provisional"], body["days"]) == (False, True, [])


@pytest.mark.parametrize("year", ["2003", "2100", "twenty", ""])
def test_a_bad_year_is_a_400_naming_year(client, year):
    r = client.get("/api/worktime/calendar", {"year": year})
    assert r.status_code == 400 and list(r.json()["fields"]) == ["year"]


def test_the_endpoints_are_in_the_openapi_document_without_login(client):
    doc = client.get("/api/openapi.json").json()
    for path in ("/api/worktime/deadline", "/api/worktime/calendar"):
        assert "security" not in doc["paths"][path]["get"] or doc["paths"][path]["get"]["security"] == [{}] \
            or not doc["paths"][path]["get"]["security"]
