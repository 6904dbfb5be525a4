"""支部先锋行动: starting, scoping (a branch sees its own projects, a joint project each partner, another branch
gets 404), milestone reminders and escalation by explicit dates, closing and the committee's review with its
recognition, progress with photos, 先锋岗 reviews."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaza.notify.models import Notification, Reminder, Task
from plaza.points.models import Entry
from plaza.studios.models import Honour
from plaza.testing.factories import PersonFactory, join
from plaza.vanguard import queries, services
from plaza.vanguard.models import Grade, Milestone, PostKind, Status
from plaza.vanguard.sweep import vanguard_sweep

START = date(2026, 3, 2)  # a Monday
GOAL = "装调线数据自动采集，一次交检合格率提升"


def levels(result: dict[str, int]) -> tuple[int, int]:
    """(reported to secretaries, reported to the committee) of one daily pass."""
    return result["secretary"], result["committee"]


def make_project(world, *, partners=(), actor=None, title="数字化装调线攻关"):
    return services.start_project(
        actor or world.secretary_a,
        world.branch_a,
        services.ProjectData(title, "breakthrough", "digital", GOAL, START, date(2026, 6, 30)),
        lead=world.member_a,
        partners=list(partners),
    )


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 20, 20)).save(out, format="JPEG")
    return out.getvalue()


def test_secretary_starts_a_project_and_the_lead_is_its_first_member(world):
    project = make_project(world)
    assert project.status == Status.ACTIVE
    assert [m.person for m in project.members.all()] == [world.member_a]


def test_another_branch_cannot_start_a_project_for_a_branch(world):
    with pytest.raises(PermissionDenied):
        make_project(world, actor=world.secretary_b)


def test_the_lead_must_belong_to_an_owning_branch(world):
    with pytest.raises(ValidationError, match="负责人须是本支部或合作支部的党员"):
        services.start_project(
            world.secretary_a,
            world.branch_a,
            services.ProjectData("电动化工艺创新", "innovation", "electric", GOAL, START, START),
            lead=world.member_b,
        )


def test_scoping_own_branch_partner_branch_and_another_branch(world, login):
    own = make_project(world)
    joint = make_project(world, partners=[world.branch_b], title="智能网联联合攻关")
    # members of branch A see both; branch B sees only the joint one; the other is a 404 for branch B
    assert set(queries.visible_projects(world.activist_a)) == {own, joint}
    assert set(queries.visible_projects(world.member_b)) == {joint}
    assert queries.project_for(world.secretary_b, own.pk) is None
    client = login(world.secretary_b)
    assert client.get(f"/vanguard/{own.pk}/").status_code == 404
    assert client.get(f"/vanguard/{joint.pk}/").status_code == 200
    assert services.may_manage(world.secretary_b, joint)  # a partner's secretary works on it too
    assert not services.may_manage(world.secretary_b, own)
    assert client.get("/api/v1/vanguard/projects").json()["count"] == 1


def test_milestone_gives_a_todo_and_a_reminder_before_its_date(world):
    project = make_project(world)
    milestone = services.add_milestone(
        world.member_a, project, title="完成数据采集方案", due_on=date(2026, 3, 16), owner=world.member_a, today=START
    )
    task = Task.objects.get(source_type=services.MILESTONE_SOURCE, source_id=str(milestone.pk))
    assert task.assignee == world.member_a and task.due_on == date(2026, 3, 16)
    reminder = Reminder.objects.get(dedupe_key=f"vanguard:milestone:{milestone.pk}:due")
    assert reminder.due_at.date() == date(2026, 3, 11)  # three working days before Monday the 16th
    services.complete_milestone(world.member_a, milestone, on=date(2026, 3, 13))
    task.refresh_from_db()
    reminder.refresh_from_db()
    assert task.done_at is not None and reminder.cancelled_at is not None


def test_late_milestone_escalates_to_the_secretary_then_the_committee_once_each(world, committed):
    project = make_project(world)
    milestone = services.add_milestone(
        world.secretary_a, project, title="样机验证", due_on=date(2026, 3, 6), owner=world.member_a, today=START
    )
    with committed():
        assert levels(vanguard_sweep(date(2026, 3, 6))) == (0, 0)  # due today: not late
        assert levels(vanguard_sweep(date(2026, 3, 9))) == (1, 0)  # Monday: 1 working day late
        assert levels(vanguard_sweep(date(2026, 3, 9))) == (0, 0)  # idempotent
    milestone.refresh_from_db()
    assert milestone.escalation == 1
    assert Task.objects.filter(assignee=world.secretary_a, source_id=str(milestone.pk), done_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.secretary_a, title__contains="样机验证").exists()
    assert not Notification.objects.filter(recipient=world.staff, title__contains="样机验证").exists()
    with committed():
        # 10 working days late on 2026-03-20
        assert levels(vanguard_sweep(date(2026, 3, 19))) == (0, 0)
        assert levels(vanguard_sweep(date(2026, 3, 20))) == (0, 1)
        assert levels(vanguard_sweep(date(2026, 3, 25))) == (0, 0)
    assert Notification.objects.filter(recipient=world.staff, title__contains="样机验证").exists()


def test_a_missed_week_reports_both_levels_in_order(world):
    project = make_project(world)
    services.add_milestone(
        world.secretary_a, project, title="方案评审", due_on=date(2026, 3, 6), owner=world.member_a, today=START
    )
    assert levels(vanguard_sweep(date(2026, 4, 30))) == (1, 1)
    assert Milestone.objects.get().escalation == 2


def test_done_milestones_and_closed_projects_do_not_escalate(world):
    project = make_project(world)
    milestone = services.add_milestone(
        world.secretary_a, project, title="方案评审", due_on=date(2026, 3, 6), owner=world.member_a, today=START
    )
    services.complete_milestone(world.member_a, milestone, on=date(2026, 3, 10))
    assert levels(vanguard_sweep(date(2026, 4, 30))) == (0, 0)


def _ready_to_close(world):
    project = make_project(world)
    target = services.add_target(world.member_a, project, name="一次交检合格率", unit="%", target_value=Decimal("98.5"))
    services.add_member(world.secretary_a, project, world.activist_a, role="member")
    return project, target


def test_member_logs_progress_with_a_photo_stripped_and_resized(world):
    project, _target = _ready_to_close(world)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg(), content_type="image/jpeg")
    entry = services.log_progress(world.activist_a, project, text="完成 3 号工位数据采集", photos=[upload])
    photo = entry.photos.get()
    assert photo.image.name.endswith(".jpg") and "IMG_0001" not in photo.image.name
    with pytest.raises(ValidationError, match="无法识别这张图片"):
        services.log_progress(world.activist_a, project, text="再传一张", photos=[b"not a picture"])
    with pytest.raises(PermissionDenied):
        services.log_progress(world.member_b, project, text="我不是成员")


def test_results_against_targets_and_committee_review_recognise_people_and_branches(world):
    project, target = _ready_to_close(world)
    with pytest.raises(ValidationError, match="一次交检合格率"):
        services.submit_results(world.member_a, project, achieved={}, result="合格率提升到 98.9%，超额完成")
    services.submit_results(
        world.member_a,
        project,
        achieved={target.pk: Decimal("98.9")},
        result="合格率提升到 98.9%，超额完成目标",
        savings=Decimal("35.5"),
    )
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED
    assert Task.objects.filter(assignee=world.staff, source_type=services.REVIEW_SOURCE).exists()
    with pytest.raises(PermissionDenied, match="党委组织部"):
        services.review(world.secretary_a, project, grade=Grade.EXCELLENT, comment="自己评自己")
    services.review(world.staff, project, grade=Grade.EXCELLENT, comment="成效显著，予以表彰", points_each=20)
    project.refresh_from_db()
    assert project.status == Status.CLOSED
    assert Entry.objects.filter(source_type="vanguard").count() == 2
    assert set(Honour.objects.filter(person__isnull=False).values_list("person", flat=True)) == {
        world.member_a.pk,
        world.activist_a.pk,
    }
    assert Honour.objects.get(organisation=world.branch_a).title.endswith("数字化装调线攻关")
    with pytest.raises(ValidationError, match="不在待评审状态"):
        services.review(world.staff, project, grade=Grade.GOOD, comment="再评一次")
    # recognition is idempotent by key: repeating it adds nothing
    services._recognise(project, [world.member_a], 20, on=date(2026, 7, 1))
    assert Entry.objects.filter(source_type="vanguard").count() == 2


def test_returned_review_sends_the_project_back_with_its_reason(world):
    project, target = _ready_to_close(world)
    services.submit_results(
        world.member_a, project, achieved={target.pk: Decimal("97")}, result="合格率提升到 97%，未达目标"
    )
    services.review(world.staff, project, grade=Grade.RETURNED, comment="指标未达成，请补充改进措施")
    project.refresh_from_db()
    assert project.status == Status.ACTIVE and project.review.startswith("指标未达成")
    assert not Honour.objects.exists()


def test_posts_are_public_and_reviewed_once_a_year(world, login):
    post = services.save_post(
        world.secretary_a,
        world.branch_a,
        kind=PostKind.POST,
        name="装调一线党员先锋岗",
        holder=world.member_a,
        scope="装调线 3 号工位",
        commitment="急难险重党员先上，一次交检合格率不低于 98%",
        since=date(2025, 1, 1),
    )
    assert login(world.employee).get(f"/vanguard/posts/{post.pk}/").status_code == 200
    # in January the secretary is asked to review last year's commitment, once; the review closes the to-do
    assert vanguard_sweep(date(2026, 1, 5))["posts"] == 1
    vanguard_sweep(date(2026, 1, 6))
    todo = Task.objects.get(assignee=world.secretary_a, source_type=services.POST_REVIEW_SOURCE)
    assert vanguard_sweep(date(2026, 2, 2))["posts"] == 0
    services.review_post(world.secretary_a, post, year=2025, rating="kept")
    todo.refresh_from_db()
    assert todo.done_at is not None
    with pytest.raises(ValidationError, match="已评议过"):
        services.review_post(world.secretary_a, post, year=2025, rating="kept")
    with pytest.raises(PermissionDenied):
        services.review_post(world.secretary_b, post, year=2026, rating="kept")
    with pytest.raises(ValidationError, match="党员"):
        services.save_post(
            world.secretary_a,
            world.branch_a,
            kind=PostKind.AREA,
            name="责任区",
            holder=world.activist_a,
            scope="装调线",
            commitment="保持现场整洁有序，安全无事故",
            since=date(2025, 1, 1),
        )


@pytest.mark.parametrize("who", ["secretary_a", "member_a", "activist_a", "staff", "employee"])
def test_pages_render_for_each_role(world, login, who):
    project, _target = _ready_to_close(world)
    client = login(getattr(world, who))
    assert client.get("/vanguard/").status_code == 200
    assert client.get("/vanguard/posts/").status_code == 200
    expected = 404 if who == "employee" else 200
    assert client.get(f"/vanguard/{project.pk}/").status_code == expected
    board = client.get("/vanguard/board/")
    assert board.status_code == (200 if who in ("secretary_a", "staff") else 403)


def test_board_and_stats_export(world, login, django_assert_max_num_queries):
    for n in range(3):
        make_project(world, title=f"数字化项目{n}号")
    client = login(world.staff)
    with django_assert_max_num_queries(25):
        assert client.get("/vanguard/board/").status_code == 200
    stats = client.get("/vanguard/stats/")
    assert stats.status_code == 200 and "vanguard-chart" in stats.content.decode()
    export = client.get("/vanguard/stats/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_lists_projects_and_logs_progress(world, login):
    project, _target = _ready_to_close(world)
    client = login(world.activist_a)
    detail = client.get(f"/api/v1/vanguard/projects/{project.pk}")
    assert detail.status_code == 200 and detail.json()["title"] == project.title
    posted = client.post(
        f"/api/v1/vanguard/projects/{project.pk}/progress", {"text": "完成工位改造"}, content_type="application/json"
    )
    assert posted.status_code == 201
    refused = client.post(
        f"/api/v1/vanguard/projects/{project.pk}/progress", {"text": "短"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "至少 4 个字" in refused.json()["detail"]
    other = PersonFactory(employee_no="B0099", name="外支部")
    join(other, world.branch_b)
    assert login(other).get(f"/api/v1/vanguard/projects/{project.pk}").status_code == 404
