"""A resident (群众) applies in its own name only: not in an enterprise's, not for an enterprise's project
(found by the permission matrix's helper: both used to be accepted, filing in the enterprise's name)."""
import pytest

from onestop import testing
from onestop.approvals import actions
from onestop.approvals.models import Application
from onestop.errors import Forbidden, InvalidInput
from onestop.org.models import Role

FORM = {"enterprise_name": "x", "credit_code": "x", "project_name": "x", "contact_phone": "13800000000"}


def test_a_resident_applies_in_its_own_name(w):
    resident = testing.account(Role.RESIDENT)
    app = actions.submit_application(resident, matter_id=w.matters["企业投资项目备案"].pk, form_data=FORM)
    assert app.applicant_id is None and app.applicant_account == resident


def test_a_resident_may_not_apply_in_an_enterprises_name(w):
    resident = testing.account(Role.RESIDENT)
    with pytest.raises(Forbidden):
        actions.submit_application(resident, matter_id=w.matters["企业投资项目备案"].pk, applicant_id=w.investor.pk,
                                   form_data=FORM)
    assert not Application.objects.exists()


def test_a_resident_may_not_apply_for_an_enterprises_project(w):
    resident = testing.account(Role.RESIDENT)
    with pytest.raises(InvalidInput) as refused:
        actions.submit_application(resident, matter_id=w.matters["企业投资项目备案"].pk, project_id=w.project.pk,
                                   form_data=FORM)
    assert "project_id" in refused.value.fields
    assert not Application.objects.exists()
