"""How long the whole load takes (printed, not asserted: machines differ)."""
from __future__ import annotations

import pytest
from django.db import connection

from onestop.demo import loader


@pytest.mark.django_db
def test_load_time_is_reported(capsys):
    result = loader.load()
    assert result.created
    with capsys.disabled():
        print(f"\n[demo] load on {connection.vendor}: {result.seconds:.2f} s for {result.counts['accounts']} accounts")
