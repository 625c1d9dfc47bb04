"""Permission-matrix entries of the lights API (collected by onestop/org/tests/test_permission_matrix.py).

`build` has E apply for the world's matter MX-001 (department: the world's department) on P; the world's
clerk accepts it on 2026-03-02, its one-day promise runs out, and the sweep at 2026-03-06 (an explicit `now`)
turns it red: a ledger entry (挂账) for the department, red notifications to its head and to P's lead steward.
The `_q` twin is an application on the outside project Q for a matter of a department of 大场镇, accepted
there and swept the same way: its entry is seen by nobody of the world but the administrator, and its red
notification goes to that department's own head (nobody of the world, the administrator neither, reads it).

Who (lights.access, DESIGN.md "Permissions"):
- a ledger entry is seen by the administrator, the area's supervisor, its department (approver, head) and
  the lead steward of its project; everyone else gets 404. Only the department head answers it and only a
  supervisor closes it (销号); the administrator and the others who see it get 403.
- the board, counts, late lists and analytics (督办看板) are for supervisors, department staff and
  administrators: 403 for everyone else (the bundle and matter are public catalogue, so not 404).
- a notification is its recipient's (404 for everyone else, the administrator too); the inbox, its unread
  count, the ledger list and its export are per caller (filtered), so 200 for every logged-in role.
- an application's light: whoever sees the application (approvals' rule); a project's light: whoever
  sees the project.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from onestop.org.models import Role

SH = ZoneInfo("Asia/Shanghai")
MATTER, BUNDLE = "MX-001", "MXB-1"
ACCEPTED, SWEPT = datetime(2026, 3, 2, 9, tzinfo=SH), datetime(2026, 3, 6, 10, tzinfo=SH)
BASE = "/api/lights"


def _red_task(applicant, clerk, matter_id: int, project_id: int, centre_id: int | None = None):
    """An application accepted on ACCEPTED; returns it and its task (on the clock, red by SWEPT)."""
    from onestop.approvals import actions
    from onestop.approvals.builders import required_ids
    from onestop.approvals.models import Task

    app = actions.submit_application(applicant, matter_id=matter_id, project_id=project_id, centre_id=centre_id,
                                     at=ACCEPTED)
    actions.accept_application(clerk, app.pk, provided=required_ids(app), at=ACCEPTED)
    return app, Task.objects.get(application=app)


def build(w) -> None:
    from onestop import testing
    from onestop.catalog import actions as catalog
    from onestop.catalog.models import Bundle, Matter
    from onestop.lights.models import LedgerEntry, Notification
    from onestop.lights.sweep import sweep

    admin = w.accounts[Role.ADMINISTRATOR]
    other = w.places["other_town"]
    matter = Matter.objects.get(code=MATTER)
    w.lt_bundle, w.lt_matter = Bundle.objects.get(code=BUNDLE), matter
    w.lt_app, task = _red_task(w.accounts[Role.ENTERPRISE], w.accounts[Role.WINDOW_CLERK], matter.pk, w.project.pk,
                               w.centre.pk)
    # the twin in 大场镇: its own department, matter and service centre (so no clerk of the world handles it)
    dept_q = testing.department(other, name="大场镇经济发展办公室（亮灯矩阵）")
    head_q = testing.account(Role.DEPARTMENT_HEAD, department=dept_q)
    centre_q = testing.service_centre(other, name="大场镇便民服务中心（亮灯矩阵）")
    matter_q = catalog.create_matter(admin, {
        "code": "LTQ-001", "name": "企业投资项目备案（大场镇）", "department": dept_q.code, "legal_limit": 20,
        "promised_limit": 1, "lowest_level": "town", "source": "delegated",
        "materials": [{"name": "项目备案申请表", "required": True}]})
    w.lt_app_q, task_q = _red_task(admin, admin, matter_q.pk, w.outside_project.pk, centre_q.pk)
    sweep(SWEPT)
    w.lt_entry = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task.pk)
    w.lt_entry_q = LedgerEntry.objects.get(clock_type="approvals.Task", clock_id=task_q.pk)
    w.lt_note = Notification.objects.get(recipient=w.accounts[Role.DEPARTMENT_HEAD], kind="red",
                                         source_type="approvals.Task", source_id=task.pk)
    w.lt_note_q = Notification.objects.get(recipient=head_q, kind="red", source_type="approvals.Task",
                                           source_id=task_q.pk)
    assert w.lt_entry.department_id == w.department.pk and w.lt_entry.project_id == w.project.pk


def entries(m) -> dict:
    board = m.expect(403, administrator=200, supervisor=200, approver=200, department_head=200)
    sees_entry = {"administrator": 200, "supervisor": 200, "approver": 200, "department_head": 200, "steward": 200}
    refused = {r: 403 for r in sees_entry}
    sees_app = {r: 200 for r in (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.WINDOW_CLERK, Role.APPROVER,
                                 Role.DEPARTMENT_HEAD, Role.STEWARD, Role.COACH, Role.ENTERPRISE)}

    def entry(suffix: str = "", body=None):
        return {"request": lambda w: (f"{BASE}/ledger/{w.lt_entry.pk}{suffix}", body),
                "outside": lambda w: (f"{BASE}/ledger/{w.lt_entry_q.pk}{suffix}", body)}

    def on_board(tail: str):
        return m.Op(lambda w: (f"{BASE}/board/{w.lt_bundle.pk}{tail.format(matter=w.lt_matter.pk)}", None), board)

    return {
        ("GET", f"{BASE}/counts"): m.Op(lambda w: (f"{BASE}/counts", None), board),
        ("GET", f"{BASE}/board/{{bundle_id}}"): on_board(""),
        ("GET", f"{BASE}/board/{{bundle_id}}/flow.svg"): on_board("/flow.svg"),
        ("GET", f"{BASE}/board/{{bundle_id}}/nodes/{{matter_id}}/tasks"): on_board("/nodes/{matter}/tasks?light=red"),
        ("GET", f"{BASE}/late"): m.Op(lambda w: (f"{BASE}/late", None), board),
        ("GET", f"{BASE}/late/tasks"): m.Op(lambda w: (f"{BASE}/late/tasks?page=1", None), board),
        ("GET", f"{BASE}/analytics/{{bundle_id}}"): m.Op(lambda w: (f"{BASE}/analytics/{w.lt_bundle.pk}", None), board),
        ("GET", f"{BASE}/ledger"): m.Op(lambda w: (f"{BASE}/ledger", None), m.LOGGED_IN, note="filtered per caller"),
        ("GET", f"{BASE}/ledger.xlsx"): m.Op(lambda w: (f"{BASE}/ledger.xlsx", None), m.LOGGED_IN,
                                             note="filtered per caller"),
        ("GET", f"{BASE}/ledger/{{entry_id}}"): m.Op(**entry(), expected=m.expect(404, **sees_entry)),
        ("POST", f"{BASE}/ledger/{{entry_id}}/answer"): m.Op(
            **entry("/answer", {"reason": "材料复核耗时", "remedy": "增派审核人员"}),
            expected=m.expect(404, **{**refused, "department_head": 200}), audited=True,
            note="only the head of the entry's department answers"),
        ("POST", f"{BASE}/ledger/{{entry_id}}/close"): m.Op(
            **entry("/close", {"resolution": "已督促办结，约谈部门负责人"}),
            expected=m.expect(404, **{**refused, "supervisor": 200}), audited=True,
            note="销号 is the supervisor's alone; the administrator sees the entry but may not close it"),
        ("GET", f"{BASE}/notifications"): m.Op(lambda w: (f"{BASE}/notifications", None), m.LOGGED_IN),
        ("GET", f"{BASE}/notifications/unread"): m.Op(lambda w: (f"{BASE}/notifications/unread", None), m.LOGGED_IN),
        ("POST", f"{BASE}/notifications/{{note_id}}/read"): m.Op(
            lambda w: (f"{BASE}/notifications/{w.lt_note.pk}/read", None),
            m.expect(404, department_head=200), audited=True, note="only one's own notifications exist for one",
            outside=lambda w: (f"{BASE}/notifications/{w.lt_note_q.pk}/read", None)),
        ("POST", f"{BASE}/notifications/read-all"): m.Op(
            lambda w: (f"{BASE}/notifications/read-all", None), m.LOGGED_IN,
            note="one's own inbox; audited only when something was unread, so not marked audited"),
        ("GET", f"{BASE}/applications/{{app_id}}/light"): m.Op(
            lambda w: (f"{BASE}/applications/{w.lt_app.pk}/light", None), m.expect(404, **sees_app),
            outside=lambda w: (f"{BASE}/applications/{w.lt_app_q.pk}/light", None),
            note="whoever sees the application (approvals.queries.application_filter)"),
        ("GET", f"{BASE}/projects/{{project_id}}/light"): m.Op(
            lambda w: (f"{BASE}/projects/{w.project.pk}/light", None), m.expect(200, **m.NOT_SEEN_BY),
            outside=lambda w: (f"{BASE}/projects/{w.outside_project.pk}/light", None)),
    }
