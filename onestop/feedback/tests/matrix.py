"""Permission-matrix entries of the feedback API (collected by onestop/org/tests/test_permission_matrix.py).

`build` registers, on the world's project P (received by its enterprise E) and on the outside project Q,
a service to rate, a service rated 非常不满意 whose follow-up is open, one whose follow-up is answered, and
a pending public comment. A service is seen by who received it and by the staff who see its project; only
its recipient rates it (403 for staff who see it); the follow-up is answered by the administrator, the area
supervisor or the project's stewards; return visits and moderation are the supervisor's; the stars are for
stewards, supervisors, department heads and administrators. Public comments are open to everyone.
"""
from __future__ import annotations

import itertools

from onestop.org.models import Role

_refs = itertools.count(7_000_000)


def build(w) -> None:
    from onestop.feedback import actions

    def service(project, organisation):
        return actions.register_service("application", next(_refs), "建筑工程施工许可", project=project,
                                        recipient_organisation=organisation)

    outside_user = w.accounts[Role.ADMINISTRATOR].__class__.objects.create(
        username="matrix_outside_enterprise", role=Role.ENTERPRISE, organisation=w.outside_enterprise)
    admin, supervisor = w.accounts[Role.ADMINISTRATOR], w.accounts[Role.SUPERVISOR]
    for key, project, organisation, user in (("", w.project, w.enterprise, w.accounts[Role.ENTERPRISE]),
                                            ("_q", w.outside_project, w.outside_enterprise, outside_user)):
        setattr(w, f"fb_service{key}", service(project, organisation))
        bad = actions.rate_service(user, service(project, organisation).pk, level="very_dissatisfied", comment="慢")
        setattr(w, f"fb_open{key}", bad.follow_up)
        answered = actions.rate_service(user, service(project, organisation).pk, level="dissatisfied", comment="慢")
        actions.answer_follow_up(admin, answered.follow_up.pk, kind="explained", answer="已说明")
        setattr(w, f"fb_answered{key}", answered.follow_up)
        setattr(w, f"fb_comment{key}", actions.post_public_comment(None, project.pk, sentiment="positive", body="好"))
    assert supervisor is not None


def entries(m) -> dict:
    staff_seeing = {r: 403 for r in (Role.WINDOW_CLERK, Role.APPROVER, Role.DEPARTMENT_HEAD, Role.STEWARD, Role.COACH,
                                     Role.SUPERVISOR, Role.HELP_AGENT, Role.GRID_WORKER, Role.COMMISSIONER,
                                     Role.ADMINISTRATOR)}
    stars = m.expect(403, administrator=200, steward=200, supervisor=200, department_head=200)

    def pair(path, attr, body=None):
        return {"request": lambda w: (path.format(getattr(w, attr).pk), body),
                "outside": lambda w: (path.format(getattr(w, attr + "_q").pk), body)}

    visit = lambda w: {"score": 90, "visited_on": "2026-10-09", "steward_id": w.accounts[Role.STEWARD].pk}  # noqa: E731
    return {
        ("GET", "/api/feedback/services"): m.Op(lambda w: ("/api/feedback/services", None), m.LOGGED_IN),
        ("POST", "/api/feedback/services/{service_id}/rating"): m.Op(
            **pair("/api/feedback/services/{}/rating", "fb_service", {"level": "satisfied"}),
            expected=m.expect(404, enterprise=201, **staff_seeing), audited=True,
            note="only the recipient rates; staff who see the service: 403"),
        ("GET", "/api/feedback/follow-ups"): m.Op(lambda w: ("/api/feedback/follow-ups", None), m.LOGGED_IN),
        ("POST", "/api/feedback/follow-ups/{follow_up_id}/answer"): m.Op(
            **pair("/api/feedback/follow-ups/{}/answer", "fb_open", {"kind": "rectified", "answer": "已整改"}),
            expected=m.expect(403, administrator=200, supervisor=200, steward=200, **m.NOT_SEEN_BY), audited=True),
        ("POST", "/api/feedback/follow-ups/{follow_up_id}/rating"): m.Op(
            **pair("/api/feedback/follow-ups/{}/rating", "fb_answered", {"level": "satisfied"}),
            expected=m.expect(404, enterprise=200, **staff_seeing), audited=True),
        ("POST", "/api/feedback/projects/{project_id}/return-visits"): m.Op(
            lambda w: (f"/api/feedback/projects/{w.project.pk}/return-visits", visit(w)),
            m.expect(403, administrator=201, supervisor=201, **m.NOT_SEEN_BY), audited=True,
            outside=lambda w: (f"/api/feedback/projects/{w.outside_project.pk}/return-visits", visit(w))),
        ("GET", "/api/feedback/projects/{project_id}/comments"): m.Op(
            lambda w: (f"/api/feedback/projects/{w.project.pk}/comments", None), m.PUBLIC),
        ("POST", "/api/feedback/projects/{project_id}/comments"): m.Op(
            lambda w: (f"/api/feedback/projects/{w.project.pk}/comments", {"sentiment": "neutral", "body": "一般"}),
            m.expect(201, anonymous=201), audited=True, note="the public comment form is open to everyone"),
        ("POST", "/api/feedback/comments/{comment_id}/moderation"): m.Op(
            **pair("/api/feedback/comments/{}/moderation", "fb_comment", {"approve": True}),
            expected=m.expect(403, administrator=200, supervisor=200, **m.NOT_SEEN_BY), audited=True),
        ("GET", "/api/feedback/stars"): m.Op(lambda w: ("/api/feedback/stars?month=2026-10", None), stars),
        ("GET", "/api/feedback/stars.xlsx"): m.Op(lambda w: ("/api/feedback/stars.xlsx?month=2026-10", None), stars),
    }
