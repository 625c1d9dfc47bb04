"""The demo's steward history: months of plans, messages, ratings, visits and comments, written through the
actions, deterministic, and written once."""
from datetime import date

import pytest

from onestop.demo import loader
from onestop.feedback import scoring
from onestop.feedback.models import Rating, ReturnVisit
from onestop.stewards.demo import load_history
from onestop.stewards.models import Message, Milestone

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_the_history_fills_the_ranking_and_the_timelines_once(settings):
    loader.load()
    counts = load_history(months=2, today=TODAY)
    assert counts["projects"] >= 13 and counts["ratings"] >= counts["projects"] * 2
    assert Message.objects.count() == counts["messages"] and Milestone.objects.count() == counts["milestones"]
    for month in (9, 10):
        rows = scoring.month(2026, month, as_of=scoring.month_bounds(2026, 11)[0])
        scored = [r for r in rows if r.score is not None]
        assert len(scored) >= 13 and all(1 <= r.stars <= 5 for r in scored)
    assert Milestone.objects.filter(actual_end__isnull=False).exists()
    assert ReturnVisit.objects.filter(visited_on__month=10).count() == counts["projects"]
    assert load_history(months=2, today=TODAY) == {k: 0 for k in counts}
    assert Rating.objects.count() == counts["ratings"]
