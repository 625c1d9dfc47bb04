"""定期梳理: the periodic review of help requests, per period, and its Excel export.

A period is a month ("2026-05"), a quarter ("2026-Q2") or a year ("2026"), Asia/Shanghai; a request belongs
to the period it was raised in. Figures: counts by agent, by village (a grid's request counts for its
village) and by matter; the late ones (finished on or after the deadline, or still open past it); the
ratings; and each agent's performance for appraisal: handled (done), on time (done before the deadline),
satisfaction (the mean rating score, 0-100, of its rated requests).
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from onestop.errors import field_error
from onestop.org.models import Place, PlaceKind
from onestop.outreach import access
from onestop.outreach.models import OPEN_HELP_STATES, HelpRequest, HelpState
from onestop.worktime.clock import midnight

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


@dataclass
class Period:
    label: str
    start: date
    end: date  # exclusive

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return midnight(self.start), midnight(self.end)


def parse_period(value: str | None, today: date | None = None) -> Period:
    """"2026-05", "2026-Q2", "2026"; empty: the current month."""
    today = today or timezone.localdate()
    value = (value or today.strftime("%Y-%m")).strip()
    m = _PERIOD.match(value)
    if not m or not 2000 <= int(m.group(1)) <= 2099 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise field_error("period", "期间格式应为 2026-05、2026-Q2 或 2026。", "Use 2026-05, 2026-Q2 or 2026.")
    year = int(m.group(1))
    if m.group(2):
        first, months = int(m.group(2)), 1
    elif m.group(3):
        first, months = (int(m.group(3)) - 1) * 3 + 1, 3
    else:
        first, months = 1, 12
    nxt = first + months
    end = date(year + (nxt > 12), (nxt - 1) % 12 + 1, 1)
    return Period(value, date(year, first, 1), end)


@dataclass
class AgentFigures:
    agent_id: int
    name: str
    role: str
    place: str
    received: int = 0
    handled: int = 0
    on_time: int = 0
    closed: int = 0
    open: int = 0
    late: int = 0
    rated: int = 0
    score_total: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.handled, 1) if self.handled else None

    @property
    def satisfaction(self) -> float | None:
        return round(self.score_total / self.rated, 1) if self.rated else None


@dataclass
class Review:
    period: Period
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    agents: list[AgentFigures] = field(default_factory=list)
    by_place: list[tuple[str, int]] = field(default_factory=list)
    by_matter: list[tuple[str, int]] = field(default_factory=list)
    ratings: dict[str, int] = field(default_factory=dict)
    satisfaction: float | None = None
    late: list[HelpRequest] = field(default_factory=list)


def is_late(r: HelpRequest, now: datetime) -> bool:
    if r.due_at is None:
        return False
    if r.state in OPEN_HELP_STATES:
        return now >= r.due_at
    return r.finished_at is not None and r.finished_at >= r.due_at


def _village_names(rows: list[HelpRequest]) -> dict[int, str]:
    """Each request's place rolled up to its village (a town-level request keeps the town)."""
    villages = {p.path: p.name for p in Place.objects.filter(kind=PlaceKind.VILLAGE,
                                                             pk__in={r.place.parent_id for r in rows} | {r.place_id for r in rows})}
    out = {}
    for r in rows:
        parent_path = r.place.path.rsplit("/", 2)[0] + "/"
        out[r.pk] = villages.get(r.place.path) or villages.get(parent_path) or r.place.name
    return out


def review(actor: Any, period: Period, now: datetime | None = None) -> Review:
    now = now or timezone.now()
    start, end = period.bounds
    rows = list(access.visible_requests(actor).filter(raised_at__gte=start, raised_at__lt=end)
                .select_related("agent__place", "place", "matter").order_by("raised_at", "pk"))
    out = Review(period, total=len(rows), by_state=dict(Counter(r.state for r in rows)))
    agents: dict[int, AgentFigures] = {}
    places, matters, ratings = Counter(), Counter(), Counter()
    villages = _village_names(rows)
    score_total = rated = 0
    for r in rows:
        late = is_late(r, now)
        if late:
            out.late.append(r)
        places[villages[r.pk]] += 1
        matters[r.matter.name] += 1
        if r.rating_level:
            ratings[r.rating_level] += 1
            score_total, rated = score_total + (r.rating_score or 0), rated + 1
        if r.agent_id is None:
            continue
        a = agents.get(r.agent_id) or agents.setdefault(r.agent_id, AgentFigures(
            r.agent_id, str(r.agent), r.agent.role, r.agent.place.name if r.agent.place_id else ""))
        a.received += 1
        a.late += late
        if r.state == HelpState.DONE:
            a.handled += 1
            a.on_time += not late
        elif r.state == HelpState.CLOSED:
            a.closed += 1
        else:
            a.open += 1
        if r.rating_score is not None:
            a.rated, a.score_total = a.rated + 1, a.score_total + r.rating_score
    out.agents = sorted(agents.values(), key=lambda a: (-a.handled, a.name))
    out.by_place = places.most_common()
    out.by_matter = matters.most_common()
    out.ratings = dict(ratings)
    out.satisfaction = round(score_total / rated, 1) if rated else None
    return out


def excel(rv: Review) -> bytes:
    """The review as an .xlsx workbook: performance, by village, by matter, late requests."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "绩效 Performance"
    ws.append(["期间 Period", rv.period.label, "请求数 Requests", rv.total, "满意度 Satisfaction", rv.satisfaction])
    ws.append(["帮办员 Agent", "角色 Role", "所在地 Place", "受理 Received", "办结 Handled", "按时 On time",
               "按时率 On-time %", "关闭 Closed", "在办 Open", "逾期 Late", "评价数 Rated", "满意度 Satisfaction"])
    for a in rv.agents:
        ws.append([a.name, a.role, a.place, a.received, a.handled, a.on_time, a.on_time_rate, a.closed, a.open,
                   a.late, a.rated, a.satisfaction])
    for title, pairs in (("按村 By village", rv.by_place), ("按事项 By matter", rv.by_matter)):
        sheet = wb.create_sheet(title)
        sheet.append(["名称 Name", "请求数 Requests"])
        for name, n in pairs:
            sheet.append([name, n])
    sheet = wb.create_sheet("逾期 Late")
    sheet.append(["编号 Number", "事项 Matter", "地点 Place", "帮办员 Agent", "状态 State", "提出 Raised",
                  "期限 Due", "办结 Finished"])
    tz = timezone.get_default_timezone()
    for r in rv.late:
        sheet.append([r.number, r.matter.name, r.place.name, str(r.agent) if r.agent_id else "", r.state,
                      timezone.localtime(r.raised_at, tz).replace(tzinfo=None),
                      timezone.localtime(r.due_at, tz).replace(tzinfo=None),
                      timezone.localtime(r.finished_at, tz).replace(tzinfo=None) if r.finished_at else None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
