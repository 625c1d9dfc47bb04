"""Permission-matrix entries of the stewards API (collected by onestop/org/tests/test_permission_matrix.py).

The world's project P is led by the world's steward (and coached by its coach); `build` adds a second
steward to assign, a helper on P and on the outside project Q, a message with an attachment that mentions
the steward, a milestone and a division-of-labour row (department: the world's department) on each.
Who sees P is in the group (404 for the others); the plan and the table are the stewards' and the
administrator's, a row's state also its department's; assignment is the administrator's and the area
supervisor's (a helper also the lead steward's).
"""
from __future__ import annotations

from datetime import date

from onestop.org.models import Role

PDF = b"%PDF-1.4\n% matrix\n"


def build(w) -> None:
    from onestop import testing
    from onestop.lights.models import Notification
    from onestop.stewards import actions, plan_actions

    admin, lead = w.accounts[Role.ADMINISTRATOR], w.accounts[Role.STEWARD]
    w.st_second = testing.account(Role.STEWARD, display_name="第二管家")
    w.st_helper = testing.account(Role.STEWARD, display_name="协办管家")
    for project in (w.project, w.outside_project):
        actions.add_helper(admin, project.pk, w.st_helper.pk)
    w.st_message = actions.post_message(w.accounts[Role.ENTERPRISE], w.project.pk, f"@{lead.username} 图纸请查收",
                                        attachment_name="图纸.pdf", attachment_data=PDF)
    w.st_message_q = actions.post_message(admin, w.outside_project.pk, "外部项目", attachment_name="a.pdf",
                                          attachment_data=PDF)
    w.st_notification = Notification.objects.get(recipient=lead, kind="mention")
    w.st_milestone = plan_actions.add_milestone(admin, w.project.pk, name="立项", planned_start=date(2026, 10, 12),
                                                planned_end=date(2026, 10, 20))
    w.st_milestone_q = plan_actions.add_milestone(admin, w.outside_project.pk, name="立项",
                                                  planned_start=date(2026, 10, 12), planned_end=date(2026, 10, 20))
    w.st_item = plan_actions.add_work_item(admin, w.project.pk, title="出具规划条件", deadline=date(2026, 12, 1),
                                           department_id=w.department.pk)
    w.st_item_q = plan_actions.add_work_item(admin, w.outside_project.pk, title="踏勘", deadline=date(2026, 12, 1),
                                             owner_id=admin.pk)


def entries(m) -> dict:
    seen = m.expect(200, **m.NOT_SEEN_BY)
    base = "/api/stewards/projects/{project_id}"

    def on(tail, body=None):
        return (lambda w: (f"/api/stewards/projects/{w.project.pk}{tail}", body(w) if callable(body) else body),
                lambda w: (f"/api/stewards/projects/{w.outside_project.pk}{tail}", body(w) if callable(body) else body))

    def read(tail):
        request, outside = on(tail)
        return m.Op(request, seen, outside=outside)

    def write(tail, body, expected):
        request, outside = on(tail, body)
        return m.Op(request, expected, outside=outside, audited=True)

    planners = dict(administrator=201, steward=201, **m.NOT_SEEN_BY)
    milestone = {"name": "开工", "planned_start": "2026-10-21", "planned_end": "2026-10-30"}
    work = lambda w: {"title": "协调水电", "deadline": "2026-12-04", "department_id": w.department.pk}  # noqa: E731
    return {
        ("GET", "/api/stewards/projects"): m.Op(lambda w: ("/api/stewards/projects", None), m.LOGGED_IN),
        ("GET", base + "/stewards"): read("/stewards"),
        ("POST", base + "/lead"): write("/lead", lambda w: {"steward_id": w.st_second.pk},
                                        m.expect(403, administrator=200, supervisor=200, **m.NOT_SEEN_BY)),
        ("POST", base + "/helpers"): write("/helpers", lambda w: {"steward_id": w.st_second.pk},
                                           m.expect(403, administrator=201, supervisor=201, steward=201, **m.NOT_SEEN_BY)),
        ("DELETE", base + "/helpers/{steward_id}"): m.Op(
            lambda w: (f"/api/stewards/projects/{w.project.pk}/helpers/{w.st_helper.pk}", None),
            m.expect(403, administrator=200, supervisor=200, steward=200, **m.NOT_SEEN_BY),
            outside=lambda w: (f"/api/stewards/projects/{w.outside_project.pk}/helpers/{w.st_helper.pk}", None),
            audited=True),
        ("GET", base + "/route"): read("/route"),
        ("GET", base + "/route.pdf"): read("/route.pdf"),
        ("GET", base + "/messages"): read("/messages"),
        ("POST", base + "/messages"): write("/messages", {m.FILES: {"body": "你好"}}, m.expect(201, **m.NOT_SEEN_BY)),
        ("GET", "/api/stewards/messages/{message_id}/attachment"): m.Op(
            lambda w: (f"/api/stewards/messages/{w.st_message.pk}/attachment", None), seen,
            outside=lambda w: (f"/api/stewards/messages/{w.st_message_q.pk}/attachment", None)),
        ("GET", "/api/stewards/notifications"): m.Op(lambda w: ("/api/stewards/notifications", None), m.LOGGED_IN),
        ("POST", "/api/stewards/notifications/{notification_id}/read"): m.Op(
            lambda w: (f"/api/stewards/notifications/{w.st_notification.pk}/read", None), m.expect(404, steward=200),
            note="only one's own notifications exist for one"),
        ("GET", base + "/milestones"): read("/milestones"),
        ("POST", base + "/milestones"): write("/milestones", milestone, m.expect(403, **planners)),
        ("POST", "/api/stewards/milestones/{milestone_id}/progress"): m.Op(
            lambda w: (f"/api/stewards/milestones/{w.st_milestone.pk}/progress", {"actual_end": "2026-10-19"}),
            m.expect(403, administrator=200, steward=200, **m.NOT_SEEN_BY), audited=True,
            outside=lambda w: (f"/api/stewards/milestones/{w.st_milestone_q.pk}/progress", {"actual_end": "2026-10-19"})),
        ("GET", base + "/gantt.svg"): read("/gantt.svg"),
        ("GET", base + "/work-items"): read("/work-items"),
        ("POST", base + "/work-items"): write("/work-items", work, m.expect(403, **planners)),
        ("PATCH", "/api/stewards/work-items/{item_id}"): m.Op(
            lambda w: (f"/api/stewards/work-items/{w.st_item.pk}", {"state": "doing"}),
            m.expect(403, administrator=200, steward=200, approver=200, department_head=200, **m.NOT_SEEN_BY),
            outside=lambda w: (f"/api/stewards/work-items/{w.st_item_q.pk}", {"state": "doing"}), audited=True,
            note="the row's department (approver, head) may move its state"),
        ("GET", base + "/work-items.xlsx"): read("/work-items.xlsx"),
    }
