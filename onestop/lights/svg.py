"""The bundle's flow chart drawn by the server as SVG (挂图): stages as columns, matters as nodes.

Every node shows its green, yellow, red and paused counts and links to the list of its tasks; its border
is the worst light among them. Pure function of `queries.board`'s result: no JavaScript needed.
"""
from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _, pgettext

COLOURS = {"green": "#1f8a4c", "yellow": "#c98a00", "red": "#c62828", "paused": "#6b7280", None: "#9ca3af"}
COL_W, COL_GAP, NODE_H, NODE_GAP, HEAD_H, PAD = 220, 50, 78, 14, 40, 12


def _node(x: int, y: int, node: dict[str, Any], href: str) -> str:
    c, colour = node["counts"], COLOURS[node["light"]]
    label = escape(node["name"])
    promise = escape(_("promise %(days)s days") % {"days": node["promised_limit"]})
    pills, px = [], x + 10
    for key, text in (("green", _("green")), ("yellow", _("yellow")), ("red", _("red")),
                      ("paused", pgettext("lights", "paused"))):
        pills.append(
            f'<g class="pill {key}"><circle cx="{px + 6}" cy="{y + 55}" r="6" fill="{COLOURS[key]}"/>'
            f'<text x="{px + 15}" y="{y + 60}" font-size="13" data-light="{key}">{c[key]}</text>'
            f'<title>{escape(text)}: {c[key]}</title></g>')
        px += 50
    return (
        f'<a href="{escape(href)}" data-node="{node["matter_id"]}" data-light="{node["light"] or ""}">'
        f'<rect x="{x}" y="{y}" width="{COL_W}" height="{NODE_H}" rx="8" fill="#fff" stroke="{colour}" '
        f'stroke-width="{3 if node["light"] == "red" else 2}"/>'
        f'<text x="{x + 10}" y="{y + 22}" font-size="14" font-weight="600">{label}</text>'
        f'<text x="{x + 10}" y="{y + 38}" font-size="11" fill="#555">{escape(node["code"])} · '
        f'{promise}</text>'
        + "".join(pills) + "</a>")


def flow_svg(data: dict[str, Any], node_href: str, query: str = "") -> str:
    """The SVG of the board; `node_href` is formatted with the matter id (e.g. ".../nodes/{}")."""
    stages = data["stages"]
    rows = max([len(s["nodes"]) for s in stages] or [1])
    width = PAD * 2 + len(stages) * COL_W + max(len(stages) - 1, 0) * COL_GAP
    height = PAD * 2 + HEAD_H + rows * (NODE_H + NODE_GAP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="sans-serif">',
             f'<title>{escape(data["bundle"]["name"])}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
             'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#9ca3af"/></marker></defs>']
    suffix = f"?{query}" if query else ""
    for i, stage in enumerate(stages):
        x = PAD + i * (COL_W + COL_GAP)
        parts.append(f'<text x="{x + COL_W / 2}" y="{PAD + 20}" text-anchor="middle" font-size="15" font-weight="700" '
                     f'fill="{COLOURS[stage["light"]]}">{stage["position"]}. {escape(stage["name"])}</text>')
        for j, node in enumerate(stage["nodes"]):
            y = PAD + HEAD_H + j * (NODE_H + NODE_GAP)
            parts.append(_node(x, y, node, node_href.format(node["matter_id"]) + suffix))
        if i < len(stages) - 1:
            mid = PAD + HEAD_H + (rows * (NODE_H + NODE_GAP)) / 2 - NODE_GAP
            parts.append(f'<line x1="{x + COL_W + 4}" y1="{mid}" x2="{x + COL_W + COL_GAP - 4}" y2="{mid}" '
                         'stroke="#9ca3af" stroke-width="2" marker-end="url(#arrow)"/>')
    parts.append("</svg>")
    return "".join(parts)
