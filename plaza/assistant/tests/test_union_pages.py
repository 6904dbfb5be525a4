"""党群小智 answers about union matters point to the union's pages (plaza.assistant.pages), and the 生育慰问
办法 sends people to the online care application, not to 预约办理 for a paper form."""

from pathlib import Path

from django.urls import reverse

from plaza.assistant import pages, services
from plaza.assistant.models import Question

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


def test_union_answers_link_to_the_union_pages(knowledge, world):
    asked = services.ask(world.employee, "生孩子工会给多少钱？")
    assert asked.confident and asked.sources[0]["title"] == "工会会员生育慰问办法"
    assert {"url": reverse("union:care"), "label": "慰问申请"} in asked.pages
    joining = services.ask(world.employee, "怎么加入工会")
    assert [p["url"] for p in joining.pages][:2] == [reverse("union:index"), reverse("union:card")]
    hardship = services.ask(world.employee, "困难职工补助怎么申请")
    assert reverse("union:help") in [p["url"] for p in hardship.pages]
    # a Party question has no union page
    dues = services.ask(world.employee, "党费按什么比例交")
    assert not any(p["url"].startswith("/union/") for p in dues.pages)


def test_the_conversation_shows_the_pages(knowledge, world, client):
    client.force_login(world.employee)
    client.post(reverse("assistant:index"), {"text": "生育慰问申请表在哪里拿"})
    page = client.get(reverse("assistant:index")).content.decode()
    assert 'data-testid="pages"' in page and f'href="{reverse("union:care")}"' in page
    assert Question.objects.get().pages


def test_every_page_rule_reverses_and_every_title_is_a_document():
    titles = {p.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip() for p in KNOWLEDGE.glob("*.md")}
    assert set(pages.PAGES) <= titles
    for rules in pages.PAGES.values():
        for _word, found in rules:
            for page in found:
                reverse(page.url_name)


def test_the_childbirth_measure_does_not_send_people_to_appointments_for_the_form():
    text = (KNOWLEDGE / "shengyu_weiwen.md").read_text(encoding="utf-8")
    assert "预约办理" not in text and "服务—慰问申请" in text
    assert "我的—工会会员”填写" not in (KNOWLEDGE / "huiyuan_fuli.md").read_text(encoding="utf-8")
