"""The pages: an agent's queue (accept, done, close, with the error beside the request), a commissioner's
enterprises, a supervisor's overview and the review with its Excel export, in Chinese and English."""
from __future__ import annotations

from datetime import date

from django.conf import settings

from onestop.outreach import actions, commissioner_actions as ca


def _raise(w, place):
    return actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=place.pk,
                                 description="帮忙办理优待证")


def test_the_grid_worker_accepts_and_finishes_from_the_queue(w, client):
    r = _raise(w, w.p["grid"])
    client.force_login(w.grid_worker)
    page = client.get("/outreach/", follow=True).content.decode()
    assert "我的帮办请求" in page and r.number in page and "受理" in page
    assert client.post(f"/outreach/requests/{r.pk}/accept/").status_code == 302
    refused = client.post(f"/outreach/requests/{r.pk}/complete/", {"result": ""})
    assert refused.status_code == 400 and "此项必填" in refused.content.decode()
    client.post(f"/outreach/requests/{r.pk}/complete/", {"result": "已送达优待证"})
    r.refresh_from_db()
    assert r.state == "done"
    assert client.post(f"/outreach/requests/{r.pk}/close/", {"reason": "x"}).status_code == 400  # finished
    client.force_login(w.other_agent)
    assert client.post(f"/outreach/requests/{r.pk}/close/", {"reason": "x"}).status_code == 404


def test_the_commissioner_sees_open_demands_and_the_last_visit(w, client):
    ca.log_visit(w.commissioner, enterprise_id=w.enterprise.pk, visited_on=date(2026, 6, 1), met="刘总", discussed="用电")
    ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="power", description="增容")
    client.force_login(w.commissioner)
    page = client.get("/outreach/", follow=True).content.decode()
    assert "我联系的企业" in page and "泊里食品有限公司" in page and "2026-06-01" in page


def test_the_supervisor_overview_and_review_in_english_too(w, client):
    r = _raise(w, w.p["village"])
    actions.accept_request(w.village_agent, r.pk)
    actions.complete_request(w.village_agent, r.pk, result="办结")
    client.force_login(w.supervisor)
    page = client.get("/outreach/", follow=True).content.decode()
    assert "帮办代办总览" in page and 'data-testid="requests_handled">1<' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/outreach/review/").content.decode()
    assert "Periodic review" in page and "村帮办" in page
    assert client.get("/outreach/review/", {"period": "2026-13"}).status_code == 400
    xlsx = client.get("/outreach/review.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
