from datetime import date, timedelta

from plaza.core.sections import Function, functions_for, register
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
    assert 'data-testid="unread">1<' in body


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


def test_registry_filters_by_visibility(world):
    register(
        Function("learn", "test_only_staff", "仅组织部", "core:home", "★", visible=lambda p: p.is_staff, order=999)
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
