"""The statistics API (/api/stats): the page's figures as JSON, for the same callers."""
from typing import Any, Optional

from django.http import HttpRequest
from ninja import Router

from onestop.org.schemas import ErrorOut
from onestop.stats import queries

router = Router(tags=["stats"])


@router.get("", response={200: dict[str, Any], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut})
def statistics(request: HttpRequest, date_from: Optional[str] = None, date_to: Optional[str] = None,
               place: Optional[str] = None) -> dict[str, Any]:
    """Counts of the period (default: this year to today) in the caller's area or a place inside it."""
    period = queries.parse_period({"date_from": date_from, "date_to": date_to})
    return queries.statistics(request.auth, period, queries.area_for(request.auth, place))
