"""工匠工作室: studios and achievements counted per year, 绝活 named after their creator and searchable, the
honours registry, 师带徒 sign-offs (mentor, then studio leader; refusals with reasons), monthly check-ins and
the missed-check-in sweep, scoping of pairs."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plaza.notify.models import Reminder, Task
from plaza.studios import queries, services
from plaza.studios.models import AchievementKind, CraftLearner, PairStatus, PatentType, SkillState
from plaza.studios.sweep import check_in_sweep


@pytest.fixture
def studio(world):
    return services.create_studio(
        world.staff,
        world.general_branch,
        services.StudioData("东岳动力总成装调工匠创新(孵化)工作室", "craftsman", "发动机装调", "", date(2018, 5, 1)),
        leader=world.secretary_a,
    )


@pytest.fixture
def pair(world, studio):
    return services.create_pair(
        world.staff,
        studio,
        mentor=world.member_a,
        apprentice=world.activist_a,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 31),
        goals="掌握缸盖装配和拧紧工艺",
        skills=[("缸盖装配", date(2026, 4, 30)), ("拧紧工艺", date(2026, 8, 31))],
    )


def test_achievements_are_counted_and_charted_per_year(world, studio):
    services.add_achievement(
        world.secretary_a,
        studio,
        kind=AchievementKind.PATENT,
        title="一种缸盖拧紧定位工装",
        achieved_on=date(2024, 6, 1),
        patent_type=PatentType.UTILITY,
        number="ZL202420000001.1",
        evidence=SimpleUploadedFile("证书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    services.add_achievement(
        world.secretary_a, studio, kind=AchievementKind.PROJECT, title="装调线防错改造", achieved_on=date(2025, 3, 1)
    )
    services.add_achievement(
        world.secretary_a,
        studio,
        kind=AchievementKind.GRADE,
        title="张建国 取得高级技师",
        achieved_on=date(2025, 9, 1),
        person=world.member_a,
    )
    with pytest.raises(ValidationError, match="专利号"):
        services.add_achievement(
            world.secretary_a, studio, kind=AchievementKind.PATENT, title="无号专利", achieved_on=date(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.add_achievement(
            world.member_b, studio, kind=AchievementKind.PROJECT, title="外人登记", achieved_on=date(2025, 1, 1)
        )
    figures = queries.figures(studio)
    assert (figures.utility_patents, figures.projects, figures.senior_technicians) == (1, 1, 1)
    chart = queries.by_year(studio.achievements.all())
    assert chart["years"] == ["2024", "2025"] and chart["patent"] == [1, 0] and chart["project"] == [0, 1]


def test_craft_is_named_after_its_creator_and_searchable(world, studio, login):
    with pytest.raises(ValidationError, match="名称中须含“张建国”"):
        services.save_craft(
            world.secretary_a,
            name="快速拧紧法",
            kind="method",
            creator=world.member_a,
            studio=studio,
            description="三步定位、对角拧紧，缸盖一次合格",
            used_in="缸盖装配工位",
        )
    craft = services.save_craft(
        world.secretary_a,
        name="张建国拧紧法",
        kind="method",
        creator=world.member_a,
        studio=studio,
        description="三步定位、对角拧紧，缸盖一次合格",
        used_in="缸盖装配工位",
    )
    services.record_learner(world.secretary_a, craft, world.activist_a)
    assert list(queries.crafts(world.employee, "对角 拧紧")) == [craft]
    assert list(queries.crafts(world.employee, "喷涂")) == []
    page = login(world.employee).get("/studios/crafts/?q=缸盖")
    assert page.status_code == 200 and "张建国拧紧法" in page.content.decode()
    api = login(world.employee).get("/api/v1/studios/crafts?q=张建国")
    assert api.json()["count"] == 1


def test_honours_on_a_person_and_an_organisation_page(world, login):
    services.add_honour(
        world.staff,
        person=world.member_a,
        kind="craftsman",
        level="company",
        title="上汽通用汽车工匠",
        awarded_on=date(2025, 4, 28),
    )
    services.add_honour(
        world.staff,
        organisation=world.branch_a,
        kind="pioneer",
        level="national",
        title="全国工人先锋号",
        awarded_on=date(2024, 4, 28),
    )
    with pytest.raises(PermissionDenied):
        services.add_honour(
            world.secretary_b,
            person=world.member_a,
            kind="other",
            level="company",
            title="越权",
            awarded_on=date(2025, 1, 1),
        )
    client = login(world.employee)
    assert "上汽通用汽车工匠" in client.get(f"/studios/honours/person/{world.member_a.pk}/").content.decode()
    assert "全国工人先锋号" in client.get(f"/studios/honours/organisation/{world.branch_a.pk}/").content.decode()


def test_skills_are_signed_by_the_mentor_then_the_studio_leader(world, pair):
    first, _second = pair.skills.all()
    with pytest.raises(PermissionDenied, match="须先由师傅签认"):
        services.sign_skill(world.secretary_a, first)  # the leader before the mentor
    with pytest.raises(PermissionDenied):
        services.sign_skill(world.activist_a, first)  # the apprentice signs nothing
    services.sign_skill(world.member_a, first)
    first.refresh_from_db()
    assert first.state == SkillState.MENTOR_SIGNED
    assert Task.objects.filter(assignee=world.secretary_a, source_type=services.SIGN_SOURCE, done_at=None).exists()
    with pytest.raises(PermissionDenied, match="工作室领办人"):
        services.sign_skill(world.member_a, first)  # the mentor cannot sign twice
    services.sign_skill(world.secretary_a, first)
    first.refresh_from_db()
    assert first.state == SkillState.SIGNED
    with pytest.raises(ValidationError, match="已签认完毕"):
        services.sign_skill(world.secretary_a, first)


def test_refusals_need_a_reason_and_send_the_skill_back(world, pair):
    skill = pair.skills.first()
    services.sign_skill(world.member_a, skill)
    with pytest.raises(ValidationError, match="原因"):
        services.refuse_skill(world.secretary_a, skill, reason="")
    services.refuse_skill(world.secretary_a, skill, reason="扭矩记录不全，需补练")
    skill.refresh_from_db()
    assert skill.state == SkillState.LEARNING and skill.refusal == "扭矩记录不全，需补练"
    assert skill.refused_by == world.secretary_a
    with pytest.raises(PermissionDenied):
        services.refuse_skill(world.secretary_a, skill, reason="现在轮不到领办人")


def test_finishing_needs_every_skill_signed_and_records_results(world, studio, pair):
    craft = services.save_craft(
        world.staff,
        name="刘昭涛密封检测法",
        kind="technique",
        creator=world.secretary_a,
        studio=studio,
        description="气密检测前的三点确认，减少误判",
        used_in="试漏工位",
    )
    with pytest.raises(ValidationError, match="尚未签认"):
        services.finish_pair(world.staff, pair, result="顺利出师")
    for skill in pair.skills.all():
        services.sign_skill(world.member_a, skill)
        services.sign_skill(world.secretary_a, skill)
    services.finish_pair(world.staff, pair, result="独立完成缸盖装配", grade_gained="高级工", crafts=[craft])
    pair.refresh_from_db()
    assert pair.status == PairStatus.FINISHED
    assert CraftLearner.objects.filter(craft=craft, person=world.activist_a).exists()
    assert studio.achievements.filter(kind=AchievementKind.GRADE, person=world.activist_a).exists()


def test_check_ins_by_both_and_the_missed_check_in_sweep(world, pair, committed):
    services.check_in(world.member_a, pair, month=date(2026, 2, 1), text="本月讲解缸盖装配要点，现场示范三次")
    with pytest.raises(ValidationError, match="已记录过"):
        services.check_in(world.member_a, pair, month=date(2026, 2, 10), text="再记一次本月的带教情况")
    with pytest.raises(PermissionDenied):
        services.check_in(world.secretary_b, pair, month=date(2026, 2, 1), text="我不是师傅也不是徒弟")
    # within the grace days nothing is due; after them the apprentice (who wrote nothing) is reminded, once
    assert check_in_sweep(date(2026, 3, 5)) == {"reminded": 0}
    assert check_in_sweep(date(2026, 3, 6)) == {"reminded": 1}
    assert check_in_sweep(date(2026, 3, 7)) == {"reminded": 0}
    assert Reminder.objects.filter(dedupe_key__startswith=f"studios:check_in:{pair.pk}:2026-02").count() == 1
    task = Task.objects.get(assignee=world.activist_a, source_type=services.CHECK_IN_SOURCE)
    services.check_in(world.activist_a, pair, month=date(2026, 2, 1), text="学会缸盖装配的定位和拧紧顺序")
    task.refresh_from_db()
    assert task.done_at is not None


def test_pairs_are_seen_by_their_people_and_studio_staff_only(world, pair, login):
    assert queries.pair_for(world.activist_a, pair.pk) == pair
    assert queries.pair_for(world.secretary_a, pair.pk) == pair  # the studio's leader
    assert queries.pair_for(world.member_b, pair.pk) is None
    assert login(world.member_b).get(f"/studios/pairs/{pair.pk}/").status_code == 404
    assert login(world.member_b).get(f"/api/v1/studios/pairs/{pair.pk}").status_code == 404
    assert login(world.activist_a).get(f"/api/v1/studios/pairs/{pair.pk}").json()["mentor"] == world.member_a.name


@pytest.mark.parametrize("who", ["staff", "secretary_a", "member_a", "activist_a", "employee"])
def test_pages_render_for_each_role(world, studio, pair, login, who):
    client = login(getattr(world, who))
    for url in ("/studios/", f"/studios/{studio.pk}/", "/studios/crafts/", "/studios/honours/", "/studios/pairs/"):
        assert client.get(url).status_code == 200, url
    stats = client.get("/studios/pairs/stats/")
    # statistics are for the studio's leader and the staff; others are told why (QA of issue 19)
    assert stats.status_code == (200 if who in ("staff", "secretary_a") else 403)
    if who == "staff":
        assert client.get("/studios/pairs/stats/?format=xlsx").status_code == 200
