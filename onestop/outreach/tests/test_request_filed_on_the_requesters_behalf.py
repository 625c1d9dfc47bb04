"""One request from raising to an application filed on the requester's behalf, done, rated and reviewed;
its light on the way."""
from __future__ import annotations

import pytest

from onestop.approvals.models import Application
from onestop.audit.models import Event
from onestop.errors import Forbidden
from onestop.feedback.models import Rating
from onestop.outreach import actions, review
from onestop.outreach.models import HelpStep
from onestop.outreach.tests.conftest import day
from onestop.worktime.clock import light


def test_a_village_agent_files_the_application_for_the_resident_with_consent(w):
    r = actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=w.p["village"].pk,
                              description="母亲行动不便，请代办老年人优待证", at=day(2026, 6, 1))
    assert (r.agent, r.channel, r.state) == (w.village_agent, "portal", "raised")
    actions.accept_request(w.village_agent, r.pk, at=day(2026, 6, 1, 10))
    actions.record_step(w.village_agent, r.pk, kind="visit", note="上门收取身份证复印件", at=day(2026, 6, 2))

    events, apps = Event.objects.count(), Application.objects.count()
    with pytest.raises(Forbidden) as refused:
        actions.file_on_behalf(w.village_agent, r.pk, at=day(2026, 6, 2, 11))
    assert refused.value.code == "not_authorised"
    assert (Event.objects.count(), Application.objects.count()) == (events, apps)

    actions.authorise(w.resident, r.pk, at=day(2026, 6, 2, 12))
    filed = actions.file_on_behalf(w.village_agent, r.pk, at=day(2026, 6, 3))
    app = filed.application
    assert app.channel == "village_agent" and app.created_by == w.village_agent
    assert app.applicant_account == w.resident  # the resident follows it on the portal
    assert app.matter == w.village_matter and app.taken_at == w.village_point  # village-level: the village point
    assert HelpStep.objects.filter(request=r, kind="filed").count() == 1

    done = actions.complete_request(w.village_agent, r.pk, result=f"已代为申报 {app.number}", at=day(2026, 6, 4))
    assert (done.state, done.clock_state) == ("done", "stopped")
    assert light(done, day(2026, 12, 1)) == "green"  # finished on time keeps green

    rated = actions.rate_request(w.resident, r.pk, level="satisfied", at=day(2026, 6, 5))
    assert (rated.rating_level, rated.rating_score) == ("satisfied", 80)
    assert Rating.objects.get(service__ref_id=r.pk, service__kind="help_request").rater == w.resident

    rv = review.review(w.supervisor, review.parse_period("2026-06"), now=day(2026, 7, 1))
    assert rv.total == 1 and rv.by_state == {"done": 1} and rv.late == []
    (agent,) = rv.agents
    assert (agent.name, agent.received, agent.handled, agent.on_time, agent.on_time_rate, agent.satisfaction) == \
        ("村帮办", 1, 1, 1, 100.0, 80.0)
    assert rv.by_matter == [("老年人优待证办理", 1)] and rv.by_place == [("东泊里村", 1)]
    assert rv.ratings == {"satisfied": 1} and rv.satisfaction == 80.0


def test_the_light_turns_yellow_then_red_over_five_working_days(w):
    # Raised Monday 1 June 2026: counted 2, 3, 4, 5, 8 June; due 9 June 00:00, warned from 8 June 00:00.
    r = actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=w.p["grid"].pk,
                              description="咨询", at=day(2026, 6, 1))
    assert [light(r, day(2026, 6, d, 12)) for d in (5, 8, 9)] == ["green", "yellow", "red"]
    late = actions.accept_request(w.grid_worker, r.pk, at=day(2026, 6, 9, 10))
    actions.complete_request(w.grid_worker, late.pk, result="已解答", at=day(2026, 6, 10))
    late.refresh_from_db()
    assert light(late, day(2026, 12, 1)) == "red"
    rv = review.review(w.supervisor, review.parse_period("2026-Q2"), now=day(2026, 7, 1))
    assert [x.number for x in rv.late] == [late.number]
    assert (rv.agents[0].handled, rv.agents[0].on_time, rv.agents[0].late) == (1, 0, 1)


def test_the_review_excel_has_the_agents_and_the_late_ones(w):
    from io import BytesIO

    from openpyxl import load_workbook

    r = actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=w.p["grid"].pk,
                              description="咨询", at=day(2026, 6, 1))
    actions.accept_request(w.grid_worker, r.pk, at=day(2026, 6, 2))
    wb = load_workbook(BytesIO(review.excel(review.review(w.supervisor, review.parse_period("2026"),
                                                          now=day(2026, 7, 1)))))
    perf = wb["绩效 Performance"]
    assert perf["A3"].value == "网格员甲" and perf["D3"].value == 1 and perf["J3"].value == 1
    assert wb["逾期 Late"]["A2"].value == r.number
