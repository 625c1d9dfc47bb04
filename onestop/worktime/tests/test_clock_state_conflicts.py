"""An action that does not fit the clock's state is refused with 409 and the state, and changes nothing."""
import pytest

from onestop.errors import Conflict
from onestop.worktime import actions
from onestop.worktime.actions import events_of
from onestop.worktime.tests.helpers import at

pytestmark = pytest.mark.django_db


def test_pausing_a_stopped_clock_is_a_409_naming_the_state(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 3, 2))
    actions.stop_clock(clock, at=at(2026, 3, 3))
    with pytest.raises(Conflict) as err:
        actions.pause_clock(clock, reason="supplement", at=at(2026, 3, 4))
    assert err.value.status == 409 and err.value.state == "stopped"
    assert err.value.as_dict()["state"] == "stopped" and err.value.as_dict()["error"] == "conflict"
    assert len(events_of(clock)) == 2


def test_resuming_a_running_clock_is_a_409_naming_the_state(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 3, 2))
    with pytest.raises(Conflict) as err:
        actions.resume_clock(clock, at=at(2026, 3, 3))
    assert err.value.state == "running"


@pytest.mark.parametrize("act", ["pause", "resume", "stop"])
def test_a_clock_that_never_started_can_only_start(clocks, act):
    clock = clocks()
    call = {"pause": lambda: actions.pause_clock(clock, reason="hearing"),
            "resume": lambda: actions.resume_clock(clock), "stop": lambda: actions.stop_clock(clock)}[act]
    with pytest.raises(Conflict) as err:
        call()
    assert err.value.state == "idle" and events_of(clock) == []


def test_starting_twice_and_pausing_twice_are_refused(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 3, 2))
    with pytest.raises(Conflict) as err:
        actions.start_clock(clock, limit_days=5)
    assert err.value.state == "running"
    actions.pause_clock(clock, reason="publicity", at=at(2026, 3, 3))
    with pytest.raises(Conflict) as err:
        actions.pause_clock(clock, reason="publicity", at=at(2026, 3, 4))
    assert err.value.state == "paused"


def test_a_stale_instance_is_judged_by_the_state_in_the_database(clocks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 3, 2))
    stale = type(clock).objects.get(pk=clock.pk)
    actions.stop_clock(clock, at=at(2026, 3, 3))
    with pytest.raises(Conflict) as err:
        actions.stop_clock(stale, at=at(2026, 3, 4))
    assert err.value.state == "stopped"


def test_bad_limits_name_their_field(clocks):
    for kwargs, field in [({"limit_days": -1}, "limit_days"), ({"limit_days": 1001}, "limit_days"),
                          ({"limit_days": 5, "unit": "hours"}, "unit"),
                          ({"limit_days": 5, "legal_limit_days": 3}, "legal_limit_days")]:
        with pytest.raises(actions.InvalidInput) as err:
            actions.start_clock(clocks(), **kwargs)
        assert field in err.value.fields
