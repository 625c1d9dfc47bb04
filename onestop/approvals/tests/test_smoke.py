from onestop.approvals import actions
from onestop.approvals.builders import required_ids
from onestop.approvals.models import AppState

from .conftest import day


def test_a_stage_goes_from_submission_to_issue(w):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk,
                                     at=day(2026, 3, 2))
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app), at=day(2026, 3, 2))
    assert app.state == AppState.IN_REVIEW and app.tasks.count() == 2
    for task in app.tasks.all():
        actions.approve_task(w.approver_of(task), task.pk, opinion="同意", at=day(2026, 3, 3))
    app.refresh_from_db()
    assert app.state == AppState.APPROVED
    app = actions.issue_results(w.clerk, app.pk, at=day(2026, 3, 3))
    assert app.state == AppState.ISSUED
