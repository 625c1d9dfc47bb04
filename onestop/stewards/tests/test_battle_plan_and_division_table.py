"""The battle plan on the common clock, its Gantt, and the audited division-of-labour table with Excel."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from onestop.audit.models import Event
from onestop.stewards import plan_actions as plan
from onestop.stewards.models import Milestone, WorkItem
from onestop.worktime.clock import light
from onestop.worktime.models import ClockEvent

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def test_a_milestone_runs_on_the_clock_and_a_late_one_lights_red(w, as_):
    c = as_(w.stewards[0])
    base = f"/api/stewards/projects/{w.projects[0].pk}"
    first = c.post(f"{base}/milestones", {"name": "立项", "planned_start": "2026-10-12", "planned_end": "2026-10-16"},
                   **JSON).json()
    second = c.post(f"{base}/milestones", {"name": "开工", "planned_start": "2026-10-19", "planned_end": "2026-10-23",
                                           "depends_on": [first["id"]]}, **JSON)
    assert second.status_code == 201, second.content
    m = Milestone.objects.get(pk=first["id"])
    assert m.clock_state == "running" and m.limit_unit == "natural" and m.limit_days == 4
    assert ClockEvent.objects.filter(clock_type="stewards.Milestone", clock_id=m.pk).count() == 1
    assert light(m, timezone.now()) == "red"  # past its planned end, not done
    done = c.post(f"/api/stewards/milestones/{m.pk}/progress", {"actual_end": "2026-10-15"}, **JSON).json()
    assert done["light"] in ("green", "yellow") and done["actual_end"] == "2026-10-15"
    svg = c.get(f"{base}/gantt.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert text.startswith("<svg") and text.count("data-milestone=") == 2 and "marker-end" in text
    assert 'data-light="red"' in text  # 开工 is late


def test_a_dependency_that_ends_after_the_start_is_refused(w):
    a = plan.add_milestone(w.stewards[0], w.projects[0].pk, name="A", planned_start=date(2026, 10, 12),
                           planned_end=date(2026, 10, 20))
    with pytest.raises(Exception) as exc:
        plan.add_milestone(w.stewards[0], w.projects[0].pk, name="B", planned_start=date(2026, 10, 15),
                           planned_end=date(2026, 10, 30), depends_on=[a.pk])
    assert "depends_on" in exc.value.fields
    assert Milestone.objects.count() == 1


def test_a_future_actual_date_and_an_end_before_the_start_are_refused(w):
    m = plan.add_milestone(w.stewards[0], w.projects[0].pk, name="A", planned_start=date(2026, 10, 12),
                           planned_end=date(2026, 10, 20))
    for kwargs, field in (({"actual_end": timezone.localdate() + timedelta(days=2)}, "actual_end"),
                          ({"actual_start": date(2026, 10, 14), "actual_end": date(2026, 10, 13)}, "actual_end")):
        with pytest.raises(Exception) as exc:
            plan.record_progress(w.stewards[0], m.pk, **kwargs)
        assert field in exc.value.fields
    m.refresh_from_db()
    assert m.actual_end is None and m.clock_state == "running"


@pytest.mark.parametrize("who,status", [("enterprise", 403), ("approver", 403), ("other_steward", 404)])
def test_only_the_projects_stewards_change_the_plan(w, as_, who, status):
    actor = {"enterprise": w.users[0], "approver": w.approver, "other_steward": w.stewards[1]}[who]
    r = as_(actor).post(f"/api/stewards/projects/{w.projects[0].pk}/milestones",
                        {"name": "X", "planned_start": "2026-10-12", "planned_end": "2026-10-13"}, **JSON)
    assert r.status_code == status
    assert not Milestone.objects.exists()


def test_the_division_table_is_audited_updated_by_the_owner_department_and_exported(w, as_):
    base = f"/api/stewards/projects/{w.projects[0].pk}"
    r = as_(w.stewards[0]).post(f"{base}/work-items", {"title": "出具规划条件", "deadline": "2026-12-04",
                                                        "department_id": w.department.pk}, **JSON)
    assert r.status_code == 201, r.content
    item = r.json()["id"]
    # the department's approver may move the state, not the deadline
    assert as_(w.approver).patch(f"/api/stewards/work-items/{item}", {"state": "doing"}, **JSON).status_code == 200
    refused = as_(w.approver).patch(f"/api/stewards/work-items/{item}", {"deadline": "2027-01-01"}, **JSON)
    assert refused.status_code == 403 and "deadline" in refused.json()["fields"]
    bad = as_(w.stewards[0]).patch(f"/api/stewards/work-items/{item}", {"state": "finished"}, **JSON)
    assert bad.status_code == 400 and "state" in bad.json()["fields"]
    assert WorkItem.objects.get(pk=item).state == "doing"
    actions = list(Event.objects.filter(chain__aggregate_id=str(w.projects[0].pk), action__startswith="stewards.work")
                   .values_list("action", flat=True))
    assert actions == ["stewards.work_item_added", "stewards.work_item_updated"]
    xlsx = as_(w.stewards[0]).get(f"{base}/work-items.xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet["B3"].value == "出具规划条件" and sheet["C3"].value == "规划建设办公室"
    assert sheet["F3"].value in ("In progress", "办理中")
