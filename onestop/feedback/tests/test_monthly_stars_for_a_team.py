"""A month (October 2026) for a team of five stewards, checked against a table computed by hand.

Weights 40 / 40 / 20 (return visits / service ratings / public opinion), sources without data dropped.

| steward | visits         | ratings (items)                      | public          | score                                   | stars |
| ------- | -------------- | ------------------------------------ | --------------- | --------------------------------------- | ----- |
| 管家1   | 90,100 → 95    | 100,80,20,+80 (follow-up) → 70       | 100,60 → 80     | (40·95+40·70+20·80)/100 = 82            | 4     |
| 管家2   | 70 → 70        | 0,+0 (unanswered, past due),60 → 20  | —               | (40·70+40·20)/80 = 45                   | 1     |
| 管家3   | —              | 100,100,80,20 (answered, unrated) → 75 | 100,100,0 → 66⅔ | (40·75+20·200/3)/60 = 72.22         | 3     |
| 管家4   | 100,85 → 92.5  | 100 → 100                            | 100 → 100       | (40·92.5+40·100+20·100)/100 = 97        | 5     |
| 管家5   | —              | 100 (service of 项目2 rendered in September, when 管家5 led it) | — | 100                     | 5     |
| 管家6   | —              | —                                    | —               | no data                                 | —     |

Outside the month and not counted: a rating of 项目1 on 2026-11-01 00:10 (Shanghai), a return visit on
2026-09-30, a pending and a rejected comment. A rating at 2026-10-31 23:30 Shanghai counts.
"""
from decimal import Decimal

import pytest

from onestop.feedback import actions as fb, scoring
from onestop.feedback.models import FollowUp
from onestop.stewards import actions as st, plan_actions as plan
from onestop.lights.models import Notification
from onestop.lights.queries import project_light
from onestop.stewards.tests.world import at, build
from onestop.testing import account
from onestop.org.models import Role

pytestmark = pytest.mark.django_db
AS_OF = at(2026, 11, 25, 12)
_ref = iter(range(1000, 2000))


def rated(world, i, level, when, *, rendered=None, comment="说明"):
    service = fb.register_service("application", next(_ref), f"办件{i}", project=world.projects[i],
                                  recipient_organisation=world.enterprises[i], rendered_at=rendered or when)
    return fb.rate_service(world.users[i], service.pk, level=level, comment=comment, channel="portal", at=when)


def comment(world, i, sentiment, when, approve=True):
    c = fb.post_public_comment(None, world.projects[i].pk, sentiment=sentiment, body="评价", author_name="群众", at=when)
    if approve is not None:
        fb.moderate_comment(world.supervisor, c.pk, approve=approve)
    return c


def visit(world, i, score, day):
    return fb.record_return_visit(world.supervisor, world.projects[i].pk, score=score, visited_on=day)


@pytest.fixture
def month(places, settings):
    settings.FEEDBACK_FOLLOWUP_WORKING_DAYS = 5
    w = build(places, n_stewards=4, n_projects=4)
    s5 = account(Role.STEWARD, display_name="管家5")
    account(Role.STEWARD, display_name="管家6")
    # 项目2 was led by 管家5 until the end of September, then by 管家2 (history kept)
    st.assign_lead(w.admin, w.projects[1].pk, s5.pk, at=at(2026, 9, 2))
    rated(w, 1, "very_satisfied", at(2026, 10, 8), rendered=at(2026, 9, 28))
    st.assign_lead(w.admin, w.projects[1].pk, w.stewards[1].pk, at=at(2026, 9, 30, 18))
    # 管家1 · 项目1
    visit(w, 0, 90, at(2026, 10, 9).date()), visit(w, 0, 100, at(2026, 10, 28).date())
    visit(w, 0, 10, at(2026, 9, 30).date())  # September: not counted
    rated(w, 0, "very_satisfied", at(2026, 10, 12))
    rated(w, 0, "satisfied", at(2026, 10, 31, 23, 30))
    bad = rated(w, 0, "dissatisfied", at(2026, 10, 15))
    fb.answer_follow_up(w.stewards[0], bad.follow_up.pk, kind="rectified", answer="已整改", at=at(2026, 10, 16))
    fb.rate_follow_up(w.users[0], bad.follow_up.pk, level="satisfied", at=at(2026, 10, 17))
    rated(w, 0, "very_dissatisfied", at(2026, 11, 1, 0, 10))  # November
    comment(w, 0, "positive", at(2026, 10, 3)), comment(w, 0, "neutral", at(2026, 10, 20))
    comment(w, 0, "negative", at(2026, 10, 21), approve=None)  # pending
    comment(w, 0, "negative", at(2026, 10, 22), approve=False)  # rejected
    # 管家2 · 项目2
    visit(w, 1, 70, at(2026, 10, 20).date())
    rated(w, 1, "very_dissatisfied", at(2026, 10, 14))  # its follow-up is never answered
    rated(w, 1, "basic", at(2026, 10, 26))
    # 管家3 · 项目3
    rated(w, 2, "very_satisfied", at(2026, 10, 5)), rated(w, 2, "very_satisfied", at(2026, 10, 6))
    rated(w, 2, "satisfied", at(2026, 10, 7))
    late = rated(w, 2, "dissatisfied", at(2026, 10, 29))
    fb.answer_follow_up(w.supervisor, late.follow_up.pk, kind="explained", answer="已解释", at=at(2026, 10, 30))
    comment(w, 2, "positive", at(2026, 10, 1)), comment(w, 2, "positive", at(2026, 10, 2))
    comment(w, 2, "negative", at(2026, 10, 30))
    # 管家4 · 项目4
    visit(w, 3, 100, at(2026, 10, 10).date()), visit(w, 3, 85, at(2026, 10, 11).date())
    rated(w, 3, "very_satisfied", at(2026, 10, 19))
    comment(w, 3, "positive", at(2026, 10, 19))
    # the liaison group and the battle plan of 项目1 in the same month
    st.post_message(w.users[0], w.projects[0].pk, f"@{w.stewards[0].username} 请问规划许可进度？", at=at(2026, 10, 9))
    st.post_message(w.stewards[0], w.projects[0].pk, "本周内办结。", at=at(2026, 10, 9, 11))
    on_time = plan.add_milestone(w.stewards[0], w.projects[0].pk, name="立项备案",
                                 planned_start=at(2026, 10, 8).date(), planned_end=at(2026, 10, 20).date())
    late_m = plan.add_milestone(w.stewards[0], w.projects[0].pk, name="规划许可",
                                planned_start=at(2026, 10, 9).date(), planned_end=at(2026, 10, 16).date())
    plan.record_progress(w.stewards[0], on_time.pk, actual_start=at(2026, 10, 8).date(),
                         actual_end=at(2026, 10, 15).date())
    plan.record_progress(w.stewards[0], late_m.pk, actual_end=at(2026, 10, 23).date())
    return w, s5


EXPECTED = [  # name, visits, ratings, public, score, stars, in ranking order
    ("管家4", Decimal("92.50"), Decimal("100.00"), Decimal("100.00"), Decimal("97.00"), 5),
    ("管家5", None, Decimal("100.00"), None, Decimal("100.00"), 5),
    ("管家1", Decimal("95.00"), Decimal("70.00"), Decimal("80.00"), Decimal("82.00"), 4),
    ("管家3", None, Decimal("75.00"), Decimal("66.67"), Decimal("72.22"), 3),
    ("管家2", Decimal("70.00"), Decimal("20.00"), None, Decimal("45.00"), 1),
    ("管家6", None, None, None, None, None),
]


def test_each_stewards_month_matches_the_table_computed_by_hand(month):
    rows = scoring.month(2026, 10, as_of=AS_OF)
    got = [(str(r.steward), r.shown("visits"), r.shown("ratings"), r.shown("public"), r.score, r.stars) for r in rows]
    expected = sorted(EXPECTED, key=lambda e: (e[4] is None, -(e[4] or 0)))
    assert got == expected


def test_the_items_behind_the_ratings_source_are_the_ones_of_the_rules(month):
    rows = {str(r.steward): r for r in scoring.month(2026, 10, as_of=AS_OF)}
    assert sorted(rows["管家1"].items["ratings"]) == [20, 80, 80, 100]
    assert sorted(rows["管家2"].items["ratings"]) == [0, 0, 60]
    assert sorted(rows["管家3"].items["ratings"]) == [20, 80, 100, 100]


def test_an_unanswered_follow_up_inside_its_limit_does_not_count_yet(month):
    rows = {str(r.steward): r for r in scoring.month(2026, 10, as_of=at(2026, 10, 20, 12))}
    # as_of decides only the follow-ups: the 10-14 follow-up is due at 10-22 00:00, so on 10-20 it adds nothing
    assert sorted(rows["管家2"].items["ratings"]) == [0, 60]


def test_the_month_also_lit_the_plan_and_notified_the_mentioned_steward(month):
    w, _ = month
    milestones = {m.name: m for m in w.projects[0].milestones.all()}
    from onestop.worktime.clock import light

    assert light(milestones["立项备案"], AS_OF) == "green"
    assert light(milestones["规划许可"], AS_OF) == "red"
    # the project's light (lights.queries.project_light, the one every page shows) counts open clocks only:
    # a milestone finished, even late, keeps its own red but no longer lights the project
    assert {m.clock_state for m in milestones.values()} == {"stopped"}
    assert project_light(w.projects[0], AS_OF) is None
    assert Notification.objects.filter(recipient=w.stewards[0], kind="mention").count() == 1
    assert FollowUp.objects.filter(state="open").count() == 2  # 项目2's and November's


def test_changing_the_weights_setting_recomputes_the_scores(month, settings):
    settings.STEWARD_STAR_WEIGHTS = {"visits": 50, "ratings": 50, "public": 0}
    rows = {str(r.steward): r for r in scoring.month(2026, 10, as_of=AS_OF)}
    assert rows["管家1"].score == Decimal("82.50")  # (95 + 70) / 2
    assert rows["管家3"].score == Decimal("75.00")  # public weighs nothing: ratings alone


@pytest.mark.parametrize("score,stars", [(100, 5), (90, 5), (89.99, 4), (80, 4), (70, 3), (60, 2), (59.99, 1), (0, 1)])
def test_stars_follow_the_thresholds(score, stars):
    from fractions import Fraction

    assert scoring.stars_for(Fraction(str(score))) == stars
