"""Home by role and the settings page (issue 14): an employee gets their to-dos, news and the four sections; staff
see their work first and reach the back office in one tap; API tokens live under 设置, not on every 我的."""

from __future__ import annotations

from datetime import date, timedelta

from plaza.lib.sections import _REGISTRY, SECTIONS, functions_for
from plaza.notify.models import Task


def test_employee_home_has_todos_news_and_sections_but_no_staff_block(world, client):
    client.force_login(world.employee)
    body = client.get("/").content.decode()
    assert "我的待办" in body and "最新消息" in body
    for label in SECTIONS.values():
        assert str(label) in body
    assert 'data-testid="staff-work"' not in body and "进入管理后台" not in body


def test_staff_home_shows_their_work_first_with_counts_and_one_tap_to_the_office(world, client):
    today = date.today()
    Task.objects.create(assignee=world.secretary_a, title="审批预约", due_on=today - timedelta(days=2))
    Task.objects.create(assignee=world.secretary_a, title="确定发展对象", due_on=today + timedelta(days=3))
    Task.objects.create(assignee=world.secretary_a, title="年度计划", due_on=today + timedelta(days=40))
    Task.objects.create(assignee=world.employee, title="别人的待办", due_on=today)
    client.force_login(world.secretary_a)
    body = client.get("/").content.decode()
    work = body.index('data-testid="staff-work"')
    assert work < body.index('id="todo-h"') and work < body.index('id="msg-h"')  # their work first
    counts = body[work : body.index("</ul>", work)]
    assert "<b>3</b>待办" in counts and "<b>1</b>已逾期" in counts and "<b>1</b>7 天内到期" in counts
    assert 'href="/office/"' in body[work:] and 'data-testid="office-entry"' in body
    assert "人员花名册" in body[work : body.index('id="todo-h"')]  # back-office tiles in the work block


def test_personal_and_office_tiles_are_not_mixed(world, client):
    client.force_login(world.secretary_a)
    work = client.get("/s/work/").content.decode()
    personal = work[work.index('data-testid="functions"') : work.index('data-testid="office-functions"')]
    office = work[work.index('data-testid="office-functions"') :]
    assert "我的党费" in personal and "人员花名册" not in personal
    assert "人员花名册" in office and "我的党费" not in office
    home = client.get("/").content.decode()
    sections_part = home[home.index('id="msg-h"') :]
    assert "人员花名册" not in sections_part  # the sections on home list personal functions only


def test_office_functions_are_flagged_in_the_registry(world):
    office = {f.key for f in _REGISTRY.values() if f.office}
    assert {"roster", "dues_roll", "recruitment_board", "learning_office"} <= office
    assert not office & {"my_dues", "learning", "todos", "apply"}
    assert all(not f.office for s in SECTIONS for f in functions_for(s, world.employee))


def test_office_page_lists_the_office_functions(world, client):
    client.force_login(world.secretary_a)
    body = client.get("/office/").content.decode()
    assert 'data-testid="office-functions"' in body and "党费收缴" in body


def test_tokens_live_under_settings_not_on_every_me_page(world, client):
    client.force_login(world.employee)
    me = client.get("/accounts/me/").content.decode()
    assert "接口令牌" not in me and 'href="/settings/"' in me
    settings_page = client.get("/settings/").content.decode()
    assert 'href="/accounts/me/tokens/"' in settings_page
    assert 'action="/accounts/me/language/"' in settings_page and 'href="/notify/preferences/"' in settings_page


def test_language_switch_from_settings_comes_back_to_settings(world, client):
    client.force_login(world.employee)
    response = client.post("/accounts/me/language/", {"language": "en", "next": "/settings/"})
    assert response.status_code == 302 and response["Location"] == "/settings/"
    world.employee.refresh_from_db()
    assert world.employee.language == "en"


def test_me_groups_personal_and_work_entries_for_staff(world, client):
    client.force_login(world.staff)
    me = client.get("/accounts/me/").content.decode()
    assert me.index('id="mine-h"') < me.index('id="office-h"') < me.index('href="/office/"')
