"""With a window seal, intake issues a sealed acceptance notice (its number is the acceptance number) and
one-window issue seals every department's decision (准予 / 不予许可决定书)."""
import pytest

from onestop.approvals import actions
from onestop.approvals.builders import required_ids
from onestop.errors import Forbidden, NotFound
from onestop.org.models import Role
from onestop.seals import actions as seals
from onestop.seals.models import IssuedDocument
from onestop.testing import account


@pytest.fixture
def seal(w, settings, tmp_path):
    settings.SEALS_DIR = str(tmp_path / "seals")
    seal = seals.create_seal(w.admin, kind="approval", service_centre=w.centre.pk)
    seals.grant_use(w.admin, seal.pk, w.clerk.pk)
    return seal


def test_acceptance_and_results_are_sealed_documents(w, seal):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    app = actions.accept_application(w.clerk, app.pk, provided=required_ids(app), seal_id=seal.pk)
    notice = IssuedDocument.objects.get(number=app.acceptance_no)
    assert notice.kind == "acceptance" and notice.recipient == w.investor.name
    assert type(app).objects.get(pk=app.pk).acceptance_no == notice.number  # stored, not only returned
    tasks = list(app.tasks.select_related("matter"))
    actions.approve_task(w.approver_of(tasks[0]), tasks[0].pk, opinion="同意")
    actions.reject_task(w.approver_of(tasks[1]), tasks[1].pk, reasons="印章样式不符合规定")
    app = actions.issue_results(w.clerk, app.pk, seal_id=seal.pk)
    kinds = {r["result"]: IssuedDocument.objects.get(number=r["document"]).kind for r in app.results}
    assert kinds == {"approved": "approval", "rejected": "refusal"}


def test_a_clerk_without_the_seal_is_refused_and_nothing_is_written(w, seal):
    app = actions.submit_application(w.enterprise_user, stage_id=w.stages[1].pk, project_id=w.project.pk)
    colleague = account(Role.WINDOW_CLERK, service_centre=w.centre)  # same window, not allowed the seal
    with pytest.raises((Forbidden, NotFound)):  # the seals app hides a seal the clerk may not use
        actions.accept_application(colleague, app.pk, provided=required_ids(app), seal_id=seal.pk)
    app.refresh_from_db()
    assert app.state == "submitted" and not app.tasks.exists() and not IssuedDocument.objects.exists()
