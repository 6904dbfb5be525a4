"""Uploaded pictures made safe to keep and to show: checked, turned upright, resized, stripped of metadata.

A phone photo carries the place it was taken and the phone that took it (EXIF, XMP, ICC comments), is often
4,000 px wide and several MB, and may be a file that only *claims* to be a picture. Every app that takes
pictures from people (E线声音, the interaction space, activities, care applications, project progress) passes
the upload through :func:`clean_picture` and keeps only what it returns: a newly encoded JPEG (or PNG where the
picture has transparency) with nothing in it but the pixels.

Pillow decodes the file; its decompression-bomb guard is tightened to :data:`MAX_PIXELS`, so a small file that
unpacks into a gigantic bitmap is refused before it is decoded.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: The formats accepted from people (Pillow's names): what phones and cameras produce.
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})
#: The largest upload accepted, in bytes (a modern phone photo is 3–8 MB).
MAX_BYTES = 10 * 1024 * 1024
#: The most pixels a picture may have before it is decoded (a 50-megapixel camera; bombs are far larger).
MAX_PIXELS = 60_000_000
#: The longest side kept; a phone screen is about 1,200 px wide, a desktop 1,920.
MAX_SIDE = 1920
JPEG_QUALITY = 82


def _read(upload: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ValidationError(
                _("图片太大（%(size).1f MB），请选择不超过 %(max).0f MB 的图片。")
                % {"size": size / 1024 / 1024, "max": max_bytes / 1024 / 1024},
                code="too_large",
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("图片太大，请选择不超过 %(max).0f MB 的图片。") % {"max": max_bytes / 1024 / 1024}, code="too_large"
        )
    if not data:
        raise ValidationError(_("图片是空文件，请重新选择。"), code="empty")
    return data


def clean_picture(
    upload: IO[bytes] | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_side: int = MAX_SIDE,
    name_prefix: str = "",
) -> ContentFile:
    """The picture re-encoded without metadata, upright and at most ``max_side`` px on its longer side.

    ``upload`` is an uploaded file (anything with ``read``) or bytes. Raises a ``ValidationError`` that says in
    the person's language what is wrong: too large, not a picture, an unsupported kind, too many pixels. The
    returned file has a fresh random name (``<prefix><uuid>.jpg`` or ``.png``), so a stored name never carries
    the name the person's phone gave it.
    """
    data = _read(upload, max_bytes)
    try:
        with warnings.catch_warnings():  # the header alone is read here; the size is judged just below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("无法识别这张图片，请上传 JPG、PNG 或 WebP 格式的照片。"), code="not_picture") from exc
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("不支持这种图片格式（%(kind)s），请上传 JPG、PNG 或 WebP 格式的照片。") % {"kind": kind or "?"},
            code="format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("图片尺寸过大（%(w)d × %(h)d 像素），请缩小后再上传。") % {"w": width, "h": height},
            code="too_many_pixels",
        )
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.seek(0)  # the first frame of an animation or of a multi-picture (MPO) file
            picture = ImageOps.exif_transpose(source)  # upright as the phone showed it, before EXIF is dropped
            picture.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("图片文件已损坏，请重新选择。"), code="broken") from exc
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    transparent = picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)
    out = io.BytesIO()
    if transparent:
        clean = picture.convert("RGBA")
        bare = Image.new("RGBA", clean.size)
        bare.paste(clean)  # a new image holds the pixels only: no text chunks, no ICC profile, no EXIF
        bare.save(out, format="PNG", optimize=True)
        suffix = "png"
    else:
        clean = picture.convert("RGB")
        bare = Image.new("RGB", clean.size)
        bare.paste(clean)
        bare.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        suffix = "jpg"
    return ContentFile(out.getvalue(), name=f"{name_prefix}{uuid.uuid4().hex}.{suffix}")


def clean_pictures(
    uploads: Sequence[IO[bytes] | bytes], *, at_most: int, name_prefix: str = "", what: str = ""
) -> list[ContentFile]:
    """Several pictures of one post or item, each through :func:`clean_picture`: more than ``at_most`` are refused
    with the count, and a refusal names the picture ("第 2 张照片：…"). ``what`` is the word the page uses
    (图片 by default, 照片 …)."""
    what = what or _("图片")
    if len(uploads) > at_most:
        raise ValidationError(
            _("最多上传 %(max)d 张%(what)s，您选择了 %(n)d 张。") % {"max": at_most, "what": what, "n": len(uploads)},
            code="too_many_pictures",
        )
    cleaned = []
    for n, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(clean_picture(upload, name_prefix=name_prefix))
        except ValidationError as exc:
            raise ValidationError(
                _("第 %(n)d 张%(what)s：%(why)s") % {"n": n, "what": what, "why": "；".join(exc.messages)},
                code="picture",
            ) from exc
    return cleaned
