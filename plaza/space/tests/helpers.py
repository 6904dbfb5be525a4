"""Shared helpers of the 互动空间 tests: spaces on the ``world`` fixture, pictures, word lists."""

from __future__ import annotations

import io

from PIL import Image

from plaza.space import services
from plaza.space.models import SensitiveWord, Space, WordListVersion


def enterprise_space(world, **extra) -> Space:  # noqa: ANN001
    """The enterprise-wide 员工互动空间, kept by the 党委 (moderated by 组织部 staff)."""
    return Space.objects.create(
        organisation=world.committee, name="员工互动空间", everyone=True, official_name="党委党群工作部", **extra
    )


def branch_space(world, organisation=None, **extra) -> Space:  # noqa: ANN001
    organisation = organisation or world.branch_a
    return Space.objects.create(organisation=organisation, name=f"{organisation.name}空间", **extra)


def words(**levels: str) -> None:
    """``words(暴力="block", 投诉="review")``: the list as staff would keep it."""
    for word, level in levels.items():
        SensitiveWord.objects.create(word=word, level=level)
    WordListVersion.bump()


def picture_bytes(kind: str = "JPEG", size: tuple[int, int] = (40, 30), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0131] = "Secret GPS Phone"  # Software
        image.save(out, format=kind, exif=data.tobytes())
    else:
        image.save(out, format=kind)
    return out.getvalue()


def post(person, space, body="今天装调车间又有新点子", **kwargs):  # noqa: ANN001, ANN201
    return services.create_post(person, space, body, **kwargs)
