"""Return visits (supervisors), moderated public comments, and the stars ranking with its Excel export."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from onestop.feedback.models import PublicComment, ReturnVisit

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def test_a_supervisor_records_a_return_visit_about_the_lead_steward(w, as_):
    r = as_(w.supervisor).post(f"/api/feedback/projects/{w.projects[0].pk}/return-visits",
                               {"score": 95, "visited_on": "2026-10-09", "note": "满意"}, **JSON)
    assert r.status_code == 201, r.content
    assert r.json()["steward_id"] == w.stewards[0].pk


@pytest.mark.parametrize("who,body,status,field", [
    ("supervisor", {"score": 101, "visited_on": "2026-10-09"}, 400, "score"),
    ("supervisor", {"score": 90, "visited_on": "2999-01-01"}, 400, "visited_on"),
    ("steward", {"score": 100, "visited_on": "2026-10-09"}, 403, None),
    ("enterprise", {"score": 100, "visited_on": "2026-10-09"}, 403, None),
    ("outsider_supervisor", {"score": 100, "visited_on": "2026-10-09"}, 404, None),
])
def test_bad_or_unauthorised_return_visits_write_nothing(w, as_, who, body, status, field):
    actor = {"supervisor": w.supervisor, "steward": w.stewards[0], "enterprise": w.users[0],
             "outsider_supervisor": w.outsider_supervisor}[who]
    r = as_(actor).post(f"/api/feedback/projects/{w.projects[0].pk}/return-visits", body, **JSON)
    assert r.status_code == status
    if field:
        assert field in r.json()["fields"]
    assert not ReturnVisit.objects.exists()


def test_a_public_comment_counts_only_once_published_by_a_supervisor(w, as_):
    url = f"/api/feedback/projects/{w.projects[0].pk}/comments"
    posted = as_(None).post(url, {"sentiment": "positive", "body": "服务很好", "author_name": "市民"}, **JSON)
    assert posted.status_code == 201 and posted.json()["state"] == "pending"
    assert as_(None).get(url).json() == []
    assert len(as_(w.supervisor).get(url).json()) == 1
    cid = posted.json()["id"]
    assert as_(w.stewards[0]).post(f"/api/feedback/comments/{cid}/moderation", {"approve": True}, **JSON).status_code == 403
    ok = as_(w.supervisor).post(f"/api/feedback/comments/{cid}/moderation", {"approve": True, "sentiment": "neutral"}, **JSON)
    assert ok.status_code == 200 and ok.json()["state"] == "approved" and ok.json()["sentiment"] == "neutral"
    again = as_(w.supervisor).post(f"/api/feedback/comments/{cid}/moderation", {"approve": False}, **JSON)
    assert again.status_code == 409 and again.json()["state"] == "approved"
    assert [c["body"] for c in as_(None).get(url).json()] == ["服务很好"]
    bad = as_(None).post(url, {"sentiment": "great", "body": ""}, **JSON)
    assert bad.status_code == 400 and PublicComment.objects.count() == 1


def test_the_stars_ranking_and_its_excel_are_for_staff_only(w, as_):
    from onestop.feedback import actions

    actions.record_return_visit(w.supervisor, w.projects[0].pk, score=88, visited_on=date(2026, 10, 9))
    rows = as_(w.supervisor).get("/api/feedback/stars?month=2026-10").json()
    assert rows[0]["steward_id"] == w.stewards[0].pk and rows[0]["score"] == "88.00" and rows[0]["stars"] == 4
    assert rows[1]["score"] is None
    assert as_(w.users[0]).get("/api/feedback/stars?month=2026-10").status_code == 403
    assert as_(w.supervisor).get("/api/feedback/stars?month=2026-13").json()["fields"] == {
        "month": "The month must look like YYYY-MM."}
    sheet = load_workbook(BytesIO(as_(w.stewards[1]).get("/api/feedback/stars.xlsx?month=2026-10").content)).active
    assert sheet["B3"].value == str(w.stewards[0]) and sheet["C3"].value == 88 and sheet["G3"].value == 4
