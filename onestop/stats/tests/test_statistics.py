"""统计: each figure counts exactly the records of the period and the area, for the people who may see it.

The world: a town and a second town under one district; in the town, applications in and out of the period
(every channel, a simulated one, one issued late against its promise), enterprises registered before, in
and after the period, ratings, help requests and demands; the same kinds of things in the other town, which a
supervisor of the first town must never count.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from onestop import testing as t
from onestop.approvals import actions
from onestop.approvals.builders import build, required_ids
from onestop.approvals.models import Application
from onestop.browser import cjk_font_families, log_in, rendering_fonts, screenshot
from onestop.errors import Forbidden, InvalidInput
from onestop.feedback.models import SCORES, Rating, Service
from onestop.org.models import Role
from onestop.outreach.models import Demand, HelpRequest
from onestop.stats import queries
from onestop.worktime.clock import SHANGHAI

pytestmark = pytest.mark.django_db

JAN_TO_AUG = queries.Period(date(2026, 1, 1), date(2026, 8, 31))


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def world():
    w = build("T")
    town, other = w.places["town"], w.places["other_town"]
    other_project = t.project(t.enterprise(place=other), other)
    stage = w.stages[0]

    def application(channel: str, submitted: datetime, *, project=w.project, centre=w.centre, **kw) -> Application:
        return Application.objects.create(stage=stage, channel=channel, created_by=w.clerk, project=project,
                                          taken_at=centre, handled_at=centre, submitted_at=submitted, **kw)

    application("window", at(3, 10), state="issued", issued_at=at(3, 20), legal_limit_days=20, limit_days=10,
                days_consumed=5)
    application("online", at(4, 2), state="issued", issued_at=at(4, 30), legal_limit_days=10, limit_days=8,
                days_consumed=12)  # late against its promise and past its legal limit
    application("village_agent", at(4, 3), state="in_review")
    application("cross_region", at(9, 1))  # after the period
    application("online", at(5, 5), simulated=True)  # 模拟审批: not a case
    application("window", at(2, 1, 0), state="issued", issued_at=at(2, 5), legal_limit_days=5, limit_days=5,
                days_consumed=1, project=other_project, centre=w.other_centre)  # the other town's

    t.enterprise(place=town, registered_on=date(2026, 2, 1))
    t.enterprise(place=w.places["village"], registered_on=date(2026, 8, 31))
    t.enterprise(place=town, registered_on=date(2025, 12, 31))
    t.enterprise(place=town, registered_on=date(2026, 9, 1))
    t.enterprise(place=other, registered_on=date(2026, 3, 1))

    rater = w.enterprise_user
    for n, (level, when, project) in enumerate([("very_satisfied", at(1, 5), w.project),
                                                ("satisfied", at(6, 1), w.project),
                                                ("dissatisfied", at(8, 31, 23), w.project),
                                                ("very_dissatisfied", at(9, 1), w.project),
                                                ("very_dissatisfied", at(6, 1), other_project)]):
        service = Service.objects.create(kind="application", ref_id=1000 + n, title="出件", project=project,
                                         rendered_at=when)
        Rating.objects.create(service=service, rater=rater, level=level, score=SCORES[level], channel="portal",
                              created_at=when)

    agent = t.account(Role.HELP_AGENT, place=town)
    matter = w.matters[next(iter(w.matters))]

    def help_request(place, raised: datetime, **kw) -> HelpRequest:
        return HelpRequest.objects.create(matter=matter, place=place, channel="in_person", description="代办",
                                          contact_name="王五",
                                          raised_by=agent, raised_at=raised, updated_at=raised, **kw)

    help_request(w.places["village"], at(3, 1), state="done", finished_at=at(3, 2), result="已代办")
    help_request(w.places["grid"], at(8, 30), state="done", finished_at=at(9, 2), result="已代办")  # done after the period
    help_request(town, at(7, 1))
    help_request(other, at(7, 1), state="done", finished_at=at(7, 2), result="已代办")

    commissioner = t.account(Role.COMMISSIONER)

    def demand(enterprise, raised: datetime, **kw) -> Demand:
        return Demand.objects.create(enterprise=enterprise, commissioner=commissioner, category="financing",
                                     description="融资", raised_at=raised, **kw)

    demand(w.investor, at(5, 1), state="resolved", finished_at=at(5, 20), resolution="已对接银行")
    demand(w.investor, at(6, 1))
    demand(other_project.investor, at(6, 1), state="resolved", finished_at=at(6, 2), resolution="已对接银行")
    w.investor.place = town
    w.investor.save(update_fields=["place"])

    w.supervisor = t.account(Role.SUPERVISOR, place=town)
    return w


def test_a_supervisor_counts_its_own_town_in_the_period(world):
    f = queries.statistics(world.supervisor, JAN_TO_AUG, queries.area_for(world.supervisor))
    apps = f["applications"]
    assert (apps["received"], apps["issued"]) == (3, 2)
    assert {r["channel"]: r["count"] for r in apps["by_channel"]} == {
        "window": 1, "online": 1, "village_agent": 1, "cross_region": 0}
    assert apps["by_month"] == [{"month": "2026-03", "count": 1}, {"month": "2026-04", "count": 2}]
    assert apps["by_item"] == [{"name": "项目落地一件事 · 项目立项", "count": 3}]
    assert f["enterprises"] == {"registered": 2}
    assert f["trips"]["saved"] == 2
    assert f["help"] == {"help_raised": 3, "help_done": 1, "demands_raised": 2, "demands_resolved": 1}


def test_satisfaction_is_the_share_of_ratings_not_dissatisfied(world):
    sat = queries.satisfaction_figures(world.places["town"], JAN_TO_AUG)
    assert (sat["ratings"], sat["satisfied"], sat["rate"]) == (3, 2, Decimal("66.7"))
    assert sat["mean_score"] == Decimal("66.7")  # (100 + 80 + 20) / 3
    assert {r["level"]: r["count"] for r in sat["by_level"]}["very_dissatisfied"] == 0  # September's is out


def test_time_saved_is_the_legal_days_less_the_days_used_of_the_applications_issued(world):
    time = queries.time_figures(world.places["town"], JAN_TO_AUG)
    assert (time["cases"], time["legal_days"], time["used_days"], time["saved_days"]) == (2, 30, 17, 13)
    assert time["saved_rate"] == Decimal("43.3")
    assert (time["within_promise"], time["within_promise_rate"]) == (1, Decimal("50.0"))


def test_an_administrator_counts_everywhere_or_the_place_it_asks_for(world):
    everywhere = queries.statistics(world.admin, JAN_TO_AUG, queries.area_for(world.admin))
    assert everywhere["area"] == "" and everywhere["applications"]["received"] == 4
    assert everywhere["enterprises"]["registered"] == 3
    other = queries.area_for(world.admin, str(world.places["other_town"].pk))
    assert queries.statistics(world.admin, JAN_TO_AUG, other)["applications"]["received"] == 1


def test_lights_per_department_count_the_open_tasks_now(world):
    app = actions.submit_application(world.clerk, stage_id=world.stages[0].pk, project_id=world.project.pk)
    actions.accept_application(world.clerk, app.pk, provided=required_ids(app))
    lights = queries.statistics(world.supervisor, JAN_TO_AUG, queries.area_for(world.supervisor))["lights"]
    assert sum(r["green"] for r in lights) == app.tasks.count() > 0
    assert {r["department"] for r in lights if r["green"]} == {task.department.name for task in app.tasks.all()}


def test_a_place_outside_the_supervisors_area_or_unknown_is_refused_naming_the_field(world):
    with pytest.raises(InvalidInput) as outside:
        queries.area_for(world.supervisor, world.places["other_town"].pk)
    assert "place" in outside.value.fields
    with pytest.raises(InvalidInput) as unknown:
        queries.area_for(world.supervisor, "abc")
    assert unknown.value.fields == {"place": "no such place: 'abc'"}
    assert queries.area_for(world.supervisor, world.places["village"].pk) == world.places["village"]


def test_a_bad_period_names_the_field():
    with pytest.raises(InvalidInput) as bad:
        queries.parse_period({"date_from": "2026-13-01", "date_to": "2026-08-31"})
    assert list(bad.value.fields) == ["date_from"]
    with pytest.raises(InvalidInput) as backwards:
        queries.parse_period({"date_from": "2026-08-31", "date_to": "2026-01-01"})
    assert backwards.value.fields == {"date_to": "must not be before date_from"}
    assert queries.parse_period({}, today=date(2026, 11, 25)) == queries.Period(date(2026, 1, 1), date(2026, 11, 25))


def test_only_supervisors_and_administrators_see_them(world):
    for account in (world.clerk, world.enterprise_user, world.approvers[next(iter(world.approvers))],
                    t.account(Role.COMMISSIONER)):
        with pytest.raises(Forbidden):
            queries.area_for(account)


def test_the_page_the_workbook_and_the_api_show_the_same_figures(client, world):
    client.force_login(world.supervisor)
    query = {"date_from": "2026-01-01", "date_to": "2026-08-31"}
    page = client.get("/stats/", query)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="received">3<' in html and 'data-testid="registered">2<' in html
    assert 'data-testid="satisfaction">66.7%<' in html and 'data-testid="saved_days">13<' in html

    book = load_workbook(BytesIO(client.get("/stats/statistics.xlsx", query).content))
    summary = {row[0]: row[1] for row in book["概况 Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["受理办件 Applications received"] == 3 and summary["满意率 Satisfaction (%)"] == 66.7
    assert summary["节省时间(天) Days saved"] == 13 and summary["新设立企业 Enterprises registered"] == 2
    assert [r for r in book["月度 By month"].iter_rows(min_row=2, values_only=True)] == [("2026-03", 1), ("2026-04", 2)]

    api = client.get("/api/stats", query).json()
    assert api["applications"]["received"] == 3 and api["time"]["saved_days"] == 13
    assert api["satisfaction"]["rate"] == "66.7"


def test_refusals_on_the_page_and_the_api(client, world):
    client.force_login(world.clerk)
    assert client.get("/stats/").status_code == 403
    assert client.get("/stats/statistics.xlsx").status_code == 403
    refused = client.get("/api/stats")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    client.force_login(world.supervisor)
    bad = client.get("/stats/", {"date_from": "2026-02-30", "place": "abc"})
    assert bad.status_code == 400 and set(bad.context["error"]["fields"]) == {"date_from", "place"}
    assert bad.context["f"]["area"] == "泊里镇"  # the supervisor's own area shown in its stead
    api_bad = client.get("/api/stats", {"place": str(world.places["other_town"].pk)})
    assert api_bad.status_code == 400 and list(api_bad.json()["fields"]) == ["place"]


@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_supervisor_opens_the_statistics_from_the_header_and_picks_a_period(live_server, page, world):
    log_in(page, live_server.url, world.supervisor.username, "demo-pass-123")
    with page.expect_navigation():
        page.click("header >> text=统计")
    page.fill("input[name=date_from]", "2026-01-01")
    page.fill("input[name=date_to]", "2026-08-31")
    with page.expect_navigation():
        page.click("form.inline >> text=查看")
    assert page.inner_text("[data-testid=scope]") == "2026-01-01 — 2026-08-31 · 泊里镇"
    assert page.inner_text("[data-testid=received]") == "3" and page.inner_text("[data-testid=satisfaction]") == "66.7%"
    assert "受理量居前的事项和阶段" in page.inner_text("main")
    assert {f["familyName"] for f in rendering_fonts(page, "h1")} & cjk_font_families()  # drawn in a CJK font
    screenshot(page, "statistics")
