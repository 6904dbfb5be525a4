"""Pages for each role, scoping between branches, the form with a photo, the handler's actions, the API, query
counts of the queue, the category list, the FAQ entry for 党群小智."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from plaza.assistant.models import Document
from plaza.voice import services
from plaza.voice.models import Category, Item, Photo, State

from .helpers import categories, file


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    out.seek(0)
    out.name = "IMG_0001.jpg"
    return out


@pytest.fixture
def cats(world):  # noqa: ANN001, ANN201
    return categories(world)


def test_filing_on_the_page_with_a_photo(world, login, cats):
    client = login(world.member_a)
    party = cats[0]
    response = client.post(
        reverse("voice:new"),
        {"kind": "concern", "category": party.pk, "text": "更衣室排风扇坏了", "anonymous": "on", "photos": _jpeg()},
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("voice:mine", args=[item.pk])
    photo = Photo.objects.get()
    assert "IMG_0001" not in photo.image.name
    assert client.get(reverse("voice:photo", args=[photo.pk])).status_code == 200
    assert login(world.member_b).get(reverse("voice:photo", args=[photo.pk])).status_code == 404
    client = login(world.member_a)
    page = client.get(reverse("voice:mine", args=[item.pk])).content.decode()
    assert "更衣室排风扇坏了" in page and "装调车间党支部" in page
    bad = client.post(reverse("voice:new"), {"kind": "concern", "category": party.pk, "text": " "})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    bad = client.post(
        reverse("voice:new"),
        {"kind": "concern", "category": party.pk, "text": "照片", "photos": io.BytesIO(b"GIF89 not really")},
    )
    assert bad.status_code == 200 and "JPG" in bad.content.decode() and Item.objects.count() == 1


def test_every_page_renders_for_each_role(world, login, cats, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    item = file(world, public=True)
    mine = [reverse("voice:index"), reverse("voice:new"), reverse("voice:wall"), reverse("voice:proposals")]
    office = [
        reverse("voice:office"),
        reverse("voice:handle", args=[item.pk]),
        reverse("voice:report"),
        reverse("voice:raised"),
        reverse("voice:categories"),
        reverse("voice:congresses"),
        reverse("voice:yearly"),
    ]
    for person in (world.member_a, world.employee, world.secretary_a, world.staff, world.admin):
        client = login(person)
        for url in mine + [reverse("voice:public", args=[item.pk])]:
            assert client.get(url).status_code == 200, (person, url)
    for person in (world.secretary_a, world.staff, world.admin):
        client = login(person)
        for url in office:
            assert client.get(url).status_code == 200, (person, url)
    client = login(world.member_b)
    assert client.get(reverse("voice:office")).status_code == 403
    assert client.get(reverse("voice:mine", args=[item.pk])).status_code == 404


def test_a_branch_cannot_see_anothers_items(world, login, cats):
    item = file(world)
    client = login(world.secretary_b)
    assert client.get(reverse("voice:handle", args=[item.pk])).status_code == 404
    assert "二号工位" not in client.get(reverse("voice:office")).content.decode()
    assert login(world.secretary_a).get(reverse("voice:handle", args=[item.pk])).status_code == 200


def test_handler_actions_through_the_page(world, login, cats, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    item = file(world)
    client = login(world.secretary_a)
    url = reverse("voice:handle", args=[item.pk])
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "ask", "text": "几号工位？"})
    client.post(url, {"action": "extend", "days": "99", "reason": "等备件"})
    item.refresh_from_db()
    assert item.state == State.ACCEPTED and not item.extended
    client.post(url, {"action": "answer", "text": "已修好", "change_made": "更换排风扇"})
    item.refresh_from_db()
    assert item.state == State.ANSWERED and item.change_made == "更换排风扇"
    mine = login(world.member_a)
    mine.post(reverse("voice:mine", args=[item.pk]), {"action": "rate", "satisfied": "1", "word": "快"})
    item.refresh_from_db()
    assert item.state == State.CLOSED and item.satisfied


def test_queue_query_count_does_not_grow(world, login, cats, django_assert_max_num_queries, settings):
    settings.PLAZA_VOICE_RATE = ""  # 15 items by one person at once
    for n in range(15):
        file(world, text=f"第 {n} 条反映")
    client = login(world.secretary_a)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("voice:office"))
    assert response.status_code == 200 and response.content.decode().count("第 ") >= 15


def test_faq_entry_for_the_assistant(world, cats, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    canteen = cats[1]
    item = services.file_item(
        world.member_a, kind="question", category=canteen, text="夜班几点以后食堂还有饭？", anonymous=True
    )
    services.accept(world.staff, item)
    services.answer(world.staff, item, "夜班食堂供餐到 22:30，周末照常。")
    item.refresh_from_db()
    assert not services.may_make_faq(world.secretary_a, item)
    item = services.make_faq(world.staff, item)
    document = Document.objects.get(pk=item.faq_document_id)
    text = " ".join(document.passages.values_list("text", flat=True))
    assert "22:30" in text and "E线声音" in text and world.member_a.name not in text


def test_categories_are_staff_maintained(world, login, cats):
    client = login(world.staff)
    response = client.post(
        reverse("voice:categories"),
        {"name": "安全生产", "owner": world.committee.pk, "via_branch": "on", "active": "on", "order": "5"},
    )
    assert response.status_code == 302
    assert Category.objects.filter(name="安全生产", owner=world.committee).exists()
    response = client.post(reverse("voice:categories"), {"name": "安全生产", "owner": world.committee.pk, "order": "5"})
    assert "已有名为" in response.content.decode()


def test_api_file_list_reply_rate(world, login, cats, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    client = login(world.member_a)
    party = cats[0]
    created = client.post(
        "/api/v1/voice/items",
        {"kind": "help", "category_id": party.pk, "text": "家中老人住院，想申请困难帮扶"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    empty = client.post(
        "/api/v1/voice/items", {"kind": "help", "category_id": party.pk, "text": ""}, content_type="application/json"
    )
    assert empty.status_code == 422  # the schema asks for text: something besides spaces
    spaces = client.post(
        "/api/v1/voice/items",
        {"kind": "help", "category_id": party.pk, "text": "\u3000"},
        content_type="application/json",
    )
    assert spaces.status_code == 422  # an ideographic space is blank too
    assert [row["id"] for row in client.get("/api/v1/voice/items").json()["items"]] == [item_id]
    item = Item.objects.get(pk=item_id)
    services.accept(world.secretary_a, item)
    services.ask(world.secretary_a, item, "需要哪方面的帮助？")
    replied = client.post(f"/api/v1/voice/items/{item_id}/reply", {"text": "住院费用"}, content_type="application/json")
    assert replied.status_code == 200 and [m["side"] for m in replied.json()["messages"]] == ["handler", "submitter"]
    too_early = client.post(f"/api/v1/voice/items/{item_id}/rate", {"satisfied": True}, content_type="application/json")
    assert too_early.status_code == 409 and "答复之后才能评价" in too_early.json()["detail"]
    services.answer(world.secretary_a, item, "已转工会困难帮扶")
    rated = client.post(
        f"/api/v1/voice/items/{item_id}/rate", {"satisfied": True, "word": "及时"}, content_type="application/json"
    )
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    assert login(world.member_b).get(f"/api/v1/voice/items/{item_id}").status_code == 404


def test_new_page_states_the_organisations_own_service_levels(world, login, cats):
    """QA: the form used to promise a fixed "受理期限 2 个工作日，答复期限 5 个工作日"; it now states the 本单位规定
    of the organisations the person's item may land at."""
    from plaza.localrules.services import set_rule
    from plaza.testing.factories import PersonFactory

    root = PersonFactory(employee_no="R0001", is_superuser=True, is_staff=True)
    set_rule(world.staff, world.committee, "voice.acknowledge_days", "3", "本单位E线声音办法", backdate=True)
    set_rule(world.staff, world.committee, "voice.answer_days", "7", "本单位E线声音办法", backdate=True)
    set_rule(root, world.union, "voice.acknowledge_days", "3", "本单位E线声音办法", backdate=True)
    set_rule(root, world.union, "voice.answer_days", "7", "本单位E线声音办法", backdate=True)
    page = login(world.member_a).get(reverse("voice:new")).content.decode()
    assert "受理期限 3 个工作日" in page and "答复期限 7 个工作日" in page
    assert "2 个工作日" not in page and "5 个工作日" not in page


def test_category_page_of_a_branch_does_not_claim_there_are_none(world, login, cats):
    """QA: a branch secretary saw "还没有类别" while the 党委's and 工会's categories were in use."""
    page = login(world.secretary_a).get(reverse("voice:categories")).content.decode()
    assert "还没有类别" not in page and "党委、工会设置的类别由它们维护" in page
