"""`onestop demo` is idempotent: the second run writes nothing and prints the accounts again."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from onestop.audit.models import Event
from onestop.demo import loader
from onestop.org.models import Role

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    """Rows of every table the demo writes, and of the audit trail."""
    return {m._meta.label: m.objects.count() for m in [model for model, _ in loader.DIGEST] + [Event]}


def _run() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_second_run_changes_nothing_and_prints_the_accounts_again():
    first = _run()
    assert "Demo data loaded" in first
    digest, counts = loader.digest(), _row_counts()
    second = _run()
    assert "already loaded" in second
    assert loader.digest() == digest and _row_counts() == counts
    events = Event.objects.filter(action="demo.loaded")
    assert events.count() == 1 and events.get().after["commissioners"] == 81
    for output in (first, second):
        assert loader.PASSWORD in output
        for row in loader.shown_accounts():
            assert row["username"] in output
    assert len(loader.shown_accounts()) == len(Role.values)


def test_a_printed_account_can_log_in(client):
    _run()
    assert client.login(username="clerk_boli01", password=loader.PASSWORD)


def test_a_foreign_district_with_the_demo_code_is_refused_and_nothing_written(places):
    from django.core.management.base import CommandError

    from onestop.org.models import Place

    assert places["district"].path == loader.MARKER_PATH  # the test tree reuses the code 370211
    before = _row_counts()
    with pytest.raises(CommandError, match="nothing written"):
        _run()
    assert _row_counts() == before and Place.objects.filter(name="泊里镇").count() == 1
