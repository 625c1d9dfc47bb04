"""Pages of 好差评: rating through the portal and the window QR, follow-ups, public comments, supervision,
the stars ranking; in Chinese with English."""
from datetime import date

import pytest

from onestop.feedback import actions
from onestop.feedback.models import FollowUp, PublicComment, Rating, ReturnVisit

pytestmark = pytest.mark.django_db


def test_the_enterprise_rates_a_service_from_the_window_qr_code(w, as_, service):
    s = service(0)
    c = as_(w.users[0])
    assert "待评价的服务" in c.get("/feedback/").content.decode()
    qr = c.get(f"/feedback/services/{s.pk}/qr.svg")
    assert qr.status_code == 200 and b"<svg" in qr.content
    page = c.get(f"/feedback/services/{s.pk}/rate/?channel=window_qr")
    assert 'value="window_qr"' in page.content.decode()
    done = c.post(f"/feedback/services/{s.pk}/rate/", {"level": "very_satisfied", "channel": "window_qr"})
    assert done.status_code == 302
    assert Rating.objects.get().channel == "window_qr"
    assert as_(w.users[1]).get(f"/feedback/services/{s.pk}/rate/").status_code == 404


def test_a_bad_rating_without_a_comment_shows_the_message_beside_the_form(w, as_, service):
    s = service(0)
    r = as_(w.users[0]).post(f"/feedback/services/{s.pk}/rate/", {"level": "dissatisfied", "comment": ""})
    assert r.status_code == 400 and "此项必填" in r.content.decode()
    assert not Rating.objects.exists()


def test_the_steward_answers_a_follow_up_on_the_page_and_the_enterprise_rates_it(w, as_, service):
    s = service(0)
    rating = actions.rate_service(w.users[0], s.pk, level="very_dissatisfied", comment="太慢")
    fid = rating.follow_up.pk
    steward = as_(w.stewards[0])
    assert "太慢" in steward.get("/feedback/").content.decode()
    empty = steward.post(f"/feedback/follow-ups/{fid}/answer/", {"kind": "explained", "answer": ""})
    assert empty.status_code == 400 and FollowUp.objects.get().state == "open"
    assert steward.post(f"/feedback/follow-ups/{fid}/answer/", {"kind": "explained", "answer": "已说明原因"}).status_code == 302
    assert as_(w.users[0]).post(f"/feedback/follow-ups/{fid}/rate/", {"level": "basic"}).status_code == 302
    assert FollowUp.objects.get().state == "closed"


def test_anyone_comments_publicly_and_the_supervisor_publishes_and_records_a_visit(w, as_):
    anon = as_(None)
    assert anon.post(f"/feedback/projects/{w.projects[0].pk}/comments/", {"sentiment": "positive", "body": "办事快"}).status_code == 302
    sup = as_(w.supervisor)
    page = sup.get("/feedback/supervision/").content.decode()
    assert "办事快" in page
    cid = PublicComment.objects.get().pk
    assert sup.post(f"/feedback/supervision/comments/{cid}/", {"decision": "approve", "sentiment": "positive"}).status_code == 302
    r = sup.post("/feedback/supervision/visits/", {"project_id": w.projects[0].pk, "score": "150", "visited_on": "2026-10-09"})
    assert r.status_code == 400 and not ReturnVisit.objects.exists()
    sup.post("/feedback/supervision/visits/", {"project_id": w.projects[0].pk, "score": "90", "visited_on": "2026-10-09"})
    assert ReturnVisit.objects.get().steward_id == w.stewards[0].pk
    assert "办事快" in as_(None).get(f"/feedback/projects/{w.projects[0].pk}/comments/").content.decode()


def test_the_stars_page_ranks_the_team_and_exports_in_english_too(w, as_):
    actions.record_return_visit(w.supervisor, w.projects[0].pk, score=91, visited_on=date(2026, 10, 9))
    sup = as_(w.supervisor)
    text = sup.get("/feedback/stars/?month=2026-10").content.decode()
    assert "管家月度星级" in text and "91.00" in text and 'data-stars="5"' in text
    assert sup.get("/feedback/stars.xlsx?month=2026-10")["Content-Type"].endswith("spreadsheetml.sheet")
    assert as_(w.users[0]).get("/feedback/stars/").status_code == 403
    sup = as_(w.supervisor)
    sup.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Steward stars" in sup.get("/feedback/stars/?month=2026-10").content.decode()


def test_only_who_may_answer_sees_the_answer_form(w, as_, service):
    rating = actions.rate_service(w.users[0], service(0).pk, level="very_dissatisfied", comment="太慢")
    action = f'action="/feedback/follow-ups/{rating.follow_up.pk}/answer/"'
    assert action in as_(w.stewards[0]).get("/feedback/").content.decode()
    page = as_(w.approver).get("/feedback/").content.decode()
    assert "太慢" in page and action not in page


def test_the_desk_counts_every_open_follow_up_and_pages_through_them(w, as_, service):
    from onestop.feedback.views import PER_PAGE, RECENTLY_RATED

    for _ in range(PER_PAGE + 1):
        actions.rate_service(w.users[0], service(0).pk, level="dissatisfied", comment="慢")
    steward = as_(w.stewards[0])
    first = steward.get("/feedback/").content.decode()
    assert f'data-testid="follow-up-count">{PER_PAGE + 1}<' in first and "第1页，共2页" in first
    assert f'data-testid="rated-count">{PER_PAGE + 1}<' in first and f"最近 {RECENTLY_RATED} 条。" in first
    second = steward.get("/feedback/?page=2").content.decode()
    assert second.count("：慢</td>") == 1


def test_supervision_counts_every_comment_awaiting_moderation_and_pages_through_them(w, as_):
    from onestop.feedback.views import PER_PAGE

    for n in range(PER_PAGE + 1):
        actions.post_public_comment(None, w.projects[0].pk, sentiment="positive", body=f"评论{n}号")
    sup = as_(w.supervisor)
    first = sup.get("/feedback/supervision/").content.decode()
    assert f'data-testid="pending-count">{PER_PAGE + 1}<' in first and "第1页，共2页" in first
    assert first.count('value="approve"') == PER_PAGE
    assert sup.get("/feedback/supervision/?page=2").content.decode().count('value="approve"') == 1
