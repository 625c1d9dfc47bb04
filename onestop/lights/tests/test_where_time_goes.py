"""Where time goes: per node count, median, p90, max against the promise; who finished a stage last."""
from onestop.approvals import actions
from onestop.approvals.models import Task
from onestop.lights.models import Notification
from onestop.lights.sweep import sweep

from .conftest import accepted_stage, day

FILING, SITE, EIA = "企业投资项目备案", "用地预审与选址", "环评审批"  # promised 3, 5, 5 working days


def finish(w, app, days_by_matter):
    """Approve each task of the application on the given March 2026 day (accepted Monday 2 March)."""
    for task in Task.objects.filter(application=app).select_related("matter"):
        actions.approve_task(w.approvers[task.matter.name], task.pk, opinion="同意", at=day(2026, 3, days_by_matter[task.matter.name]))


def test_nodes_stages_and_speed_up_points(client, w):
    # working days from Monday 2 March: the 4th is 2 days, the 5th 3, the 9th 5, the 11th 7
    finish(w, accepted_stage(w), {FILING: 4, SITE: 9, EIA: 5})
    finish(w, accepted_stage(w), {FILING: 5, SITE: 11, EIA: 4})
    finish(w, accepted_stage(w), {FILING: 9, SITE: 5, EIA: 4})
    client.force_login(w.supervisor)
    data = client.get(f"/api/lights/analytics/{w.bundle.pk}").json()
    nodes = {n["name"]: n for n in data["nodes"]}
    assert {k: nodes[FILING][k] for k in ("count", "median", "p90", "max", "promised_limit", "over_promise")} == {
        "count": 3, "median": 3, "p90": 5, "max": 5, "promised_limit": 3, "over_promise": 1}
    assert (nodes[SITE]["median"], nodes[SITE]["max"], nodes[SITE]["over_promise"]) == (5, 7, 1)
    assert nodes["施工许可"]["count"] == 0 and nodes["施工许可"]["median"] is None
    stage = data["stages"][0]
    assert stage["applications"] == 3
    last = {d["department"]: (d["times_last"], d["days_added"]) for d in stage["departments"]}
    # SITE last twice: 5-3=2 and 7-3=4 days added; FILING once: 5-3=2
    assert last == {w.departments[SITE].name: (2, 6), w.departments[FILING].name: (1, 2)}
    # FILING: 5 against median and promise 3 saves 2; SITE: 7 against 5 saves 2; EIA (2, 2, 3) saves 1
    assert [(n["name"], n["saving"]) for n in data["speed_up"]] == [(FILING, 2), (SITE, 2), (EIA, 1)]
    page = client.get(f"/lights/analytics/{w.bundle.pk}")
    assert page.status_code == 200 and SITE in page.content.decode()


def test_the_inbox_counts_unread_and_marks_read(client, w):
    accepted_stage(w)
    sweep(day(2026, 3, 6, 10))
    head = w.heads[FILING]
    client.force_login(head)
    assert client.get("/api/lights/notifications/unread").json() == {"unread": 1}
    notes = client.get("/api/lights/notifications").json()["items"]
    assert notes[0]["kind"] == "red" and FILING in notes[0]["title"]
    r = client.post(f"/api/lights/notifications/{notes[0]['id']}/read")
    assert r.status_code == 200 and r.json()["read_at"]
    assert client.get("/api/lights/notifications/unread").json() == {"unread": 0}
    other = Notification.objects.exclude(recipient=head).first()
    assert client.post(f"/api/lights/notifications/{other.pk}/read").status_code == 404
    assert client.get("/lights/inbox").status_code == 200
