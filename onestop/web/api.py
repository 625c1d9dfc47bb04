from django.http import HttpRequest
from ninja import Router, Schema

from onestop.web.queries import public_summary

router = Router(tags=["summary"])


class PlaceCounts(Schema):
    district: int
    town: int
    community: int
    village: int
    grid: int


class Summary(Schema):
    places: PlaceCounts
    departments: int
    matters: int
    delegated_matters: int
    village_matters: int
    bundles: int
    enterprises: int
    projects: int
    stewards: int
    commissioners: int


@router.get("/summary", response=Summary, auth=None)
def summary(request: HttpRequest) -> dict:
    """Public counts over the whole platform (no login, no personal data)."""
    return public_summary()
