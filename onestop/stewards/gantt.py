"""The battle plan drawn by the server as SVG (作战计划甘特图): no JavaScript, prints as it shows.

One row per milestone: the planned bar (outlined), the actual bar (filled, coloured by the milestone's
light), arrows from each dependency's planned end to the dependant's planned start, and today's line.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape
from typing import Sequence

from onestop.worktime.clock import light

COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "paused": "#78909c", None: "#90a4ae"}
LABEL_W, ROW_H, DAY_MIN_W, TOP = 220, 28, 4, 36


def _range(milestones: Sequence, today: date) -> tuple[date, date]:
    days = [today]
    for m in milestones:
        days += [m.planned_start, m.planned_end] + [d for d in (m.actual_start, m.actual_end) if d]
    return min(days) - timedelta(days=2), max(days) + timedelta(days=3)


def svg(milestones: Sequence, today: date, now: datetime, *, width: int = 960) -> str:
    """The Gantt chart of `milestones` (with `depends_on` prefetched) as an SVG string."""
    if not milestones:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="40" role="img" aria-label="empty">'
                '<text x="8" y="24" font-size="13">—</text></svg>' % width)
    first, last = _range(milestones, today)
    span = (last - first).days + 1
    day_w = max(DAY_MIN_W, (width - LABEL_W - 10) / span)
    width = int(LABEL_W + day_w * span + 10)
    height = TOP + ROW_H * len(milestones) + 10

    def x(day: date) -> float:
        return LABEL_W + (day - first).days * day_w

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">',
           '<defs><marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" '
           'orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#546e7a"/></marker></defs>']
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            out.append(f'<line x1="{x(month):.1f}" y1="14" x2="{x(month):.1f}" y2="{height}" stroke="#eceff1"/>'
                       f'<text x="{x(month) + 2:.1f}" y="24" fill="#546e7a">{month:%Y-%m}</text>')
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    rows = {m.pk: i for i, m in enumerate(milestones)}
    for i, m in enumerate(milestones):
        y = TOP + i * ROW_H
        colour = COLOURS.get(light(m, now), COLOURS[None])
        out.append(f'<g data-milestone="{m.pk}" data-light="{light(m, now) or ""}">'
                   f'<text x="4" y="{y + 17}">{escape(m.name[:18])}</text>'
                   f'<rect x="{x(m.planned_start):.1f}" y="{y + 5}" width="{max(day_w, (x(m.planned_end) - x(m.planned_start)) + day_w):.1f}" '
                   f'height="{ROW_H - 10}" fill="none" stroke="{colour}" stroke-dasharray="4 2"/>')
        if m.actual_start:
            end = m.actual_end or today
            out.append(f'<rect class="actual" x="{x(m.actual_start):.1f}" y="{y + 9}" '
                       f'width="{max(day_w, x(end) - x(m.actual_start) + day_w):.1f}" height="{ROW_H - 18}" fill="{colour}"/>')
        out.append(f'<title>{escape(m.name)}: {m.planned_start} – {m.planned_end}</title></g>')
        for dep in m.depends_on.all():
            if dep.pk in rows:
                y0 = TOP + rows[dep.pk] * ROW_H + ROW_H / 2
                out.append(f'<line x1="{x(dep.planned_end) + day_w:.1f}" y1="{y0:.1f}" x2="{x(m.planned_start):.1f}" '
                           f'y2="{y + ROW_H / 2:.1f}" stroke="#546e7a" marker-end="url(#arrow)"/>')
    out.append(f'<line class="today" x1="{x(today) + day_w / 2:.1f}" y1="14" x2="{x(today) + day_w / 2:.1f}" '
               f'y2="{height}" stroke="#1565c0" stroke-width="1.5"/>')
    out.append("</svg>")
    return "".join(out)
