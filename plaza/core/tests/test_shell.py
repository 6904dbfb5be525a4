from datetime import date, timedelta

from plaza.lib import sections
from plaza.lib.sections import Function, functions_for, register
from plaza.notify.models import Notification, Task


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_shows_todos_soonest_first_and_flags_overdue(world, client):
    today = date.today()
    Task.objects.create(assignee=world.secretary_a, title="提交换届请示", due_on=today + timedelta(days=30))
    Task.objects.create(assignee=world.secretary_a, title="确定发展对象", due_on=today - timedelta(days=1))
    Task.objects.create(assignee=world.secretary_b, title="别人的待办", due_on=today)
    Notification.objects.create(recipient=world.secretary_a, title="主题党日通知")
    client.force_login(world.secretary_a)
    body = client.get("/").content.decode()
    assert body.index("确定发展对象") < body.index("提交换届请示")
    assert "别人的待办" not in body and "主题党日通知" in body
    assert 'class="tag late"' in body
    assert 'data-testid="unread" aria-hidden="true">1<' in body


def test_sections_show_only_functions_the_viewer_may_use(world, client):
    client.force_login(world.employee)
    employee_work = client.get("/s/work/").content.decode()
    client.force_login(world.secretary_a)
    secretary_work = client.get("/s/work/").content.decode()
    assert "人员花名册" in secretary_work and "人员花名册" not in employee_work
    assert "我的组织" in employee_work


def test_unknown_section_is_404(world, client):
    client.force_login(world.employee)
    assert client.get("/s/nowhere/").status_code == 404


def test_registry_rejects_unknown_section():
    import pytest

    with pytest.raises(ValueError):
        register(Function("nowhere", "x", "x", "core:home", "x"))


def test_registry_filters_by_visibility(world, monkeypatch):
    # a copy of the registry for this test: the function registered here must not reach other tests' pages
    monkeypatch.setattr(sections, "_REGISTRY", dict(sections._REGISTRY))
    register(
        Function("learn", "test_only_staff", "仅组织部", "core:home", "star", visible=lambda p: p.is_staff, order=999)
    )
    assert any(f.key == "test_only_staff" for f in functions_for("learn", world.staff))
    assert not any(f.key == "test_only_staff" for f in functions_for("learn", world.employee))


def test_office_is_for_people_with_a_back_office_role(world, client):
    client.force_login(world.employee)
    assert client.get("/office/").status_code == 404
    client.force_login(world.staff)
    body = client.get("/office/").content.decode()
    assert "审计日志" in body and "Excel 导入" in body


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"ok": True}


def test_english_is_the_second_language(world, client):
    world.secretary_a.language = "en"
    world.secretary_a.save()
    client.force_login(world.secretary_a)
    body = client.get("/").content.decode()
    assert "My to-dos" in body and "Hello, 刘昭涛" in body and "我的待办" not in body
    assert "Roster" in client.get("/s/work/").content.decode()


def test_chinese_is_the_default(world, client):
    client.force_login(world.secretary_a)
    assert "我的待办" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.logout()
    assert "工号" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def _links(body: str) -> set[str]:
    import re

    return {h for h in re.findall(r'href="(/[^"#?]*)', body) if not h.startswith(("/static/", "/media/"))}


def test_every_link_on_home_sections_and_office_opens_for_every_role(world, client):
    """Issue 12 item 4: /office/ offered 系统管理 to 组织部 staff (is_staff, no admin permission), which led to the
    Django admin's "no permission" page. Every tile and link the home page, the four sections and the office
    offer must open for the person it is offered to."""
    from plaza.lib.sections import SECTIONS

    for person in (world.admin, world.staff, world.secretary_a, world.member_a, world.activist_a, world.employee):
        client.force_login(person)
        pages = ["/", *(f"/s/{key}/" for key in SECTIONS)]
        if client.get("/office/").status_code == 200:
            pages.append("/office/")
        links: set[str] = set()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (person, page)
            links |= _links(response.content.decode())
        for link in sorted(links - {"/accounts/logout/"}):
            response = client.get(link)
            assert response.status_code in (200, 302), (person.employee_no, link, response.status_code)
            if response.status_code == 302:
                assert "/login/" not in response["Location"], (person.employee_no, link, response["Location"])
            if link.startswith("/admin/"):
                assert (
                    "admin/index.html" not in [t.name for t in response.templates] or (response.context["app_list"])
                ), (person.employee_no, link)


def test_office_offers_system_administration_only_to_who_may_open_it(world, client):
    client.force_login(world.staff)  # 组织部 staff: is_staff, but no Django admin permission
    assert "系统管理" not in client.get("/office/").content.decode()
    assert "/admin/" not in client.get("/office/").content.decode()
    client.force_login(world.admin)
    assert "系统管理" in client.get("/office/").content.decode()
