"""The clock: start day not counted, deadline at the end of the last counted day, pauses, extensions."""
from datetime import date

import pytest

from onestop.audit.models import Event
from onestop.testing import account
from onestop.worktime import actions
from onestop.worktime.actions import events_of
from onestop.worktime.clock import replay, stored_values
from onestop.worktime import workdays
from onestop.worktime.tests.helpers import at, midnight_after

pytestmark = pytest.mark.django_db


def _same_as_replay(clock) -> None:
    clock.refresh_from_db()
    assert stored_values(clock) == replay(events_of(clock), workdays.current())


def test_a_started_clock_is_due_at_midnight_after_its_last_counted_day(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 2, 13, 16, 30))
    assert clock.clock_state == "running" and clock.days_consumed == 0
    assert clock.due_at == midnight_after(date(2026, 2, 27))  # 02-14 works, 02-15..02-23 春节
    assert clock.warn_at == midnight_after(date(2026, 2, 26))  # W = max(1, ceil(20% of 5)) = 1
    assert clock.legal_due_at == clock.due_at and not clock.provisional
    _same_as_replay(clock)


def test_the_legal_limit_point_is_stored_beside_the_promised_one(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, legal_limit_days=20, at=at(2026, 3, 2))
    assert clock.due_at == midnight_after(date(2026, 3, 9))
    assert clock.legal_due_at == midnight_after(date(2026, 3, 30))
    assert clock.warn_days == 1


def test_a_pause_counts_its_own_day_and_skips_the_counted_days_up_to_the_resume_day(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))  # a Monday
    assert clock.due_at == midnight_after(date(2026, 3, 16))
    actions.pause_clock(clock, reason="supplement", at=at(2026, 3, 4, 9))
    assert clock.paused and clock.clock_state == "paused" and clock.days_consumed == 2  # 03-03, 03-04
    actions.resume_clock(clock, at=at(2026, 3, 10, 15))
    # (03-04, 03-10] holds 4 working days (05, 06, 09, 10): the deadline moves by exactly 4
    assert clock.due_at == midnight_after(date(2026, 3, 20)) and clock.days_consumed == 2
    assert not clock.paused
    _same_as_replay(clock)


def test_a_pause_over_a_holiday_moves_the_deadline_only_by_the_working_days_in_it(clocks):
    clock = actions.start_clock(clocks(), limit_days=3, at=at(2026, 2, 11))
    assert clock.due_at == midnight_after(date(2026, 2, 14))  # 12, 13, 14 (a working Saturday)
    actions.pause_clock(clock, reason="expert_review", at=at(2026, 2, 12))
    actions.resume_clock(clock, at=at(2026, 2, 24))  # (02-12, 02-24] holds 13, 14, 24
    assert clock.due_at == midnight_after(date(2026, 2, 26))


def test_a_pause_waiting_on_the_applicant_carries_its_own_limit(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    actions.pause_clock(clock, reason="supplement", limit_days=5, at=at(2026, 3, 4))
    assert clock.pause_reason == "supplement"
    assert clock.pause_due_at == midnight_after(date(2026, 3, 11))
    assert clock.pause_warn_at == midnight_after(date(2026, 3, 10))
    actions.resume_clock(clock, at=at(2026, 3, 5))
    assert clock.pause_due_at is None and clock.pause_reason == ""
    _same_as_replay(clock)


def test_an_other_pause_needs_its_reason_written(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    with pytest.raises(actions.InvalidInput) as err:
        actions.pause_clock(clock, reason="other", at=at(2026, 3, 3))
    assert "note" in err.value.fields
    with pytest.raises(actions.InvalidInput) as err:
        actions.pause_clock(clock, reason="lunch", at=at(2026, 3, 3))
    assert "reason" in err.value.fields


def test_an_extension_adds_days_in_the_clocks_unit_with_reason_and_approver(clocks, places):
    from onestop.testing import department

    head = account("department_head", department=department(places["town"]))
    clock = actions.start_clock(clocks(), limit_days=5, legal_limit_days=10, at=at(2026, 3, 2))
    actions.extend_clock(clock, days=3, reason="需专家论证", approver=head, at=at(2026, 3, 6))
    assert clock.extended_days == 3 and clock.due_at == midnight_after(date(2026, 3, 12))
    assert clock.legal_due_at == midnight_after(date(2026, 3, 19))
    assert clock.warn_days == 2  # ceil(20% of 8)
    event = events_of(clock)[-1]
    assert (event.kind, event.days, event.note, event.approver_id) == ("extend", 3, "需专家论证", head.pk)


def test_an_extension_needs_an_approver_who_may_approve_it(clocks, places):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 3, 2))
    clerk = account("resident")
    with pytest.raises(actions.Forbidden):
        actions.extend_clock(clock, days=3, reason="why", approver=clerk)
    with pytest.raises(actions.InvalidInput) as err:
        actions.extend_clock(clock, days=3, reason="why", approver=None)
    assert "approver" in err.value.fields


def test_natural_days_end_on_the_next_working_day_when_the_last_is_not_one(clocks):
    clock = actions.start_clock(clocks(), limit_days=3, unit="natural", at=at(2026, 9, 28))
    assert clock.due_at == midnight_after(date(2026, 10, 8))  # 10-01 is 国庆节


def test_a_limit_of_zero_days_is_red_at_the_end_of_its_start_day(clocks):
    clock = actions.start_clock(clocks(), limit_days=0, at=at(2026, 3, 7, 11))  # even on a Saturday
    assert clock.due_at == midnight_after(date(2026, 3, 7))
    assert clock.warn_at == at(2026, 3, 7, 11)  # yellow from the start: it is due today


def test_a_matter_gives_the_clock_its_limits_and_its_own_warn_point(clocks, places):
    from onestop.catalog.models import Matter
    from onestop.testing import department

    matter = Matter.objects.create(
        code="T-1", name="测试事项", department=department(places["town"]), legal_limit=20, promised_limit=10,
        warn_days=4, lowest_level="town", source="own",
    )
    clock = actions.start_clock(clocks(), matter=matter, at=at(2026, 3, 2))
    assert (clock.limit_days, clock.legal_limit_days, clock.warn_days) == (10, 20, 4)
    assert clock.due_at == midnight_after(date(2026, 3, 16))
    assert clock.warn_at == midnight_after(date(2026, 3, 10))  # 4 counted days before the 16th


def test_stopping_freezes_the_days_consumed(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    actions.stop_clock(clock, note="办结", at=at(2026, 3, 5, 17))
    assert clock.clock_state == "stopped" and clock.days_consumed == 3
    assert clock.stopped_at == at(2026, 3, 5, 17)
    _same_as_replay(clock)


def test_every_clock_action_is_audited_on_the_clocks_own_chain(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    actions.pause_clock(clock, reason="hearing", at=at(2026, 3, 3))
    actions.resume_clock(clock, at=at(2026, 3, 4))
    actions.stop_clock(clock, at=at(2026, 3, 5))
    trail = Event.objects.filter(chain__aggregate_type="worktime_tests.SampleClock", chain__aggregate_id=str(clock.pk))
    assert list(trail.values_list("action", flat=True)) == [
        "worktime.clock_started", "worktime.clock_paused", "worktime.clock_resumed", "worktime.clock_stopped",
    ]
    assert trail.last().after["clock_state"] == "stopped"


def test_an_event_before_the_previous_one_is_refused(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 5))
    with pytest.raises(actions.InvalidInput) as err:
        actions.pause_clock(clock, reason="hearing", at=at(2026, 3, 4))
    assert "at" in err.value.fields and len(events_of(clock)) == 1


def test_the_event_log_is_append_only(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    event = events_of(clock)[0]
    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        type(event).objects.filter(pk=event.pk).update(note="x")
