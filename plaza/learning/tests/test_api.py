"""The learning API: the articles I may read (and search), one article with its body cleaned as the page shows
it, my required reading — nothing of another branch, and no 阅读豆 through the API."""

from datetime import timedelta

from django.utils import timezone

from plaza.api.api import api
from plaza.learning.models import ArticleFile, ReadingSession
from plaza.points.models import Entry

from .helpers import article, read


def test_articles_are_what_i_may_read(client, world):
    mine = article(world, "学习党章", to=[world.branch_a])
    everyone = article(world, "全体党员学习二十大报告")
    hidden = article(world, "李红梅所在支部的通知", to=[world.branch_b])
    article(world, "明天发布", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(world.member_a)
    body = client.get("/api/v1/learning/articles").json()
    assert {a["id"] for a in body["items"]} == {mine.pk, everyone.pk} and body["count"] == 2
    assert client.get(f"/api/v1/learning/articles/{hidden.pk}").status_code == 404
    assert "李红梅" not in client.get("/api/v1/learning/articles", {"q": "李红梅 通知"}).content.decode()


def test_search_uses_the_chinese_search(client, world):
    body_hit = article(world, "车间动态", "本月支部组织党员开展了形式多样的理论学习和思想教育活动。")
    title_hit = article(world, "党员思想教育专题", "详见附件。")
    article(world, "食堂菜单", "今天午餐有红烧肉。")
    client.force_login(world.member_a)
    found = client.get("/api/v1/learning/articles", {"q": "党员思想教育"}).json()
    assert [a["id"] for a in found["items"]] == [title_hit.pk, body_hit.pk]
    assert client.get("/api/v1/learning/articles", {"q": "x" * 101}).status_code == 422


def test_detail_has_the_cleaned_body_and_starts_no_reading_session(client, world):
    found = article(world, "学习党章", "## 第一章\n认真学习<script>alert(1)</script>**党章**。", topics="党章，党规")
    attached = ArticleFile.objects.create(article=found, file="learning/files/x.pdf", name="党章全文.pdf")
    client.force_login(world.member_a)
    body = client.get(f"/api/v1/learning/articles/{found.pk}").json()
    assert "<h3>第一章</h3>" in body["body_html"] and "<strong>党章</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"] and body["topics"] == ["党章", "党规"]
    assert body["completed_on"] is None
    assert body["files"] == [
        {"id": attached.pk, "name": "党章全文.pdf", "url": f"/learning/articles/{found.pk}/files/{attached.pk}/"}
    ]
    assert not ReadingSession.objects.exists() and not Entry.objects.exists()


def test_required_reading_with_due_dates_and_done(client, world):
    due = timezone.localdate() + timedelta(days=7)
    first = article(world, "二十大报告", required=True, due_on=due, required_for=[world.committee])
    second = article(world, "党章", required=True, due_on=due + timedelta(days=1), required_for=[world.branch_a])
    read(world.member_a, first, 40)
    client.force_login(world.member_a)
    rows = client.get("/api/v1/learning/required").json()
    assert [(r["id"], r["done"], r["due_on"]) for r in rows] == [
        (second.pk, False, str(second.due_on)),
        (first.pk, True, str(due)),
    ]
    assert rows[1]["completed_on"] == str(timezone.localdate())
    client.force_login(world.member_b)
    assert [r["id"] for r in client.get("/api/v1/learning/required").json()] == [first.pk]


def test_no_endpoint_grants_reading_beans():
    paths = api.get_openapi_schema()["paths"]
    learning = {path: ops for path, ops in paths.items() if path.startswith("/api/v1/learning")}
    assert learning and all(list(ops) == ["get"] for ops in learning.values())
