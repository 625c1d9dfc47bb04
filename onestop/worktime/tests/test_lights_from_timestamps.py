"""Lights computed from the clock's timestamps (DESIGN.md, "Lights"), and the filters built on them."""
from datetime import date

import pytest

from onestop.worktime import actions
from onestop.worktime.clock import Light, legal_limit_passed, light, pause_light, remaining_days, worst
from onestop.worktime.queries import green_q, legal_passed_q, red_q, yellow_q
from onestop.worktime.tests.helpers import at
from onestop.worktime import workdays

pytestmark = pytest.mark.django_db


def test_green_then_yellow_at_the_warn_point_then_red_at_the_deadline(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, legal_limit_days=15, at=at(2026, 3, 2))  # due end of 03-16
    assert clock.warn_days == 2
    assert light(clock, at(2026, 3, 12, 23, 59)) == Light.GREEN
    assert light(clock, at(2026, 3, 13, 0, 0)) == Light.YELLOW  # two counted days (13, 16) left
    assert light(clock, at(2026, 3, 16, 23, 59)) == Light.YELLOW
    assert light(clock, at(2026, 3, 17, 0, 0)) == Light.RED
    assert not legal_limit_passed(clock, at(2026, 3, 17)) and legal_limit_passed(clock, at(2026, 3, 24))
    model = type(clock)
    assert model.objects.filter(green_q(at(2026, 3, 12))).exists()
    assert model.objects.filter(yellow_q(at(2026, 3, 13))).exists()
    assert model.objects.filter(red_q(at(2026, 3, 17))).exists()
    assert model.objects.filter(legal_passed_q(at(2026, 3, 24))).exists()
    assert remaining_days(clock, date(2026, 3, 12), workdays.current()) == 2


def test_a_paused_clock_shows_paused_and_its_own_limit_has_its_own_light(clocks):
    clock = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    actions.pause_clock(clock, reason="supplement", limit_days=5, at=at(2026, 3, 4))
    assert light(clock, at(2026, 4, 30)) == Light.PAUSED
    assert pause_light(clock, at(2026, 3, 10, 12)) == Light.GREEN
    assert pause_light(clock, at(2026, 3, 11, 12)) == Light.YELLOW  # the last of its 5 days
    assert pause_light(clock, at(2026, 3, 12)) == Light.RED
    assert not type(clock).objects.filter(red_q(at(2026, 4, 30))).exists()


def test_a_zero_day_clock_is_red_at_the_end_of_its_start_day(clocks):
    clock = actions.start_clock(clocks(), limit_days=0, at=at(2026, 3, 3, 9))
    assert light(clock, at(2026, 3, 3, 23, 59)) == Light.YELLOW
    assert light(clock, at(2026, 3, 4, 0, 0)) == Light.RED


def test_a_stopped_clock_keeps_the_light_it_had_when_it_stopped(clocks):
    late = actions.start_clock(clocks(), limit_days=1, at=at(2026, 3, 2))
    actions.stop_clock(late, at=at(2026, 3, 5))
    on_time = actions.start_clock(clocks(), limit_days=10, at=at(2026, 3, 2))
    actions.stop_clock(on_time, at=at(2026, 3, 3))
    assert light(late, at(2027, 1, 1)) == Light.RED and light(on_time, at(2027, 1, 1)) == Light.GREEN
    assert light(clocks(), at(2027, 1, 1)) is None


def test_an_extension_turns_a_red_clock_green_again(clocks):
    from onestop.testing import account

    clock = actions.start_clock(clocks(), limit_days=2, at=at(2026, 3, 2))
    assert light(clock, at(2026, 3, 5)) == Light.RED
    actions.extend_clock(clock, days=10, reason="补充论证", approver=account("administrator"), at=at(2026, 3, 5))
    assert light(clock, at(2026, 3, 5)) == Light.GREEN


def test_the_worst_light_wins_red_yellow_green_paused():
    assert worst([Light.PAUSED, Light.GREEN]) == Light.GREEN
    assert worst([Light.GREEN, Light.YELLOW, Light.PAUSED]) == Light.YELLOW
    assert worst([Light.YELLOW, Light.RED]) == Light.RED
    assert worst([Light.PAUSED]) == Light.PAUSED and worst([None]) is None
