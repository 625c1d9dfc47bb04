"""Ratings (好差评): once per service, only by who received it; a bad one opens a follow-up on the legal
clock, which must be answered before the enterprise rates it. Refusals write nothing."""
import pytest

from onestop.audit.models import Event
from onestop.feedback.models import FollowUp, Rating
from onestop.worktime.models import ClockEvent

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def written():
    return Rating.objects.count(), FollowUp.objects.count(), Event.objects.count(), ClockEvent.objects.count()


def test_a_satisfied_rating_is_stored_with_its_score_and_channel(w, as_, service):
    s = service(0)
    r = as_(w.users[0]).post(f"/api/feedback/services/{s.pk}/rating",
                             {"level": "satisfied", "comment": "很好", "channel": "window_qr"}, **JSON)
    assert r.status_code == 201, r.content
    assert (r.json()["score"], r.json()["channel"], r.json()["follow_up_id"]) == (80, "window_qr", None)
    assert Rating.objects.get().service.steward_id == w.stewards[0].pk


def test_a_second_rating_of_the_same_service_is_refused(w, as_, service):
    s = service(0)
    c = as_(w.users[0])
    assert c.post(f"/api/feedback/services/{s.pk}/rating", {"level": "satisfied"}, **JSON).status_code == 201
    before = written()
    again = c.post(f"/api/feedback/services/{s.pk}/rating", {"level": "very_dissatisfied", "comment": "x"}, **JSON)
    assert again.status_code == 409 and again.json()["state"] == "rated"
    assert written() == before


@pytest.mark.parametrize("who,status", [("other_enterprise", 404), ("outsider", 404), ("steward", 403),
                                        ("supervisor", 403)])
def test_a_rating_of_a_service_the_rater_did_not_receive_is_refused(w, as_, service, who, status):
    s = service(0)
    actor = {"other_enterprise": w.users[1], "steward": w.stewards[0], "outsider": w.outsider,
             "supervisor": w.supervisor}[who]
    before = written()
    r = as_(actor).post(f"/api/feedback/services/{s.pk}/rating", {"level": "very_satisfied"}, **JSON)
    assert r.status_code == status
    assert written() == before


@pytest.mark.parametrize("body,field", [({"level": "great"}, "level"), ({"level": "satisfied", "channel": "fax"}, "channel"),
                                        ({"level": "dissatisfied", "comment": " "}, "comment")])
def test_a_bad_level_channel_or_a_bad_rating_without_a_reason_is_refused(w, as_, service, body, field):
    s = service(0)
    before = written()
    r = as_(w.users[0]).post(f"/api/feedback/services/{s.pk}/rating", body, **JSON)
    assert r.status_code == 400 and field in r.json()["fields"]
    assert written() == before


def test_a_bad_rating_opens_a_follow_up_that_must_be_answered_then_rated(w, as_, service, settings):
    settings.FEEDBACK_FOLLOWUP_WORKING_DAYS = 3
    s = service(0)
    r = as_(w.users[0]).post(f"/api/feedback/services/{s.pk}/rating",
                             {"level": "dissatisfied", "comment": "等太久"}, **JSON).json()
    follow = FollowUp.objects.get(pk=r["follow_up_id"])
    assert follow.clock_state == "running" and follow.limit_days == 3 and follow.limit_unit == "workday"
    # the enterprise cannot rate an answer that does not exist yet
    early = as_(w.users[0]).post(f"/api/feedback/follow-ups/{follow.pk}/rating", {"level": "satisfied"}, **JSON)
    assert early.status_code == 409 and early.json()["state"] == "open"
    # closing without an answer is refused, nothing written
    before = written()
    for body in ({"kind": "explained", "answer": "  "}, {"kind": "", "answer": "已处理"}):
        refused = as_(w.stewards[0]).post(f"/api/feedback/follow-ups/{follow.pk}/answer", body, **JSON)
        assert refused.status_code == 400
    assert written() == before
    follow.refresh_from_db()
    assert follow.state == "open" and follow.clock_state == "running"
    # the enterprise may not answer its own complaint; another enterprise does not see it
    assert as_(w.users[0]).post(f"/api/feedback/follow-ups/{follow.pk}/answer",
                                {"kind": "explained", "answer": "x"}, **JSON).status_code == 403
    assert as_(w.users[1]).post(f"/api/feedback/follow-ups/{follow.pk}/answer",
                                {"kind": "explained", "answer": "x"}, **JSON).status_code == 404
    ok = as_(w.stewards[0]).post(f"/api/feedback/follow-ups/{follow.pk}/answer",
                                 {"kind": "rectified", "answer": "已安排专人跟办"}, **JSON)
    assert ok.status_code == 200 and ok.json()["state"] == "answered"
    follow.refresh_from_db()
    assert follow.clock_state == "stopped"
    rated = as_(w.users[0]).post(f"/api/feedback/follow-ups/{follow.pk}/rating", {"level": "satisfied"}, **JSON)
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    assert list(Event.objects.filter(chain__aggregate_type="feedback.Service").values_list("action", flat=True)) == [
        "feedback.service_registered", "feedback.rated", "feedback.follow_up_opened", "feedback.follow_up_answered",
        "feedback.follow_up_rated"]


def test_registering_the_same_service_twice_gives_the_same_row(w, service):
    from onestop.feedback import actions

    s = service(0)
    again = actions.register_service(s.kind, s.ref_id, "x", recipient_organisation=w.enterprises[0])
    assert again.pk == s.pk
