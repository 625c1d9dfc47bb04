"""A request lands with the nearest agent: the grid's worker, else the village's agent, else the town's,
the least-loaded among equals."""
from __future__ import annotations

from onestop.outreach import actions


def _raise(w, place, **kw):
    return actions.raise_request(w.resident, matter_id=w.village_matter.pk, place_id=place.pk,
                                 description="帮忙办理优待证", **kw)


def test_a_request_from_a_grid_goes_to_the_grid_worker(w):
    assert _raise(w, w.p["grid"]).agent == w.grid_worker


def test_a_request_from_a_grid_without_a_worker_goes_to_the_village_agent(w):
    assert _raise(w, w.grid2).agent == w.village_agent


def test_a_request_from_a_village_goes_to_the_village_agent(w):
    assert _raise(w, w.p["village"]).agent == w.village_agent


def test_requests_from_the_town_go_to_the_least_loaded_town_agent(w):
    first, second = w.town_agents
    assert _raise(w, w.p["town"]).agent == first
    assert _raise(w, w.p["town"]).agent == second
    assert _raise(w, w.village2).agent == first  # a village without an agent falls to the town
    done = _raise(w, w.p["community"])
    assert done.agent == second
    actions.accept_request(second, done.pk)
    actions.complete_request(second, done.pk, result="已办结")
    assert _raise(w, w.p["town"]).agent == second  # a finished request no longer counts as load


def test_the_request_clock_uses_the_configured_limit(w, settings):
    settings.ONESTOP_HELP_REQUEST_DAYS = 3
    r = _raise(w, w.p["grid"])
    assert (r.clock_state, r.limit_days, r.limit_unit) == ("running", 3, "workday")
