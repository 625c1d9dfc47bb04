"""The demo history (§10): the town's applications from January to August, deterministic and loaded once."""
from collections import Counter
from datetime import date

import pytest

from onestop.approvals.demo import load_history
from onestop.approvals.demo_forms import ID_WEIGHTS
from onestop.approvals.forms import fields_of
from onestop.approvals.queries import timeline
from onestop.approvals.models import AppState, Application, Channel, SubmittedMaterial, Task, TaskState
from onestop.audit.models import Event
from onestop.audit.verify import verify_trail
from onestop.demo import loader
from onestop.org.models import Account, Role
from onestop.stats import queries as stats
from onestop.worktime.models import ClockEvent
from onestop.worktime.clock import replay
from onestop.worktime import workdays


@pytest.fixture
def demo(db):
    loader.load()


def test_the_history_has_the_towns_scale_across_channels_and_stages_and_loads_once(demo):
    result = load_history(year=2026)
    assert result.created and result.counts["applications"] >= 4048 and result.counts["new_enterprises"] >= 199
    apps = Application.objects.all()
    assert apps.count() == result.counts["applications"]
    assert {a.submitted_at.month for a in apps.only("submitted_at")} >= set(range(1, 9))
    later = apps.filter(submitted_at__month__gt=8)  # only projects' current stages, applied for in the last days
    assert not later.filter(project__isnull=True).exists() and not later.filter(state=AppState.ISSUED).exists()
    assert set(apps.values_list("channel", flat=True)) == set(Channel.values)
    states = Counter(apps.values_list("state", flat=True))
    assert states[AppState.ISSUED] > 3000 and states[AppState.IN_REVIEW] > 0 and states[AppState.SUBMITTED] > 0
    assert Application.objects.filter(stage__bundle__code="QYKB", state=AppState.ISSUED).values("applicant").distinct().count() >= 199
    assert Application.objects.filter(project__isnull=False).values("project").distinct().count() >= 13
    assert Application.objects.filter(resubmission_of__isnull=False).exists()  # rejected and applied for again
    assert Application.objects.filter(simulated=True).exists()
    assert Task.objects.filter(state=TaskState.SUPPLEMENT, paused=True).exists()  # paused by 补正
    assert Task.objects.filter(state=TaskState.REJECTED).exists()
    late = [t for t in Task.objects.filter(clock_state="stopped")[:3000] if t.stopped_at >= t.due_at]
    assert late, "some tasks were finished after their deadline"
    assert Application.objects.exclude(matter__isnull=True).values("matter").distinct().count() > 50
    assert not load_history(year=2026).created and Application.objects.count() == result.counts["applications"]
    figures = stats.statistics(Account.objects.filter(role=Role.ADMINISTRATOR).first(),
                               stats.Period(date(2026, 1, 1), date(2026, 8, 31)), None)  # the page's Jan-Aug
    assert figures["applications"]["received"] >= 4048 and figures["enterprises"]["registered"] >= 199


def test_every_clock_replays_to_its_stored_values(demo):
    result = load_history(year=2026, total=600, startups=20)
    assert SubmittedMaterial.objects.count() == result.counts["materials"] > 0
    assert set(SubmittedMaterial.objects.values_list("clock_state", flat=True)) == {"idle"}
    cal = workdays.current()
    for task in Task.objects.order_by("?")[:200]:
        events = list(ClockEvent.objects.filter(clock_type="approvals.Task", clock_id=task.pk).order_by("seq"))
        values = replay(events, cal)
        assert values["due_at"] == task.due_at and values["clock_state"] == task.clock_state


def test_every_application_has_the_trail_its_actions_would_have_recorded_and_it_verifies(demo):
    load_history(year=2026, total=600, startups=20)
    assert verify_trail() == []
    issued = Application.objects.filter(state=AppState.ISSUED, stage__isnull=True).order_by("pk").first()
    steps = [e.action for e in timeline(issued)]
    decided = Task.objects.filter(application=issued, state__in=[TaskState.APPROVED, TaskState.REJECTED]).count()
    assert steps[:2] == ["approvals.submitted", "approvals.accepted"] and steps[-1] == "approvals.issued"
    assert sum(s.startswith("approvals.task_") for s in steps) == decided > 0
    times = [e.at for e in timeline(issued)]
    assert times == sorted(times) and times[0] == issued.submitted_at and times[-1] == issued.issued_at
    accepted = timeline(issued)[1]
    assert accepted.actor_id == issued.created_by_id and accepted.after["acceptance_no"] == issued.acceptance_no
    paused = Task.objects.filter(state=TaskState.SUPPLEMENT).select_related("application").first()
    assert "approvals.supplement_requested" in [e.action for e in timeline(paused.application)]
    staged = Application.objects.filter(previous__isnull=False).select_related("previous").first()
    opened = [e.after for e in timeline(staged.previous) if e.action == "approvals.next_stage_opened"]
    assert opened == [{"application": staged.pk, "stage": staged.stage_id}]
    waiting = Application.objects.filter(state=AppState.SUBMITTED).first()
    assert [e.action for e in timeline(waiting)] == ["approvals.submitted"]


def test_every_history_form_is_one_the_window_would_have_taken(demo):
    """Prefilled from the records, every required field of its matters answered, a resident's ID valid."""
    load_history(year=2026)
    apps = Application.objects.select_related("matter", "applicant", "project").prefetch_related("stage__matters")
    for app in apps:
        form, matters = app.form_data, list(app.stage.matters.all()) if app.stage_id else [app.matter]
        empty = [f["name"] for f in fields_of(matters) if f["required"] and not str(form.get(f["name"], "")).strip()]
        assert not empty, f"{app.number}: {empty}"
        if app.applicant_id:
            assert form.get("enterprise_name", app.applicant.name) == app.applicant.name
        if "id_number" in form and app.applicant_id is None:
            body, check = form["id_number"][:17], form["id_number"][17]
            assert check == "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def test_nothing_in_the_history_happens_after_now(demo):
    from django.utils import timezone

    load_history(year=2026)
    now = timezone.now()
    assert not Application.objects.filter(submitted_at__gt=now).exists()
    assert not Application.objects.filter(accepted_at__gt=now).exists()
    assert not Application.objects.filter(issued_at__gt=now).exists()
    assert not Task.objects.filter(decided_at__gt=now).exists()
    assert not ClockEvent.objects.filter(at__gt=now).exists()
    assert not Event.objects.filter(at__gt=now).exists()
