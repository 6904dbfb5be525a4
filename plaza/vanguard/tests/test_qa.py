"""Regressions found by trying the apps as their users would (QA of issue 19)."""

from datetime import date

from plaza.vanguard import queries, services

START = date(2026, 3, 2)
GOAL = "装调线数据自动采集，一次交检合格率提升"


def make_project(world, *, branch=None, actor=None, partners=(), title="数字化装调线攻关", theme="digital"):
    return services.start_project(
        actor or world.secretary_a,
        branch or world.branch_a,
        services.ProjectData(title, "breakthrough", theme, GOAL, START, date(2026, 6, 30)),
        lead=world.member_a if (branch or world.branch_a) == world.branch_a else world.member_b,
        partners=list(partners),
    )


def test_board_filters_by_branch_theme_and_search_for_committee_staff(world, login):
    own = make_project(world, title="装调线数字化攻关")
    joint = make_project(world, title="电驱装配联合创新", theme="electric", partners=[world.branch_b])
    other = make_project(
        world, branch=world.branch_b, actor=world.secretary_b, title="智能网联供应商协同", theme="connected"
    )
    assert set(queries.board_branches(world.staff)) == {world.branch_a, world.branch_b}
    # branch B's own project and the joint one it takes part in
    assert set(queries.board(world.staff, branch=world.branch_b).rows) == {joint, other}
    assert set(queries.board(world.staff, q="智能网联").rows) == {other}
    assert set(queries.board(world.staff, q=world.branch_b.name).rows) == {joint, other}
    assert set(queries.board(world.staff, theme="digital").rows) == {own}
    client = login(world.staff)
    page = client.get("/vanguard/board/", {"branch": world.branch_b.pk, "q": "电驱"}).content.decode()
    assert "电驱装配联合创新" in page and "智能网联供应商协同" not in page and "装调线数字化攻关" not in page
    assert 'name="branch"' in page and 'name="q"' in page
    # the theme links keep the branch chosen
    assert f"branch={world.branch_b.pk}" in page.split('data-testid="by-theme"')[1]
    empty = client.get("/vanguard/board/", {"q": "不存在的项目"}).content.decode()
    assert "请换个关键词或筛选条件" in empty


def test_the_escalation_todo_can_be_acted_on_urging_closes_it_and_tells_the_owner(world, login, committed):
    from plaza.notify.models import Notification, Task
    from plaza.vanguard.sweep import vanguard_sweep

    project = make_project(world)
    milestone = services.add_milestone(
        world.secretary_a, project, title="样机验证", due_on=date(2026, 3, 6), owner=world.member_a, today=START
    )
    with committed():
        vanguard_sweep(date(2026, 3, 25))  # reported to the secretary and the committee
    todo = Task.objects.get(assignee=world.staff, source_id=str(milestone.pk), done_at__isnull=True)
    assert services.may_urge(world.staff, milestone, date(2026, 3, 25))
    assert not services.may_urge(world.member_b, milestone, date(2026, 3, 25))
    with committed():
        services.urge(world.staff, milestone, comment="请本周五前完成并报告", today=date(2026, 3, 25))
    todo.refresh_from_db()
    assert todo.done_at is not None  # the committee's 督办 to-do is done
    # the owner's own to-do stays until the milestone is done
    assert Task.objects.filter(assignee=world.member_a, source_id=str(milestone.pk), done_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.member_a, title__contains="请本周五前完成").exists()
    try:
        services.urge(world.staff, milestone, comment="短", today=date(2026, 3, 25))
    except Exception as exc:  # noqa: BLE001
        assert "至少 4 个字" in str(exc)
    # the page offers 督办 to the secretary, not to the member
    page = login(world.secretary_a).get(f"/vanguard/{project.pk}/").content.decode()
    assert f'data-testid="urge-{milestone.pk}"' in page
    assert 'data-testid="urge-' not in login(world.activist_a).get(f"/vanguard/{project.pk}/").content.decode()
    refused = login(world.secretary_b).post(
        f"/vanguard/{project.pk}/milestones/{milestone.pk}/urge/", {"comment": "请尽快完成"}
    )
    assert refused.status_code == 404  # another branch's project is not there for it
