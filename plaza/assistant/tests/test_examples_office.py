"""常见问法 kept by staff on a page of their own (no longer only in the Django admin): a wording added for a section
orders the next question, a wrong one is removed, both audited; refusals say why and keep what was typed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from plaza.assistant import index, services
from plaza.assistant.forms import OFF_TOPIC, section_key
from plaza.assistant.models import Example, ExampleSource
from plaza.audit import actions
from plaza.audit.models import AuditEntry

LEAVE = ("工会会员生育慰问办法", "六、产假和生育津贴提示")
DEADLINE = ("工会会员生育慰问办法", "五、申请时限")
PAGE = "/assistant/office/examples/"


def test_staff_add_a_wording_that_the_next_question_is_ordered_with(client, world, knowledge):
    client.force_login(world.staff)
    assert PAGE in client.get("/assistant/office/").content.decode()
    page = client.get(PAGE).content.decode()
    assert f'value="{section_key(*LEAVE)}"' in page and LEAVE[1] in page and "知识库不回答的问题" in page
    before = index.current()
    done = client.post(PAGE, {"text": "  媳妇坐月子  单位给几天假 ", "section": section_key(*LEAVE)})
    assert done.status_code == 302 and done.url == PAGE
    added = Example.objects.get(text="媳妇坐月子 单位给几天假")
    assert (added.title, added.heading, added.source, added.added_by) == (*LEAVE, ExampleSource.CURATED, world.staff)
    entry = AuditEntry.objects.get(action=actions.ASSISTANT_EXAMPLE_ADD, object_id=str(added.pk))
    assert entry.actor == world.staff and entry.after["text"] == "媳妇坐月子 单位给几天假"
    after = index.current()
    assert after is not before
    assert any(e.text == "媳妇坐月子 单位给几天假" for rows in after.examples.values() for e in rows)
    listed = client.get(PAGE, {"q": "坐月子"}).content.decode()
    assert "媳妇坐月子 单位给几天假" in listed and "工作人员整理" in listed and world.staff.name in listed


def test_a_refused_wording_says_why_and_keeps_what_was_typed(client, world, knowledge):
    services.add_example(world.staff, "产假究竟几天", *LEAVE)
    client.force_login(world.staff)
    again = client.post(PAGE, {"text": "产假究竟几天", "section": section_key(*LEAVE)})
    assert again.status_code == 200 and "这个问法已经在常见问法里了。" in again.content.decode()
    elsewhere = client.post(PAGE, {"text": "产假究竟几天", "section": section_key(*DEADLINE)})
    page = elsewhere.content.decode()
    assert elsewhere.status_code == 200 and f"已是「{LEAVE[0]} › {LEAVE[1]}」的常见问法" in page
    assert 'value="产假究竟几天"' in page  # nothing typed is lost
    empty = client.post(PAGE, {"text": "   ", "section": section_key(*LEAVE)})
    assert empty.status_code == 200
    unknown = client.post(PAGE, {"text": "随便问问", "section": "0123456789abcdef"})
    assert unknown.status_code == 200 and 'value="随便问问"' in unknown.content.decode()
    assert Example.objects.filter(text__in=["随便问问", ""]).count() == 0
    assert Example.objects.filter(text="产假究竟几天").count() == 1


def test_a_section_the_knowledge_base_no_longer_has_is_refused(world, knowledge):
    with pytest.raises(ValidationError, match="知识库里已没有这个章节"):
        services.add_example(world.staff, "这个还算数吗", "已停用的文件", "一、总则")


def test_an_off_topic_wording_and_removing_one(client, world, knowledge):
    client.force_login(world.staff)
    done = client.post(PAGE, {"text": "食堂周末开门吗", "section": OFF_TOPIC})
    assert done.status_code == 302
    added = Example.objects.get(text="食堂周末开门吗")
    assert added.off_topic and (added.title, added.heading) == ("", "")
    assert "食堂周末开门吗" in client.get(PAGE, {"kind": "off_topic"}).content.decode()
    assert "食堂周末开门吗" not in client.get(PAGE, {"kind": "curated", "q": "食堂周末"}).content.decode()
    removed = client.post(f"{PAGE}{added.pk}/remove/")
    assert removed.status_code == 302 and not Example.objects.filter(pk=added.pk).exists()
    entry = AuditEntry.objects.get(action=actions.ASSISTANT_EXAMPLE_REMOVE, object_id=str(added.pk))
    assert entry.before["text"] == "食堂周末开门吗" and entry.before["off_topic"] is True
    assert client.post(f"{PAGE}{added.pk}/remove/").status_code == 404
    assert client.get(f"{PAGE}{added.pk}/remove/").status_code == 405


def test_members_neither_see_nor_change_the_wordings(client, world, knowledge):
    example = Example.objects.create(title=LEAVE[0], heading=LEAVE[1], text="产假几天啊", source=ExampleSource.CURATED)
    client.force_login(world.member_a)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"text": "我也来加一条", "section": section_key(*LEAVE)}).status_code == 403
    assert client.post(f"{PAGE}{example.pk}/remove/").status_code == 403
    assert Example.objects.filter(pk=example.pk).exists() and not Example.objects.filter(text="我也来加一条").exists()
    with pytest.raises(Exception, match="常见问法由党群小智的管理人员维护"):
        services.add_example(world.member_a, "我也来加一条", *LEAVE)
