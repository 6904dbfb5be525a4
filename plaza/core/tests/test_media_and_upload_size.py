"""Issue 11 item 14 (part): uploaded pictures are served (and nothing else from /media/), and one figure bounds
every upload, from nginx to the imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile, ImageField
from django.http import Http404
from django.test import Client

from plaza.lib.http import private_picture
from plaza.points.models import Item

ROOT = Path(__file__).resolve().parents[3]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def media(settings, tmp_path) -> Path:  # noqa: ANN001
    """Uploads on disk, as in the embedded default (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _put(media: Path, name: str, data: bytes) -> None:
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_a_mall_items_picture_is_shown_and_served(world, client, media):
    item = Item.objects.create(name="保温杯", price=100, stock=5)
    item.picture.save("cup.png", SimpleUploadedFile("cup.png", PNG), save=True)
    client.force_login(world.member_a)
    page = client.get(f"/points/mall/{item.pk}/")
    assert page.status_code == 200
    src = re.search(r'<img[^>]* src="([^"]+)"', page.content.decode()).group(1)
    assert src.startswith("/media/points/items/")
    picture = Client().get(src)  # public, as nginx serves it
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert picture["X-Content-Type-Options"] == "nosniff"
    assert b"".join(picture.streaming_content) == PNG


@pytest.mark.parametrize(
    "path",
    [
        "/media/recruitment/2026/01/application.png",  # a personal upload, even if it is a picture
        "/media/meetings/2026/01/minutes.pdf",
        "/media/points/items/page.html",  # not a picture: never served as a page of ours
        "/media/points/items/drawing.svg",  # SVG can carry script
        "/media/points/items/../../secret_key.png",
        "/media/points/items/%2e%2e/%2e%2e/secret_key.png",
        "/media/points/items/missing.png",
        "/media/learning/covers/",
    ],
)
def test_nothing_else_leaves_through_media(db, media, path):
    for name in ("recruitment/2026/01/application.png", "points/items/page.html", "points/items/drawing.svg"):
        _put(media, name, PNG)
    _put(media.parent, "secret_key.png", b"secret")
    _put(media, "meetings/2026/01/minutes.pdf", b"%PDF")
    assert Client().get(path).status_code == 404


def test_media_is_read_only(db, media):
    _put(media, "learning/covers/a.jpg", b"\xff\xd8\xff")
    assert Client().get("/media/learning/covers/a.jpg")["Content-Type"] == "image/jpeg"
    assert Client().post("/media/learning/covers/a.jpg").status_code == 405


def test_a_body_beyond_the_one_figure_is_refused_with_the_reason(world, client, settings):
    client.force_login(world.secretary_a)
    too_big = (django_settings.PLAZA_MAX_UPLOAD_MB * 1024 * 1024) + 1
    response = client.post(
        "/accounts/me/language/", data=b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(too_big)
    )
    assert response.status_code == 413
    assert f"{django_settings.PLAZA_MAX_UPLOAD_MB} MB" in response.content.decode()
    api = client.post(
        "/api/v1/points/items/1/redeem", data=b"x", content_type="application/json", CONTENT_LENGTH=str(too_big)
    )
    assert api.status_code == 413 and "MB" in api.json()["detail"]


def test_one_upload_figure_everywhere():
    figure = django_settings.PLAZA_MAX_UPLOAD_MB
    assert figure * 1024 * 1024 == django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert django_settings.PLAZA_EXCEL_LIMITS["max_bytes"] == figure * 1024 * 1024
    production = (ROOT / "docs" / "production.md").read_text()
    assert re.findall(r"client_max_body_size (\d+)m;", production) == [str(figure)]
    assert "/media/" in production and "location ~ ^/media/(points/items|learning/covers)/" in production


def test_a_private_picture_is_served_by_its_stored_name_never_sniffed_and_a_missing_one_is_a_404(media):
    """plaza.lib.http.private_picture: the one way apps serve pictures that are not public media."""
    field = ImageField(name="image")
    _put(media, "space/a.png", PNG)
    served = private_picture(FieldFile(None, field, "space/a.png"))
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]
    assert served["Cache-Control"] == "private, max-age=3600"
    assert b"".join(served.streaming_content) == PNG
    served.file_to_stream.close()
    _put(media, "space/b.svg", b"<svg onload='alert(1)'/>")
    svg = private_picture(FieldFile(None, field, "space/b.svg"), max_age=None)
    assert svg["Content-Type"] == "image/jpeg" and "Cache-Control" not in svg  # no-store is then the middleware's
    svg.file_to_stream.close()  # not close(): that sends request_finished, which closes database connections
    with pytest.raises(Http404):
        private_picture(FieldFile(None, field, "space/gone.jpg"))
    with pytest.raises(Http404):
        private_picture(None)
