"""The documents the platform issues, rendered with reportlab and an embedded subset of a CJK TrueType font.

Seven kinds (受理通知书, 一次性告知书, 容缺受理通知书, 准予许可决定书, 许可证, 不予许可决定书, 电子聘书), each
with its document number, a QR code (segno, drawn as vector squares) that opens the platform's
verification page for it, and an empty space where the seals' visible stamps go (`stamp_box`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import quote

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from onestop.seals.pki import base_url

rl_config.useA85 = 0  # binary streams: ASCII85 only makes the file bigger and the rendering slower
FONT = "WQYZenHei"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
WIDTH, HEIGHT = A4
STAMP_SIZE = 120


@lru_cache(maxsize=1)
def register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))
    return FONT


def stamp_box(slot: int = 0) -> tuple[int, int, int, int]:
    """Where the visible stamp of the `slot`-th seal goes: the issuer's at the right, others to its left."""
    x2 = 500 - slot * (STAMP_SIZE + 15)
    return (x2 - STAMP_SIZE, 95, x2, 95 + STAMP_SIZE)


def verify_url(number: str) -> str:
    return f"{base_url()}/seals/verify?number={quote(number)}"


@dataclass(frozen=True)
class Template:
    title: str
    body: Callable[[dict], list[str]]
    rows: tuple[tuple[str, str], ...]


def _g(d: dict, key: str, default: str = "") -> str:
    value = d.get(key, default)
    return str(value if value not in (None, "") else default)


TEMPLATES: dict[str, Template] = {
    "acceptance": Template("受理通知书", lambda d: [
        f"{_g(d, 'recipient')}：",
        f"你（单位）于{_g(d, 'applied_on')}提出的{_g(d, 'matter')}申请，申请材料齐全、符合法定形式，"
        f"本机关决定予以受理。承诺办结时限为{_g(d, 'promised_days', '—')}个工作日。",
    ], (("申请事项", "matter"), ("办件编号", "application_no"), ("受理窗口", "window"), ("联系电话", "phone"))),
    "missing": Template("一次性告知书", lambda d: [
        f"{_g(d, 'recipient')}：",
        f"你（单位）申请的{_g(d, 'matter')}，经审查尚需补正以下材料，现一次性告知如下：",
        *[f"{i}. {m}" for i, m in enumerate(d.get("materials") or [], 1)],
        "请补齐上述材料后重新提交。",
    ], (("申请事项", "matter"), ("办件编号", "application_no"), ("受理窗口", "window"))),
    "tolerance": Template("容缺受理通知书", lambda d: [
        f"{_g(d, 'recipient')}：",
        f"你（单位）申请的{_g(d, 'matter')}，主要申请材料齐全，次要材料暂缺，根据容缺受理制度予以受理。"
        f"请于{_g(d, 'deadline')}前补齐以下材料，逾期未补齐的按告知承诺有关规定处理：",
        *[f"{i}. {m}" for i, m in enumerate(d.get("materials") or [], 1)],
    ], (("申请事项", "matter"), ("办件编号", "application_no"), ("补齐期限", "deadline"))),
    "approval": Template("准予许可决定书", lambda d: [
        f"{_g(d, 'recipient')}：",
        f"你（单位）提出的{_g(d, 'matter')}申请，经审查，符合法定条件和标准。"
        f"根据{_g(d, 'legal_basis', '有关法律法规')}的规定，本机关决定准予许可。",
    ], (("许可事项", "matter"), ("办件编号", "application_no"), ("许可内容", "content"), ("有效期", "valid_until"))),
    "licence": Template("许可证", lambda d: [
        f"持证单位：{_g(d, 'recipient')}",
        f"经审查，准予从事{_g(d, 'matter')}，特发此证。",
    ], (("证书编号", "number"), ("许可范围", "content"), ("地址", "address"), ("有效期至", "valid_until"))),
    "refusal": Template("不予许可决定书", lambda d: [
        f"{_g(d, 'recipient')}：",
        f"你（单位）提出的{_g(d, 'matter')}申请，经审查，不符合法定条件，理由如下：{_g(d, 'reasons')}。"
        "根据《中华人民共和国行政许可法》第三十八条的规定，本机关决定不予许可。",
        "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
    ], (("申请事项", "matter"), ("办件编号", "application_no"))),
    "appointment": Template("电子聘书", lambda d: [
        f"兹聘任{_g(d, 'name')}同志为{_g(d, 'unit')}{_g(d, 'post')}，"
        f"聘期自{_g(d, 'start')}至{_g(d, 'end')}。",
        "特发此聘书。",
    ], (("姓名", "name"), ("身份证号", "id_number"), ("聘用单位", "unit"), ("岗位", "post"),
        ("岗位等级", "grade"), ("聘期", "term"))),
}


def _qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one path of unit squares (runs of dark modules merged), scaled into place.

    A fixed mask skips segno's mask evaluation, which costs more than the rest of the page."""
    qr = segno.make(url, error="m", micro=False, mask=2)
    matrix = list(qr.matrix)
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                ops.append(f"{start} {n - r - 1} {col - start} 1 re")
            col += 1
    c.saveState()
    c.translate(x, y)
    c.scale(size / n, size / n)
    c._code.append(" ".join(ops) + " f")  # reportlab's own content stream; one fill for the whole code
    c.restoreState()


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def render(kind: str, number: str, issuer: str, issued_on: str, data: dict) -> bytes:
    """One A4 page as PDF bytes. `data` holds the template's fields (recipient, matter, name, post ...)."""
    register_font()
    tpl = TEMPLATES[kind]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, invariant=0, initialFontName=FONT)
    c.setTitle(f"{tpl.title} {number}")
    c.setSubject(number)
    c.setAuthor(issuer)
    c.setKeywords(f"onestop-document-number:{number}")
    c.setFillColor(Color(0.75, 0.05, 0.1) if kind in ("licence", "appointment") else black)
    c.setFont(FONT, 26)
    c.drawCentredString(WIDTH / 2, HEIGHT - 110, tpl.title)
    c.setFillColor(black)
    c.setFont(FONT, 11)
    c.drawRightString(WIDTH - 72, HEIGHT - 140, f"文书编号：{number}")
    y = HEIGHT - 185
    c.setFont(FONT, 13)
    for para in tpl.body(data):
        for i, line in enumerate(_wrap(para, WIDTH - 144 - (0 if para.endswith("：") else 26), 13)):
            indent = 26 if i == 0 and not para.endswith("：") else 0
            c.drawString(72 + indent, y, line)
            y -= 22
        y -= 4
    y -= 10
    values = {**data, "number": number}
    for label, key in tpl.rows:
        if values.get(key) in (None, ""):
            continue
        c.rect(72, y - 8, 110, 24, stroke=1, fill=0)
        c.rect(182, y - 8, WIDTH - 254, 24, stroke=1, fill=0)
        c.drawString(80, y, label)
        c.drawString(190, y, _wrap(str(values[key]), WIDTH - 270, 13)[0])
        y -= 24
    c.drawRightString(WIDTH - 90, 240, issuer)
    c.drawRightString(WIDTH - 90, 218, issued_on)
    _qr(c, verify_url(number), 72, 95, 90)
    c.setFont(FONT, 8)
    c.drawString(72, 83, "扫码或访问平台验证页核验本文书")
    c.showPage()
    c.save()
    return buf.getvalue()
