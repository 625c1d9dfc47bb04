"""The seal image (印章图案): a red ring, a five-pointed star, the organisation's name along the upper arc and
the seal's kind below the star, drawn with Pillow on a transparent background."""
from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
RED = (220, 20, 30, 255)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=0)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(img: Image.Image, text: str, cx: float, cy: float, radius: float, size: int) -> None:
    """Each character upright towards the centre, spread over up to 240 degrees of the upper arc."""
    font = _font(size)
    n = len(text)
    span = min(240.0, max(60.0, n * 24.0))
    for i, ch in enumerate(text):
        angle = -span / 2 + (span * (i + 0.5) / n)  # degrees from the top, clockwise
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle - 90)
        x, y = cx + radius * math.cos(rad), cy + radius * math.sin(rad)
        img.alpha_composite(glyph, (int(x - size), int(y - size)))


def draw_seal(owner_name: str, kind_zh: str, size: int = 400) -> bytes:
    """PNG bytes of a round red seal for `owner_name` with `kind_zh` (e.g. 行政审批专用章) under the star."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, ring = size / 2, size * 0.03
    draw.ellipse([ring / 2, ring / 2, size - ring / 2, size - ring / 2], outline=RED, width=int(ring))
    _star(draw, c, c, size * 0.16)
    name_size = int(size * (0.13 if len(owner_name) <= 12 else 0.10))
    _arc_text(img, owner_name, c, c, size / 2 - ring - name_size * 0.75, name_size)
    if kind_zh:
        font = _font(int(size * 0.075))
        draw.text((c, c + size * 0.27), kind_zh, font=font, fill=RED, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def load_uploaded(data: bytes) -> bytes:
    """An uploaded replacement image, normalised to a square RGBA PNG; ValueError if it is not an image."""
    img = Image.open(io.BytesIO(data))
    img.load()
    img = img.convert("RGBA")
    side = max(img.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(img, ((side - img.width) // 2, (side - img.height) // 2))
    buf = io.BytesIO()
    square.save(buf, "PNG")
    return buf.getvalue()
