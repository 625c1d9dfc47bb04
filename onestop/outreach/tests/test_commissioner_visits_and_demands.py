"""A commissioner visits, records a demand, the department resolves it, the enterprise confirms or
disputes; reassignment keeps the history."""
from __future__ import annotations

from datetime import date

import pytest

from onestop.enterprises.models import CommissionerAssignment
from onestop.errors import Conflict, NotFound
from onestop.outreach import commissioner_actions as ca, queries
from onestop.outreach.tests.conftest import day
from onestop.worktime.clock import light


def test_a_demand_from_a_visit_to_a_confirmed_resolution(w):
    visit = ca.log_visit(w.commissioner, enterprise_id=w.enterprise.pk, visited_on=date(2026, 6, 1),
                         met="总经理 刘某", discussed="扩产用工与用电", at=day(2026, 6, 1, 17))
    d = ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="labour", description="招工 50 人",
                        visit_id=visit.pk, at=day(2026, 6, 1, 18))
    assert (d.state, d.clock_state, d.limit_days) == ("raised", "running", 15)
    ca.assign_demand(w.commissioner, d.pk, department_id=w.department.pk, at=day(2026, 6, 2))
    ca.start_demand(w.approver, d.pk, at=day(2026, 6, 3))  # the department's staff work on it
    done = ca.resolve_demand(w.approver, d.pk, resolution="组织专场招聘会，招到 52 人", at=day(2026, 6, 10))
    assert (done.state, done.clock_state, light(done, day(2026, 12, 1))) == ("resolved", "stopped", "green")
    with pytest.raises(Conflict):
        ca.resolve_demand(w.commissioner, d.pk, resolution="again")
    confirmed = ca.give_verdict(w.enterprise_user, d.pk, verdict="confirmed", at=day(2026, 6, 11))
    assert confirmed.verdict == "confirmed"
    with pytest.raises(Conflict):
        ca.give_verdict(w.enterprise_user, d.pk, verdict="disputed", note="改主意")
    (row,) = queries.commissioner_enterprises(w.commissioner)
    assert (row["enterprise"], row["open_demands"], row["last_visit"]) == (w.enterprise, 0, date(2026, 6, 1))


def test_an_unresolvable_demand_is_disputed_and_shows_on_the_overview(w):
    d = ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="land", description="扩建用地 20 亩",
                        department_id=w.department.pk)
    ca.declare_unresolvable(w.commissioner, d.pk, explanation="不符合国土空间规划，已告知可选地块")
    ca.give_verdict(w.enterprise_user, d.pk, verdict="disputed", note="希望再协调")
    assert queries.supervisor_overview(w.supervisor)["demands_disputed"] == 1


def test_reassigning_the_commissioner_keeps_the_history(w):
    new = ca.reassign_commissioner(w.supervisor, enterprise_id=w.enterprise.pk,
                                   commissioner_id=w.other_commissioner.pk, on=date(2026, 7, 1))
    history = list(CommissionerAssignment.objects.filter(enterprise=w.enterprise).order_by("since"))
    assert [(a.commissioner, a.since, a.until) for a in history] == [
        (w.commissioner, date(2026, 1, 1), date(2026, 6, 30)), (w.other_commissioner, date(2026, 7, 1), None)]
    assert new.commissioner == w.other_commissioner
    with pytest.raises(NotFound):  # the former commissioner no longer sees the enterprise
        ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="other", description="x")
