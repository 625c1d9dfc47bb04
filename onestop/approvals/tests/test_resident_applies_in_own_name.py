"""A resident (群众) applies in its own name only: not in an enterprise's, not for an enterprise's project
(found by the permission matrix's helper: both used to be accepted, filing in the enterprise's name).
A village agent may file for a resident (代办), who then follows the application as its applicant."""
import pytest

from onestop import testing
from onestop.approvals import actions, queries
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


def test_a_village_agent_files_for_a_resident_who_then_follows_it(w):
    resident, agent = testing.account(Role.RESIDENT), testing.account(Role.HELP_AGENT, place=w.places["village"])
    app = actions.submit_application(agent, matter_id=w.matters["企业投资项目备案"].pk, form_data=FORM,
                                     applicant_account_id=resident.pk)
    assert (app.channel, app.created_by, app.applicant_account) == ("village_agent", agent, resident)
    assert list(queries.visible_applications(resident)) == [app]
    assert queries.application_for(resident, app.pk) == app


def test_filing_for_an_account_that_is_not_an_applicant_names_the_field(w):
    agent = testing.account(Role.HELP_AGENT, place=w.places["village"])
    with pytest.raises(InvalidInput) as refused:
        actions.submit_application(agent, matter_id=w.matters["企业投资项目备案"].pk, form_data=FORM,
                                   applicant_account_id=w.clerk.pk)
    assert "applicant_account_id" in refused.value.fields
    assert not Application.objects.exists()


def test_a_resident_may_not_file_in_another_residents_name(w):
    resident, other = testing.account(Role.RESIDENT), testing.account(Role.RESIDENT)
    with pytest.raises(Forbidden):
        actions.submit_application(resident, matter_id=w.matters["企业投资项目备案"].pk, form_data=FORM,
                                   applicant_account_id=other.pk)
    assert not Application.objects.exists()
