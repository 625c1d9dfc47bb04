"""Permission-matrix entries of the statistics API (collected by onestop/org/tests/test_permission_matrix.py).

统计 is for the administrator (everywhere) and the supervisor (its own area): 403 for every other role.
"""
from __future__ import annotations


def entries(m) -> dict:
    return {
        ("GET", "/api/stats"): m.Op(lambda w: ("/api/stats?date_from=2026-01-01&date_to=2026-08-31", None),
                                    m.expect(403, administrator=200, supervisor=200)),
    }
