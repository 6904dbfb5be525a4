"""E线声音 through the API with photos (the same checks as the page: kind, size, count; cleaned of metadata) and
the filing rate limit, refused in Chinese with when one may file again (page, API and service)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from plaza.voice.models import Item, Photo

from .helpers import categories, file


def _jpeg(name: str = "IMG_0001.jpg", exif: bool = False) -> io.BytesIO:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    out.seek(0)
    out.name = name
    return out


@pytest.fixture
def cats(world):  # noqa: ANN001, ANN201
    return categories(world)


def _form(cats, **extra):  # noqa: ANN001, ANN003, ANN202
    return {"kind": "concern", "category_id": cats[0].pk, "text": "更衣室排风扇坏了", **extra}


def test_filing_with_photos_through_the_api(world, login, cats):
    client = login(world.member_a)
    made = client.post("/api/v1/voice/items/with-photos", _form(cats, photos=[_jpeg(exif=True), _jpeg("b.png")]))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["anonymous"] is True and len(body["photos"]) == 2
    item = Item.objects.get()
    assert item.photos.count() == 2
    photo = Photo.objects.order_by("id").first()
    assert "IMG_0001" not in photo.image.name
    assert b"PhoneMaker" not in photo.image.open("rb").read()  # metadata stripped
    assert client.get(body["photos"][0]).status_code == 200
    listed = client.get("/api/v1/voice/items").json()["items"]
    assert listed[0]["photos"] == body["photos"]
    assert login(world.member_b).get(body["photos"][0]).status_code == 404


def test_api_photos_are_refused_as_on_the_page(world, login, cats):
    client = login(world.member_a)
    fake = io.BytesIO(b"GIF89 not really")
    fake.name = "x.gif"
    refused = client.post("/api/v1/voice/items/with-photos", _form(cats, photos=[_jpeg(), fake]))
    assert refused.status_code == 409 and refused.json()["detail"].startswith("第 2 张照片：")  # refused by the data
    five = client.post("/api/v1/voice/items/with-photos", _form(cats, photos=[_jpeg() for _ in range(5)]))
    assert five.status_code == 409 and "最多上传 4 张照片" in five.json()["detail"]
    no_category = client.post("/api/v1/voice/items/with-photos", _form(cats, category_id=999999))
    assert no_category.status_code == 404 and "没有这个类别" in no_category.json()["detail"]
    empty = client.post("/api/v1/voice/items/with-photos", _form(cats, text=""))
    assert empty.status_code == 422  # the schema asks for text
    assert not Item.objects.exists() and not Photo.objects.exists()
    text_only = client.post("/api/v1/voice/items/with-photos", _form(cats))
    assert text_only.status_code == 201 and text_only.json()["photos"] == []


def test_filing_too_often_is_refused_with_when_to_file_again(world, cats, settings):
    settings.PLAZA_VOICE_RATE = "2/10m,3/1d"
    file(world, text="第一条")
    file(world, text="第二条")
    with pytest.raises(ValidationError) as refused:
        file(world, text="第三条")
    assert "提交反映太频繁：10 分钟内最多 2 次" in refused.value.messages[0]
    file(world, person=world.member_b, text="别人不受影响")
    Item.objects.filter(submitter=world.member_a).update(created_at=timezone.now() - timedelta(minutes=30))
    file(world, text="半小时后可以")
    with pytest.raises(ValidationError, match="1 天内最多 3 次"):
        file(world, text="今天第四条")


def test_the_filing_limit_reaches_the_page_and_the_api(world, login, cats, settings):
    settings.PLAZA_VOICE_RATE = "1/1h"
    client = login(world.member_a)
    first = client.post("/api/v1/voice/items", _form(cats), content_type="application/json")
    assert first.status_code == 201
    again = client.post("/api/v1/voice/items", _form(cats), content_type="application/json")
    assert again.status_code == 429 and "1 小时内最多 1 次" in again.json()["detail"]
    page = client.post(reverse("voice:new"), {"kind": "concern", "category": cats[0].pk, "text": "再反映一次"})
    assert page.status_code == 200 and "提交反映太频繁" in page.content.decode()
    assert Item.objects.count() == 1
