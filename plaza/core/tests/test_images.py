"""plaza.lib.images.clean_picture: what a person uploads is kept only as clean, upright, bounded pixels."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaza.lib.images import clean_picture


def _photo(size: tuple[int, int] = (4000, 3000), *, fmt: str = "JPEG", orientation: int | None = None) -> bytes:
    picture = Image.new("RGB", size, (200, 30, 30))
    picture.paste((10, 10, 240), (0, 0, size[0] // 2, size[1]))  # left half blue: shows which way is up
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone X"  # Model
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif.tobytes(), **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def test_a_phone_photo_is_resized_and_loses_its_metadata() -> None:
    upload = SimpleUploadedFile("IMG_20261207_张三家门口.jpg", _photo(), content_type="image/jpeg")
    cleaned = clean_picture(upload)
    assert cleaned.name.endswith(".jpg") and "张三" not in cleaned.name
    with Image.open(io.BytesIO(cleaned.read())) as result:
        assert result.format == "JPEG"
        assert max(result.size) == 1920 and result.size == (1920, 1440)
        assert not result.getexif() and "icc_profile" not in result.info


def test_the_picture_is_turned_upright_before_the_orientation_tag_is_dropped() -> None:
    cleaned = clean_picture(_photo((400, 200), orientation=6))  # 6: the phone was held turned: rotate 90°
    with Image.open(io.BytesIO(cleaned.read())) as result:
        assert result.size == (200, 400)


def test_a_transparent_png_stays_a_png_with_its_alpha() -> None:
    picture = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    cleaned = clean_picture(out.getvalue(), name_prefix="space/")
    assert cleaned.name.startswith("space/") and cleaned.name.endswith(".png")
    with Image.open(io.BytesIO(cleaned.read())) as result:
        assert result.mode == "RGBA" and result.getpixel((5, 5))[3] == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空文件"),
        (b"%PDF-1.7 not a picture at all", "无法识别"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "无法识别"),
    ],
)
def test_what_is_not_a_picture_is_refused_in_words(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_picture(data)
    assert message in refused.value.messages[0]


def test_an_unsupported_kind_of_picture_is_refused_naming_it() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="TIFF")
    with pytest.raises(ValidationError) as refused:
        clean_picture(out.getvalue())
    assert "TIFF" in refused.value.messages[0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    upload = SimpleUploadedFile("big.jpg", b"\xff" * 2048, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        clean_picture(upload, max_bytes=1024)
    assert "太大" in refused.value.messages[0]


def test_a_decompression_bomb_is_refused_by_its_header() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationError) as refused:
        clean_picture(out.getvalue())
    assert "尺寸过大" in refused.value.messages[0]
