"""GET /api/summary shows the demo's figures (public, no login)."""
from __future__ import annotations

import pytest

from onestop.demo import loader


@pytest.mark.django_db
def test_summary_shows_the_town_figures_after_the_load(client):
    loader.load()
    response = client.get("/api/summary")
    assert response.status_code == 200
    body = response.json()
    assert body["places"]["district"] == 1 and body["places"]["town"] >= 3
    assert body["places"]["community"] == 20 and body["places"]["village"] == 101
    assert body["places"]["grid"] >= 101
    assert body["departments"] >= 10 and body["bundles"] >= 2
    assert body["delegated_matters"] == 94 and body["village_matters"] == 85
    assert body["matters"] >= 94 + 85
    assert body["enterprises"] >= 160 and body["projects"] >= 13
    assert body["stewards"] >= 20 and body["commissioners"] == 81
