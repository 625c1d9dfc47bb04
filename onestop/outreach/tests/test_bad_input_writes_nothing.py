"""Unknown matter or place, an agent outside its area, filing without authorisation, a demand resolved
without a text: a clear error naming the field (or 403/404), and nothing written."""
from __future__ import annotations

import pytest

from onestop.approvals.models import Application
from onestop.audit.models import Event
from onestop.errors import Forbidden, InvalidInput, NotFound
from onestop.outreach import actions, commissioner_actions as ca
from onestop.outreach.models import Demand, HelpRequest, Visit


@pytest.fixture
def counts():
    def now():
        return (Event.objects.count(), HelpRequest.objects.count(), Application.objects.count(),
                Demand.objects.count(), Visit.objects.count())
    return now


def _raise(w, **kw):
    args = {"matter_id": w.village_matter.pk, "place_id": w.p["village"].pk, "description": "代办"} | kw
    return actions.raise_request(w.resident, **args)


@pytest.mark.parametrize("bad,field", [({"matter_id": 999999}, "matter_id"), ({"place_id": 999999}, "place_id"),
                                       ({"description": "  "}, "description"), ({"channel": "fax"}, "channel")])
def test_a_bad_request_names_the_field(w, counts, bad, field):
    before = counts()
    with pytest.raises(InvalidInput) as err:
        _raise(w, **bad)
    assert field in err.value.fields and counts() == before


def test_an_agent_outside_its_area_neither_sees_nor_raises(w, counts):
    r = _raise(w)
    before = counts()
    with pytest.raises(NotFound):
        actions.accept_request(w.other_agent, r.pk)
    with pytest.raises(NotFound):
        actions.accept_request(w.grid_worker, r.pk)  # a village request is outside the grid
    with pytest.raises(Forbidden):
        actions.raise_request(w.other_agent, matter_id=w.village_matter.pk, place_id=w.p["village"].pk,
                              description="电话求助", channel="phone", contact_name="张三")
    assert counts() == before
    r.refresh_from_db()
    assert (r.state, r.agent) == ("raised", w.village_agent)


def test_only_the_assigned_agent_files_and_only_with_consent(w, counts):
    r = _raise(w)
    actions.accept_request(w.village_agent, r.pk)
    before = counts()
    with pytest.raises(Forbidden):
        actions.file_on_behalf(w.town_agents[0], r.pk)  # sees it (town area) but is not its agent
    with pytest.raises(Forbidden):
        actions.file_on_behalf(w.village_agent, r.pk)  # no authorisation
    with pytest.raises(InvalidInput) as err:
        actions.authorise(w.village_agent, r.pk, how="signed_form")
    assert "reference" in err.value.fields
    assert counts() == before


def test_a_demand_resolved_without_a_text_is_refused(w, counts):
    d = ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="power",
                        description="新厂房需要增容 800 千伏安", department_id=w.department.pk)
    before = counts()
    for empty in ("", "   "):
        with pytest.raises(InvalidInput) as err:
            ca.resolve_demand(w.commissioner, d.pk, resolution=empty)
        assert "resolution" in err.value.fields
    with pytest.raises(InvalidInput) as err:
        ca.declare_unresolvable(w.commissioner, d.pk, explanation="")
    assert "explanation" in err.value.fields
    with pytest.raises(NotFound):
        ca.resolve_demand(w.other_commissioner, d.pk, resolution="已解决")  # not its enterprise
    with pytest.raises(InvalidInput) as err:
        ca.raise_demand(w.commissioner, enterprise_id=w.enterprise.pk, category="weather", description="x")
    assert "category" in err.value.fields
    assert counts() == before
    d.refresh_from_db()
    assert (d.state, d.resolution, d.clock_state) == ("assigned", "", "running")


def test_the_api_answers_bad_input_in_the_one_error_shape(w, client):
    client.force_login(w.resident)
    before = HelpRequest.objects.count()
    res = client.post("/api/outreach/requests", {"matter_id": 999999, "place_id": w.p["village"].pk,
                                                 "description": "x"}, content_type="application/json")
    assert res.status_code == 400 and res.json()["fields"] == {"matter_id": "No such matter (or it is no longer active)."}
    res = client.post("/api/outreach/requests", {"place_id": w.p["village"].pk, "description": "x"},
                      content_type="application/json")
    assert res.status_code == 400 and "matter_id" in res.json()["fields"]
    assert HelpRequest.objects.count() == before
