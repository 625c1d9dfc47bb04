"""Permission-matrix entries of the outreach API (collected by onestop/org/tests/test_permission_matrix.py).

`build` raises, as the world's resident, help requests in the village (they land with the town's help agent,
the nearest level with an agent) in each state the operations need: raised, accepted, accepted and
authorised, done. It records, as E's commissioner, a demand assigned to the world's department and a
resolved one. The `_q` twins are in 大场镇 (a resident, a help agent and a commissioner of their own, a
department of their own), seen by nobody of the world but the administrator.

Who sees a request: the administrator, the area's help agent and supervisor, the requester (the grid worker's
area is only its grid: 404). Who acts: the assigned agent (accept, steps, file, complete, close), also the
requester (authorise, close, rate) and the area supervisor (close, reassign); others who see it get 403.
Visits and demands: E's current commissioner and the administrator record them; those who see E but are
not its commissioner get 403. A demand is seen by the administrator, the commissioner, the enterprise, the
area supervisor and the department it was sent to; it is worked by the commissioner, that department's staff
and the administrator; only the enterprise confirms or disputes. Reassigning a commissioner: supervisor or
administrator. The Open311 export is public (it carries no personal data).
"""
from __future__ import annotations

from onestop.org.models import Role

MATTER = "MX-001"


def _request_states(matter_id: int, place, resident, agent, key: str, w) -> None:
    from onestop.outreach import actions

    def raised():
        return actions.raise_request(resident, matter_id=matter_id, place_id=place.pk, description="请帮忙代办")

    setattr(w, f"or_raised{key}", raised())
    accepted = raised()
    actions.accept_request(agent, accepted.pk)
    setattr(w, f"or_accepted{key}", accepted)
    authorised = raised()
    actions.accept_request(agent, authorised.pk)
    actions.authorise(resident, authorised.pk)
    setattr(w, f"or_authorised{key}", authorised)
    done = raised()
    actions.accept_request(agent, done.pk)
    actions.complete_request(agent, done.pk, result="已办结")
    setattr(w, f"or_done{key}", done)


def _demand_states(enterprise, commissioner, department, key: str, w) -> None:
    from onestop.outreach import commissioner_actions as ca

    def demand():
        return ca.raise_demand(commissioner, enterprise_id=enterprise.pk, category="power", description="增容",
                               department_id=department.pk)

    setattr(w, f"od_open{key}", demand())
    resolved = demand()
    ca.resolve_demand(commissioner, resolved.pk, resolution="已增容")
    setattr(w, f"od_resolved{key}", resolved)


def build(w) -> None:
    from datetime import date

    from onestop import testing
    from onestop.catalog.models import Matter
    from onestop.enterprises.models import CommissionerAssignment

    matter = Matter.objects.get(code=MATTER)
    other = w.places["other_town"]
    _request_states(matter.pk, w.places["village"], w.accounts[Role.RESIDENT], w.accounts[Role.HELP_AGENT], "", w)
    w.or_agent_q = testing.account(Role.HELP_AGENT, place=other)
    _request_states(matter.pk, other, testing.account(Role.RESIDENT), w.or_agent_q, "_q", w)
    _demand_states(w.enterprise, w.accounts[Role.COMMISSIONER], w.department, "", w)
    commissioner_q = testing.account(Role.COMMISSIONER, department=w.department)
    CommissionerAssignment.objects.create(commissioner=commissioner_q, enterprise=w.outside_enterprise,
                                          since=date(2026, 1, 1))
    _demand_states(w.outside_enterprise, commissioner_q, testing.department(other), "_q", w)
    w.or_next_commissioner = testing.account(Role.COMMISSIONER, department=w.department)


def entries(m) -> dict:
    def ex(default: int, *parts: dict, **kw: int) -> dict:
        merged: dict = {}
        for part in (*parts, kw):
            merged.update(part)
        return m.expect(default, **merged)

    sees_request = {"administrator": 200, "help_agent": 200, "supervisor": 200, "resident": 200}
    refused = {r: 403 for r in sees_request if r != "administrator"}
    agent_acts = ex(404, refused, administrator=200, help_agent=200)
    seeing_e = {r: 403 for r in Role.values if r not in (Role.ADMINISTRATOR, Role.COMMISSIONER)}
    records = ex(403, seeing_e, m.NOT_SEEN_BY, administrator=201, commissioner=201)
    demand_seen = {"administrator": 200, "commissioner": 200, "enterprise": 200, "supervisor": 200,
                   "approver": 200, "department_head": 200}
    works_demand = ex(404, demand_seen, enterprise=403, supervisor=403)
    base = "/api/outreach"

    def on(attr: str, suffix: str = "", body=None, outside_body=None):
        inside = body if callable(body) else (lambda w: body)
        outside = outside_body or inside
        return {"request": lambda w: (f"{base}/requests/{getattr(w, attr).pk}{suffix}", inside(w)),
                "outside": lambda w: (f"{base}/requests/{getattr(w, attr + '_q').pk}{suffix}", outside(w))}

    def demand(attr: str, suffix: str = "", body=None):
        body_of = body if callable(body) else (lambda w: body)
        return {"request": lambda w: (f"{base}/demands/{getattr(w, attr).pk}{suffix}", body_of(w)),
                "outside": lambda w: (f"{base}/demands/{getattr(w, attr + '_q').pk}{suffix}", body_of(w))}

    def raise_body(w):
        from onestop.catalog.models import Matter

        return {"matter_id": Matter.objects.get(code=MATTER).pk, "place_id": w.places["village"].pk,
                "description": "请帮忙代办", "contact_name": "张三"}

    def record_body(w, enterprise, kind):
        if kind == "visit":
            return {"enterprise_id": enterprise.pk, "visited_on": "2026-10-09", "met": "总经理", "discussed": "用电"}
        return {"enterprise_id": enterprise.pk, "category": "labour", "description": "招工", "department_id": w.department.pk}

    def creating(kind: str):
        return {"request": lambda w: (f"{base}/{kind}s", record_body(w, w.enterprise, kind)),
                "outside": lambda w: (f"{base}/{kind}s", record_body(w, w.outside_enterprise, kind))}

    reassign_body = lambda w: {"commissioner_id": w.or_next_commissioner.pk, "on": "2026-12-01"}  # noqa: E731
    return {
        ("GET", f"{base}/requests"): m.Op(lambda w: (f"{base}/requests", None), m.LOGGED_IN),
        ("POST", f"{base}/requests"): m.Op(
            lambda w: (f"{base}/requests", raise_body(w)),
            m.expect(403, administrator=201, window_clerk=201, help_agent=201, resident=201, enterprise=201,
                     employer_unit=201), audited=True,
            note="the grid worker's area is its grid, not the village: 403"),
        ("GET", f"{base}/queue"): m.Op(lambda w: (f"{base}/queue", None), m.LOGGED_IN),
        ("GET", f"{base}/requests/{{request_id}}"): m.Op(**on("or_raised"), expected=m.expect(404, **sees_request)),
        ("POST", f"{base}/requests/{{request_id}}/accept"): m.Op(**on("or_raised", "/accept"), expected=agent_acts,
                                                                 audited=True),
        ("POST", f"{base}/requests/{{request_id}}/steps"): m.Op(
            **on("or_accepted", "/steps", {"kind": "call", "note": "电话联系"}),
            expected=ex(404, refused, administrator=201, help_agent=201), audited=True),
        ("POST", f"{base}/requests/{{request_id}}/authorise"): m.Op(
            **on("or_accepted", "/authorise", {"how": "signed_form", "reference": "WT001"}),
            expected=ex(404, refused, administrator=200, help_agent=200, resident=200), audited=True),
        ("POST", f"{base}/requests/{{request_id}}/file"): m.Op(**on("or_authorised", "/file", {}), expected=agent_acts,
                                                               audited=True),
        ("POST", f"{base}/requests/{{request_id}}/complete"): m.Op(
            **on("or_accepted", "/complete", {"result": "已办结"}), expected=agent_acts, audited=True),
        ("POST", f"{base}/requests/{{request_id}}/close"): m.Op(
            **on("or_accepted", "/close", {"reason": "请求人撤回"}), expected=m.expect(404, **sees_request),
            audited=True),
        ("POST", f"{base}/requests/{{request_id}}/reassign"): m.Op(
            **on("or_raised", "/reassign", lambda w: {"agent_id": w.accounts[Role.HELP_AGENT].pk},
                 lambda w: {"agent_id": w.or_agent_q.pk}),
            expected=ex(404, refused, administrator=200, supervisor=200), audited=True),
        ("POST", f"{base}/requests/{{request_id}}/rate"): m.Op(
            **on("or_done", "/rate", {"level": "satisfied"}),
            expected=m.expect(404, administrator=403, help_agent=403, supervisor=403, resident=200), audited=True),
        ("GET", f"{base}/review"): m.Op(lambda w: (f"{base}/review?period=2026", None), m.LOGGED_IN),
        ("GET", f"{base}/review.xlsx"): m.Op(lambda w: (f"{base}/review.xlsx?period=2026-Q4", None), m.LOGGED_IN),
        ("GET", f"{base}/overview"): m.Op(lambda w: (f"{base}/overview", None), m.LOGGED_IN),
        ("GET", f"{base}/enterprises"): m.Op(lambda w: (f"{base}/enterprises", None), m.LOGGED_IN),
        ("GET", f"{base}/visits"): m.Op(lambda w: (f"{base}/visits", None), m.LOGGED_IN),
        ("POST", f"{base}/visits"): m.Op(**creating("visit"), expected=records, audited=True),
        ("GET", f"{base}/demands"): m.Op(lambda w: (f"{base}/demands", None), m.LOGGED_IN),
        ("POST", f"{base}/demands"): m.Op(**creating("demand"), expected=records, audited=True),
        ("GET", f"{base}/demands/{{demand_id}}"): m.Op(**demand("od_open"), expected=m.expect(404, **demand_seen)),
        ("POST", f"{base}/demands/{{demand_id}}/assign"): m.Op(
            **demand("od_open", "/assign", lambda w: {"department_id": w.department.pk}), expected=works_demand,
            audited=True),
        ("POST", f"{base}/demands/{{demand_id}}/start"): m.Op(**demand("od_open", "/start"), expected=works_demand,
                                                               audited=True),
        ("POST", f"{base}/demands/{{demand_id}}/resolve"): m.Op(
            **demand("od_open", "/resolve", {"resolution": "已协调供电所增容"}), expected=works_demand, audited=True),
        ("POST", f"{base}/demands/{{demand_id}}/unresolvable"): m.Op(
            **demand("od_open", "/unresolvable", {"explanation": "超出镇级权限，已告知企业"}), expected=works_demand,
            audited=True),
        ("POST", f"{base}/demands/{{demand_id}}/verdict"): m.Op(
            **demand("od_resolved", "/verdict", {"verdict": "confirmed"}),
            expected=ex(404, {r: 403 for r in demand_seen}, enterprise=200), audited=True),
        ("POST", f"{base}/enterprises/{{enterprise_id}}/commissioner"): m.Op(
            lambda w: (f"{base}/enterprises/{w.enterprise.pk}/commissioner", reassign_body(w)),
            ex(403, m.NOT_SEEN_BY, administrator=201, supervisor=201), audited=True,
            outside=lambda w: (f"{base}/enterprises/{w.outside_enterprise.pk}/commissioner", reassign_body(w))),
        ("GET", f"{base}/open311/services.json"): m.Op(lambda w: (f"{base}/open311/services.json", None), m.PUBLIC),
        ("GET", f"{base}/open311/requests.json"): m.Op(lambda w: (f"{base}/open311/requests.json", None), m.PUBLIC),
        ("GET", f"{base}/open311/requests/{{service_request_id}}.json"): m.Op(
            lambda w: (f"{base}/open311/requests/{w.or_done.number}.json", None), m.PUBLIC),
    }
