"""Help requests in the Open311 GeoReport v2 format, for civic tools that speak that standard.

Who may read it: anyone, without logging in, as Open311 intends. So the export carries no personal data:
no requester, contact, agent or account names, no phone numbers; free text (description, status notes)
has phone numbers, identity-card numbers and the names the platform knows for the request (the contact,
the requester's account, the agent) masked; the location is the place's centroid (grid, village or town)
with its name, never a household address. Only help requests are exported (not enterprise demands).

- `services()`: the active matters of the catalogue (service_code = matter code, group = department).
- `requests(...)`: service_request_id ("HR0000123"), status open/closed, status_notes, service_name,
  service_code, description, agency_responsible (the service centre nearest the place), requested_datetime
  (raised), updated_datetime, expected_datetime (the clock's due_at), address, lat, long. Times are ISO 8601
  with the offset (+08:00). As the standard says: without dates, the last 90 days; at most 1000 rows.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from django.utils import timezone

from onestop.catalog.models import Matter
from onestop.errors import field_error
from onestop.org.models import Place, ServiceCentre
from onestop.outreach.models import OPEN_HELP_STATES, HelpRequest, HelpState

MAX_ROWS = 1000
DEFAULT_DAYS = 90
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{3,4}-\d{7,8})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MASK = "＊＊"
_STATUS_ZH = {HelpState.RAISED: "待受理 Awaiting acceptance", HelpState.ACCEPTED: "办理中 In progress",
              HelpState.DONE: "已办结 Done", HelpState.CLOSED: "已关闭 Closed"}


def iso(at: datetime | None) -> str | None:
    """ISO 8601 in Asia/Shanghai with its offset, to the second: 2026-05-12T09:30:00+08:00."""
    return timezone.localtime(at).isoformat(timespec="seconds") if at else None


def mask(value: str, names: Iterable[str] = ()) -> str:
    value = _ID_CARD.sub(MASK, _PHONE.sub(MASK, value or ""))
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        value = value.replace(name, MASK)
    return value


def services() -> list[dict[str, Any]]:
    rows = Matter.objects.filter(active=True).select_related("department").order_by("code")
    return [{
        "service_code": m.code, "service_name": m.name,
        "description": f"{m.department.name}；承诺时限 {m.promised_limit} 天（{m.get_limit_unit_display()}）",
        "metadata": False, "type": "realtime", "keywords": m.get_source_display(), "group": m.department.name,
    } for m in rows]


def _date(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise field_error(field, "日期时间须为 ISO 8601 格式。", "Must be an ISO 8601 date or date-time.") from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _numbers(value: str) -> list[int]:
    ids = []
    for part in (value or "").split(","):
        part = part.strip().upper().removeprefix("HR")
        if not part.isdigit():
            raise field_error("service_request_id", "编号无效。", "Must be request ids such as HR0000123, comma-separated.")
        ids.append(int(part))
    return ids


def select(*, service_request_id: str | None = None, service_code: str | None = None, start_date: str | None = None,
           end_date: str | None = None, status: str | None = None, now: datetime | None = None) -> list[HelpRequest]:
    qs = HelpRequest.objects.select_related("matter__department", "place", "agent", "requester_account")
    if service_request_id:
        return list(qs.filter(pk__in=_numbers(service_request_id)).order_by("-raised_at", "-pk")[:MAX_ROWS])
    now = now or timezone.now()
    start, end = _date(start_date, "start_date"), _date(end_date, "end_date")
    if start is None and end is None:
        start = now - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        qs = qs.filter(raised_at__gte=start)
    if end is not None:
        qs = qs.filter(raised_at__lte=end)
    if service_code:
        qs = qs.filter(matter__code__in=[c.strip() for c in service_code.split(",")])
    if status:
        if status not in ("open", "closed"):
            raise field_error("status", "状态须为 open 或 closed。", "Must be open or closed.")
        qs = qs.filter(state__in=OPEN_HELP_STATES) if status == "open" else qs.exclude(state__in=OPEN_HELP_STATES)
    return list(qs.order_by("-raised_at", "-pk")[:MAX_ROWS])


class _Places:
    """Addresses (the chain of names below the district) and the nearest centre, cached per export."""

    def __init__(self, rows: list[HelpRequest]) -> None:
        paths: set[str] = set()
        for r in rows:
            parts = r.place.path.strip("/").split("/")
            paths.update("/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
        self.by_path = {p.path: p for p in Place.objects.filter(path__in=paths)}
        self.centres: dict[int, str] = {}
        for c in ServiceCentre.objects.filter(place__path__in=paths).order_by("-level", "pk"):
            self.centres.setdefault(c.place_id, c.name)

    def chain(self, place: Place) -> list[Place]:
        parts = place.path.strip("/").split("/")
        return [self.by_path[p] for p in ("/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
                if p in self.by_path]

    def address(self, place: Place) -> str:
        chain = self.chain(place)
        return "".join(p.name for p in chain[1:] or chain)

    def agency(self, r: HelpRequest) -> str:
        for p in reversed(self.chain(r.place)):
            if p.pk in self.centres:
                return self.centres[p.pk]
        return r.matter.department.name


def _names(r: HelpRequest) -> list[str]:
    return [r.contact_name, getattr(r.requester_account, "display_name", ""), getattr(r.agent, "display_name", "")]


def as_open311(r: HelpRequest, places: _Places) -> dict[str, Any]:
    names = _names(r)
    notes = _STATUS_ZH[r.state]
    if r.state in (HelpState.DONE, HelpState.CLOSED) and r.result:
        notes = f"{notes}：{mask(r.result, names)}"
    return {
        "service_request_id": r.number,
        "status": "open" if r.state in OPEN_HELP_STATES else "closed",
        "status_notes": notes,
        "service_name": r.matter.name,
        "service_code": r.matter.code,
        "description": mask(r.description, names),
        "agency_responsible": places.agency(r),
        "service_notice": "",
        "requested_datetime": iso(r.raised_at),
        "updated_datetime": iso(r.updated_at),
        "expected_datetime": iso(r.due_at),
        "address": places.address(r.place),
        "address_id": r.place.path,
        "zipcode": "",
        "lat": float(r.place.latitude),
        "long": float(r.place.longitude),
        "media_url": "",
    }


def requests(**filters: Any) -> list[dict[str, Any]]:
    rows = select(**filters)
    places = _Places(rows)
    return [as_open311(r, places) for r in rows]
