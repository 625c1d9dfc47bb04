"""The demo year (260+ help requests across the villages, 27+ resolved demands) loaded after the base demo,
and the Open311 GeoReport v2 export checked field by field on those real requests."""
from __future__ import annotations

import re
import time
from datetime import datetime

import pytest

from onestop.demo import loader
from onestop.outreach.demo import load_history
from onestop.outreach.models import Demand, HelpRequest, Visit

pytestmark = pytest.mark.django_db
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
PHONE = re.compile(r"1[3-9]\d{9}")


def test_the_demo_year_and_its_open311_export(client):
    loader.load()
    started = time.perf_counter()
    result = load_history()
    seconds = time.perf_counter() - started
    print(f"load_history: {seconds:.1f} s")
    assert result.created
    requests = HelpRequest.objects.all()
    assert requests.count() >= 260
    villages = {r.place.path.split("/")[3] for r in requests.select_related("place") if r.place.kind != "town"}
    assert len(villages) >= 60, "spread across the villages"
    assert requests.filter(state="done").count() >= 200 and requests.exclude(rating_level="").count() >= 100
    assert requests.exclude(application=None).filter(application__channel="village_agent").exists()
    assert Demand.objects.filter(state="resolved").count() >= 27 and Visit.objects.count() >= 160
    assert not load_history().created  # a second run writes nothing

    services = client.get("/api/outreach/open311/services.json")
    assert services.status_code == 200
    codes = {s["service_code"] for s in services.json()}
    assert all(isinstance(s["metadata"], bool) and s["type"] == "realtime" for s in services.json())

    res = client.get("/api/outreach/open311/requests.json", {"start_date": "2000-01-01"})  # public: no login
    assert res.status_code == 200
    rows = res.json()
    assert len(rows) == requests.count() and {r["status"] for r in rows} == {"open", "closed"}
    people = set(HelpRequest.objects.exclude(requester_account=None).values_list("requester_account__display_name",
                                                                                   flat=True))
    for row in rows:
        assert re.fullmatch(r"HR\d{7}", row["service_request_id"])
        assert row["status"] in ("open", "closed")
        for key in ("status_notes", "service_name", "description", "agency_responsible", "address"):
            assert isinstance(row[key], str) and row[key], key
        assert row["service_code"] in codes
        assert ISO.match(row["requested_datetime"]) and ISO.match(row["updated_datetime"])
        assert row["expected_datetime"] is None or ISO.match(row["expected_datetime"])
        assert datetime.fromisoformat(row["updated_datetime"]) >= datetime.fromisoformat(row["requested_datetime"])
        assert isinstance(row["lat"], float) and 35.7 < row["lat"] < 36.1
        assert isinstance(row["long"], float) and 119.7 < row["long"] < 120.1
        text = " ".join(str(v) for v in row.values())
        assert not PHONE.search(text) and not any(name in text for name in people)
    one = requests.filter(state="done").select_related("matter", "place").first()
    (row,) = client.get("/api/outreach/open311/requests.json", {"service_request_id": one.number}).json()
    assert (row["status"], row["service_code"], row["expected_datetime"]) == \
        ("closed", one.matter.code, one.due_at.astimezone(datetime.fromisoformat(row["requested_datetime"]).tzinfo)
         .isoformat(timespec="seconds"))
    assert row["lat"] == float(one.place.latitude) and one.place.name in row["address"]
