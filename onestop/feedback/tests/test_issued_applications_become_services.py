"""An application the approvals app has issued becomes a service its applicant can rate, once."""
import pytest
from django.utils import timezone

from onestop.feedback.bridges import _application_model, register_issued_applications
from onestop.feedback.models import Service

pytestmark = pytest.mark.django_db


def _issued(w, **kw):
    from onestop.catalog.models import Matter

    model = _application_model()
    if model is None:
        pytest.skip("the approvals app has no Application with issued_at/applicant/project yet")
    matter = Matter.objects.create(code="FB-1", name="施工许可", department=w.department, legal_limit=15,
                                   promised_limit=3, lowest_level="town", source="delegated")
    return model.objects.create(matter=matter, channel="window", applicant=w.enterprises[0], created_by=w.admin,
                                project=w.projects[0], submitted_at=timezone.now(), state="issued",
                                issued_at=timezone.now(), **kw)


def test_the_enterprise_finds_its_issued_application_on_its_ratings_page_and_rates_it(w, as_):
    app = _issued(w)
    page = as_(w.users[0]).get("/feedback/").content.decode()
    service = Service.objects.get(kind="application", ref_id=app.pk)
    assert f"/feedback/services/{service.pk}/rate/" in page
    assert service.steward_id == w.stewards[0].pk and service.recipient_organisation_id == w.enterprises[0].pk
    assert register_issued_applications() == 0  # once
    r = as_(w.users[0]).post(f"/api/feedback/services/{service.pk}/rating", {"level": "very_satisfied"},
                             content_type="application/json")
    assert r.status_code == 201


def test_an_application_with_nobody_to_rate_it_is_skipped_not_a_failure_of_the_whole_run(w):
    from onestop.catalog.models import Matter

    anonymous = _issued(w)  # then made a walk-in's: no enterprise, no account
    _application_model().objects.filter(pk=anonymous.pk).update(applicant=None, project=None)
    matter = Matter.objects.get(code="FB-1")
    rated = _application_model().objects.create(matter=matter, channel="window", applicant=w.enterprises[0],
                                                created_by=w.admin, submitted_at=timezone.now(), state="issued",
                                                issued_at=timezone.now())
    assert register_issued_applications() == 1
    assert list(Service.objects.values_list("ref_id", flat=True)) == [rated.pk]
