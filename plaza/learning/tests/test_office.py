"""The back office: each staff member manages only what lies inside their scope; resources and plans can be
withdrawn and restored; old reading sessions are cleaned up by the daily pass."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.learning import queries, services
from plaza.learning.models import PlanKind, ReadingSession
from plaza.notify.models import Task
from plaza.testing.factories import PersonFactory, Title, appoint, join

from .helpers import article


@pytest.fixture
def branch_staff(world):
    """组织部 staff of the 党总支 (general branch): branch A lies under it, branch B does not."""
    person = PersonFactory(employee_no="S0100", name="钱总支", political_status=PoliticalStatus.FULL_MEMBER)
    join(person, world.general_branch)
    appoint(person, world.general_branch, Title.ORG_DEPT_STAFF)
    return person


def _resource(actor, title, to=()):
    return services.save_resource(
        actor,
        None,
        {
            "title": title,
            "description": "",
            "category": None,
            "organisations": list(to),
            "file": SimpleUploadedFile("form.docx", b"docx"),
        },
    )


def _plan(actor, title, to=(), days=30):
    today = timezone.localdate()
    return services.save_plan(
        actor,
        None,
        {
            "title": title,
            "kind": PlanKind.THEME,
            "description": "",
            "starts_on": today,
            "ends_on": today + timedelta(days=days),
            "organisations": list(to),
        },
    )


@pytest.fixture
def content(world, branch_staff):
    """One article, resource and plan for everyone, for branch B, for branch A, and for both A and B."""
    made = {}
    for key, to in (
        ("all", []),
        ("b", [world.branch_b]),
        ("a", [world.branch_a]),
        ("ab", [world.branch_a, world.branch_b]),
    ):
        made[f"article_{key}"] = article(world, f"文章-{key}", to=to)
        made[f"resource_{key}"] = _resource(world.staff, f"资料-{key}", to)
        made[f"plan_{key}"] = _plan(world.staff, f"计划-{key}", to)
    return made


def test_enterprise_staff_manage_everything_a_branchs_staff_only_theirs(world, branch_staff, content):
    assert queries.enterprise_wide(world.staff) and queries.enterprise_wide(world.admin)
    assert not queries.enterprise_wide(branch_staff) and not queries.enterprise_wide(world.secretary_a)
    everything = {"all", "b", "a", "ab"}
    for kind, managed in (
        ("article", queries.managed_articles),
        ("resource", queries.managed_resources),
        ("plan", queries.managed_plans),
    ):
        assert set(managed(world.staff)) == {content[f"{kind}_{k}"] for k in everything}
        assert set(managed(world.admin)) == {content[f"{kind}_{k}"] for k in everything}
        assert list(managed(branch_staff)) == [content[f"{kind}_a"]]
        assert not managed(world.secretary_a).exists() and not managed(world.member_a).exists()


def test_a_required_article_reaching_outside_the_scope_is_not_the_branchs(world, branch_staff):
    mine = article(world, "总支必学", to=[world.branch_a], required_for=[world.branch_a])
    theirs = article(world, "全委必学", to=[world.branch_a], required_for=[world.branch_a, world.branch_b])
    assert list(queries.managed_articles(branch_staff)) == [mine]
    assert theirs in queries.managed_articles(world.staff)


def test_office_pages_are_scoped_and_outside_is_404(client, world, branch_staff, content):
    client.force_login(world.staff)
    listing = client.get("/learning/office/").content.decode()
    assert all(f"文章-{k}" in listing for k in ("all", "a", "b", "ab"))
    assert "资料-b" in client.get("/learning/office/resources/").content.decode()
    assert "计划-all" in client.get("/learning/office/plans/").content.decode()

    client.force_login(branch_staff)
    listing = client.get("/learning/office/").content.decode()
    assert "文章-a" in listing and "文章-all" not in listing and "文章-b" not in listing and "文章-ab" not in listing
    resources = client.get("/learning/office/resources/").content.decode()
    assert "资料-a" in resources and "资料-all" not in resources and "资料-b" not in resources
    plans = client.get("/learning/office/plans/").content.decode()
    assert "计划-a" in plans and "计划-all" not in plans and "计划-ab" not in plans

    for key, status in (("a", 200), ("all", 404), ("b", 404), ("ab", 404)):
        a, r, p = content[f"article_{key}"], content[f"resource_{key}"], content[f"plan_{key}"]
        for url in (
            f"/learning/office/articles/{a.pk}/",
            f"/learning/office/articles/{a.pk}/completion/",
            f"/learning/office/resources/{r.pk}/",
            f"/learning/office/plans/{p.pk}/",
            f"/learning/office/plans/{p.pk}/items/new/",
            f"/learning/office/plans/{p.pk}/progress/",
        ):
            assert client.get(url).status_code == status, url
        if status == 404:
            for url in (
                f"/learning/office/articles/{a.pk}/withdraw/",
                f"/learning/office/resources/{r.pk}/withdraw/",
                f"/learning/office/plans/{p.pk}/withdraw/",
            ):
                assert client.post(url).status_code == 404, url
    for obj in (content["article_b"], content["resource_b"], content["plan_b"]):
        obj.refresh_from_db()
        assert obj.withdrawn_at is None

    form = client.get("/learning/office/articles/new/").content.decode()
    assert "装调车间党支部" in form and "物流和采购党支部" not in form and "请至少选择一个组织" in form


def test_a_branchs_staff_publish_and_change_only_inside_their_scope(world, branch_staff, content):
    with pytest.raises(ValidationError, match="不能面向所有人"):
        article(world.__class__(**{**world.__dict__, "staff": branch_staff}), "发给所有人")
    with pytest.raises(ValidationError):
        _resource(branch_staff, "发给所有人")
    with pytest.raises(ValidationError):
        _plan(branch_staff, "发给所有人")
    with pytest.raises(PermissionDenied):
        _plan(branch_staff, "发给物流支部", [world.branch_b])
    mine = _plan(branch_staff, "总支学习计划", [world.branch_a])
    assert mine in queries.managed_plans(branch_staff)
    with pytest.raises(PermissionDenied):
        services.withdraw_article(branch_staff, content["article_all"])
    with pytest.raises(PermissionDenied):
        services.withdraw_resource(branch_staff, content["resource_ab"])
    with pytest.raises(PermissionDenied):  # changing the scope of someone else's plan to one's own is no way in
        services.save_plan(
            branch_staff,
            content["plan_all"],
            {
                "title": "改",
                "kind": PlanKind.THEME,
                "description": "",
                "starts_on": timezone.localdate(),
                "ends_on": timezone.localdate(),
                "organisations": [world.branch_a],
            },
        )
    with pytest.raises(PermissionDenied):
        services.add_item(branch_staff, content["plan_b"], {"title": "x", "due_on": timezone.localdate()})


def test_a_withdrawn_resource_is_neither_listed_nor_downloadable_and_can_come_back(client, world):
    found = _resource(world.staff, "入党志愿书模板")
    client.force_login(world.staff)
    office = client.get("/learning/office/resources/").content.decode()
    assert f"/learning/office/resources/{found.pk}/withdraw/" in office and "data-confirm" in office
    client.post(f"/learning/office/resources/{found.pk}/withdraw/")
    found.refresh_from_db()
    assert found.withdrawn_at is not None
    office = client.get("/learning/office/resources/").content.decode()
    assert "入党志愿书模板" in office and "已撤回" in office and 'name="restore"' in office
    again = client.post(f"/learning/office/resources/{found.pk}/withdraw/", follow=True).content.decode()
    assert "已经撤回" in again

    client.force_login(world.member_a)
    assert "入党志愿书模板" not in client.get("/learning/resources/").content.decode()
    assert client.get(f"/learning/resources/{found.pk}/download/").status_code == 404
    assert "入党志愿书模板" not in client.get("/learning/search/", {"q": "志愿书"}).content.decode()
    assert client.post(f"/learning/office/resources/{found.pk}/withdraw/", {"restore": "1"}).status_code == 403

    client.force_login(world.staff)
    client.post(f"/learning/office/resources/{found.pk}/withdraw/", {"restore": "1"})
    with pytest.raises(ValidationError, match="无需恢复"):
        services.withdraw_resource(world.staff, found, withdraw=False)
    client.force_login(world.member_a)
    assert client.get(f"/learning/resources/{found.pk}/download/").status_code == 200
    entries = AuditEntry.objects.filter(object_id=str(found.pk), action__startswith="learning.resource_")
    assert [(e.action, e.actor_id) for e in entries.order_by("id")] == [
        ("learning.resource_create", world.staff.pk),
        ("learning.resource_withdraw", world.staff.pk),
        ("learning.resource_restore", world.staff.pk),
    ]


def test_a_withdrawn_plan_is_hidden_from_its_members_and_sends_no_reminders(client, world):
    today = timezone.localdate()
    plan = _plan(world.staff, "主题教育读书班", [world.branch_a])
    item = services.add_item(world.staff, plan, {"title": "集中研讨", "due_on": today + timedelta(days=2)})
    assert services.remind_due_items(today) == 3
    open_tasks = Task.objects.filter(source_type=services.PLAN_SOURCE, done_at__isnull=True)
    assert open_tasks.count() == 3

    client.force_login(world.staff)
    client.post(f"/learning/office/plans/{plan.pk}/withdraw/", {"next": "progress"})
    plan.refresh_from_db()
    assert plan.withdrawn_at is not None and not open_tasks.exists()
    progress = client.get(f"/learning/office/plans/{plan.pk}/progress/").content.decode()
    assert 'data-testid="withdrawn"' in progress and 'name="restore"' in progress
    assert "已撤回" in client.get("/learning/office/plans/").content.decode()
    assert services.remind_due_items(today) == 0 and not open_tasks.exists()
    with pytest.raises(ValidationError, match="已撤回"):
        services.add_item(world.staff, plan, {"title": "再加一项", "due_on": today})

    client.force_login(world.member_a)
    assert "主题教育读书班" not in client.get("/learning/plans/").content.decode()
    assert client.get(f"/learning/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/learning/plans/{plan.pk}/items/{item.pk}/done/").status_code == 404

    services.withdraw_plan(world.staff, plan, withdraw=False)
    assert client.get(f"/learning/plans/{plan.pk}/").status_code == 200
    assert services.remind_due_items(today) == 3
    assert (
        AuditEntry.objects.filter(
            object_id=str(plan.pk), action__in=["learning.plan_withdraw", "learning.plan_restore"], actor=world.staff
        ).count()
        == 2
    )


def test_a_plan_item_whose_resource_is_withdrawn_is_not_reminded_until_it_is_back(world):
    today = timezone.localdate()
    plan = _plan(world.staff, "发展党员工作学习", [world.branch_a])
    form = _resource(world.staff, "入党志愿书填写说明", [world.branch_a])
    services.add_item(world.staff, plan, {"title": "读填写说明", "resource": form, "due_on": today + timedelta(days=2)})
    open_tasks = Task.objects.filter(source_type=services.PLAN_SOURCE, done_at__isnull=True)
    assert services.remind_due_items(today) == 3 and open_tasks.count() == 3

    services.withdraw_resource(world.staff, form)
    assert not open_tasks.exists() and services.remind_due_items(today) == 0
    services.withdraw_resource(world.staff, form, withdraw=False)
    assert services.remind_due_items(today) == 3 and open_tasks.count() == 3


def test_a_withdrawn_required_article_sends_no_reminders(world):
    due = timezone.localdate() + timedelta(days=3)
    found = article(world, "必学：党章", to=[world.branch_a], required=True, due_on=due)
    open_tasks = Task.objects.filter(source_type=services.REQUIRED_SOURCE, done_at__isnull=True)
    assert open_tasks.count() == 3
    services.withdraw_article(world.staff, found)
    assert not open_tasks.exists() and services.remind_due_items() == 0
    with pytest.raises(ValidationError, match="已经撤回"):
        services.withdraw_article(world.staff, found)
    services.withdraw_article(world.staff, found, withdraw=False)
    assert open_tasks.count() == 3


def test_old_reading_sessions_are_deleted_in_one_statement(world, settings):
    found = article(world)
    now = timezone.now()

    def session(started_days_ago, finished_days_ago=None):
        return ReadingSession.objects.create(
            person=world.member_a,
            article=found,
            started_at=now - timedelta(days=started_days_ago),
            finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
        )

    open_today = session(0.5)
    open_yesterday = session(1.5)
    finished_recently = session(100, 100)
    finished_long_ago = session(200, 199)
    started_long_ago_finished_recently = session(190, 170)
    with CaptureQueriesContext(connection) as queries_run:
        assert services.purge_reading_sessions(now) == 2
    assert sum(q["sql"].lstrip().upper().startswith("DELETE") for q in queries_run.captured_queries) == 1
    kept = set(ReadingSession.objects.values_list("pk", flat=True))
    assert kept == {open_today.pk, finished_recently.pk, started_long_ago_finished_recently.pk}
    assert open_yesterday.pk not in kept and finished_long_ago.pk not in kept

    settings.PLAZA_LEARNING_SESSION_KEEP_DAYS = 30
    assert services.purge_reading_sessions(now) == 2
    assert set(ReadingSession.objects.values_list("pk", flat=True)) == {open_today.pk}


def test_the_daily_pass_reminds_and_cleans_up(world):
    from plaza.core.scheduler import daily_jobs

    found = article(world)
    ReadingSession.objects.create(person=world.member_a, article=found, started_at=timezone.now() - timedelta(days=2))
    job = dict(daily_jobs())["learning"]
    assert "1 reading sessions deleted" in job(timezone.localdate())
    assert not ReadingSession.objects.exists()


def test_a_required_article_from_above_is_followed_by_the_branchs_staff_among_their_own_people(
    client, world, branch_staff
):
    due = timezone.localdate() + timedelta(days=5)
    everyone = article(world, "全体党员必学：党章", required=True, due_on=due)
    for_b = article(world, "物流支部必学", to=[world.branch_b], required=True, due_on=due)
    assert everyone in queries.followed_articles(branch_staff) and for_b not in queries.followed_articles(branch_staff)
    assert everyone not in queries.managed_articles(branch_staff)  # followed, not theirs to change

    client.force_login(branch_staff)
    office = client.get("/learning/office/").content.decode()
    assert 'data-testid="from-above"' in office and "全体党员必学：党章" in office and "物流支部必学" not in office
    page = client.get(f"/learning/office/articles/{everyone.pk}/completion/")
    assert page.status_code == 200
    names = page.content.decode()
    assert "张建国" in names and "李红梅" not in names  # branch A's people only: branch B is outside the 总支
    assert client.get(f"/learning/office/articles/{for_b.pk}/completion/").status_code == 404
    assert client.get(f"/learning/office/articles/{everyone.pk}/").status_code == 404  # editing stays above
