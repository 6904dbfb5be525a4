"""Share posters: a PNG per product (and campaign) with the ambassador's display name and a QR code of their
personal link, drawn on the server with Pillow and segno and cached as a file keyed by its content.

Chinese text needs a CJK font: the first of ``PLAZA_POSTER_FONT`` (a setting), the fonts ``fc-list :lang=zh``
lists (fonts-noto-cjk in the tests' image) and a few usual paths. Without one the poster still has the QR
code, the product picture and the link; text a Latin font cannot draw is left out rather than shown as boxes.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 750, 1200
RED = (200, 22, 29)
INK = (31, 35, 40)
GREY = (100, 106, 115)
VERSION = "1"  # part of the cache key: a change of layout draws every poster anew
_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """A font file that draws Chinese, or "" when the machine has none."""
    configured = getattr(settings, "PLAZA_POSTER_FONT", "")
    candidates = [configured] if configured else []
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(
                ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
            ).stdout
            candidates += sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += list(_PATHS)
    return next((path for path in candidates if path and Path(path).is_file()), "")


def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """(a font of ``size``, whether it draws Chinese)."""
    path = cjk_font_path()
    if path:
        return ImageFont.truetype(path, size), True
    if Path(_LATIN).is_file():
        return ImageFont.truetype(_LATIN, size), False
    return ImageFont.load_default(size), False


def _drawable(text: str, cjk: bool) -> str:
    return text if cjk or text.isascii() else ""


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:  # type: ignore[arg-type]
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "ambassadors" / "posters"


def poster_png(
    *,
    url: str,
    display_name: str,
    product_name: str,
    tagline: str,
    points: list[str],
    picture: str = "",
    campaign: str = "",
) -> bytes:
    """The poster's PNG bytes, read from the cache when the same content was drawn before."""
    key = hashlib.sha256(
        "\x1f".join(
            [VERSION, url, display_name, product_name, tagline, *points, picture, campaign, cjk_font_path()]
        ).encode()
    ).hexdigest()
    cached = cache_dir() / f"{key}.png"
    if cached.is_file():
        return cached.read_bytes()
    data = _draw(url, display_name, product_name, tagline, points, picture, campaign)
    cache_dir().mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(cached)  # atomic: a reader never sees half a file
    return data


def _draw(
    url: str, display_name: str, product_name: str, tagline: str, points: list[str], picture: str, campaign: str
) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 140], fill=RED)
    big, cjk = _font(56)
    middle, _cjk = _font(34)
    small, _cjk = _font(26)
    draw.text((40, 40), _drawable(product_name, cjk) or "SGM", font=big, fill="white")
    y = 160
    if picture and Path(picture).is_file():
        try:
            with Image.open(picture) as source:
                source = source.convert("RGB")
                source.thumbnail((WIDTH - 80, 420))
                image.paste(source, ((WIDTH - source.width) // 2, y))
                y += source.height + 20
        except OSError:
            pass
    for text, font, colour in ((campaign, middle, RED), (tagline, middle, INK)):
        text = _drawable(text, cjk)
        for line in _wrap(draw, text, font, WIDTH - 80)[:2] if text else []:
            draw.text((40, y), line, font=font, fill=colour)
            y += 46
    for point in points[:4]:
        point = _drawable("· " + point, cjk)
        for line in _wrap(draw, point, small, WIDTH - 80)[:2] if point else []:
            draw.text((40, y), line, font=small, fill=GREY)
            y += 36
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=2)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = 300
    code = code.resize((side, side), Image.Resampling.NEAREST)
    top = HEIGHT - side - 120
    image.paste(code, ((WIDTH - side) // 2, top))
    caption = _drawable(f"{display_name} 推荐 · 扫码了解并预约试驾", cjk) or url
    width = draw.textlength(caption, font=small)
    draw.text(((WIDTH - width) / 2, top + side + 24), caption, font=small, fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
