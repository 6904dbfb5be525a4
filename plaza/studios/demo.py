"""Demo data of 工匠工作室 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The seed article: 刘昭涛 (the demo secretary sj001, a 班组长 of 东岳动力总成) leads the "东岳动力总成装调工匠创新
(孵化)工作室", which won the "全国工人先锋号", "已培养出6名高级技师，共获得9项国家实用新型专利，完成创新项目33个"
and trained 3 "全国技术能手"; "以职工名字来命名'绝活'"; "师带徒、'匠'带兵". So: that studio with exactly those
figures spread over the years since 2016, 绝活 named after its members (and a tool at 北盛车身), pairs in progress
(dy001 teaching jj001 among them) with check-ins and skills signed, and one pair finished.

The studio is union work (劳模/工匠创新工作室): it is kept by the 东岳动力总成 分工会, created and run by that
union's chair (the company union's chair gh001 may run it too), led by sj001; the 组织部 (zzb001) reads it and
records the people's honours. The studio and its first records go through the services; the 48 achievements
are bulk-written (a demo's history, not people's acts)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree

from . import services
from .models import Achievement, AchievementKind, CheckIn, PatentType, SkillState, StudioKind

STUDIO = "东岳动力总成装调工匠创新(孵化)工作室"
PROJECTS = (
    "缸盖拧紧防错改造",
    "活塞连杆分装工装优化",
    "试漏工位快速换型",
    "凸轮轴装配定位改进",
    "发动机冷试数据分析",
    "油底壳涂胶轨迹优化",
    "正时链条装配防错",
    "气门间隙快速检测",
    "喷油器装配力矩监控",
    "缸体清洁度提升",
    "装调线节拍平衡",
    "热试台架效率提升",
)
PATENTS = (
    "一种缸盖螺栓拧紧定位工装",
    "一种发动机试漏快速密封装置",
    "一种活塞环开口角度检测装置",
    "一种凸轮轴轴承盖拧紧辅助装置",
    "一种油底壳涂胶防错检测装置",
    "一种正时链条张紧器安装工具",
    "一种气门锁夹安装检测装置",
    "一种发动机吊具快换结构",
    "一种喷油器压装力监控装置",
)


def _party_people(organisation: Organisation, n: int, rng: random.Random, exclude: set[int]) -> list[Person]:
    ids = list(
        Membership.objects.current()
        .filter(organisation__path__startswith=organisation.path, tree=Tree.PARTY)
        .exclude(person_id__in=exclude)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    picked = rng.sample(ids, min(n, len(ids)))
    found = Person.objects.in_bulk(picked)
    return [found[pk] for pk in picked]


def _chair(organisation: Organisation) -> Person | None:
    position = (
        Position.objects.current()
        .filter(organisation=organisation, title=Title.UNION_CHAIR)
        .select_related("person")
        .first()
    )
    return position.person if position else None


@transaction.atomic  # one transaction: the services' own become savepoints (no commit per act)
def seed_demo_studios(*, seed: int) -> None:
    """Writes the studio, its figures, 绝活, honours and 师带徒 pairs (see the module's docstring)."""
    rng = random.Random(seed * 23)
    today = clock.today()
    staff = Person.objects.filter(employee_no="zzb001").first()
    leader = Person.objects.filter(employee_no="sj001").first()
    dy001 = Person.objects.filter(employee_no="dy001").first()
    jj001 = Person.objects.filter(employee_no="jj001").first()
    general = Organisation.objects.filter(level=Level.GENERAL_BRANCH, name__startswith="东岳动力总成").first()
    # A 工匠创新工作室 is union work: the studio is kept by the 分工会 of 东岳动力总成, whose chair (and the company
    # union's chair gh001 above it) runs it with its leader; the 组织部 reads it.
    union = Organisation.objects.filter(level=Level.SUB_UNION, name__startswith="东岳动力总成").order_by("path").first()
    chair = _chair(union) if union is not None else None
    chair = chair or Person.objects.filter(employee_no="gh001").first()
    if staff is None or leader is None or general is None or union is None or chair is None:
        return
    studio = services.create_studio(
        chair,
        union,
        services.StudioData(
            STUDIO,
            StudioKind.CRAFTSMAN,
            "发动机装调",
            "紧贴新旧赛道转换的发展趋势，持续进行高技能人才的复制和培养，“使单兵作战成为人才编团”。",
            date(2016, 4, 26),
        ),
        leader=leader,
    )
    used = {leader.pk} | {p.pk for p in (dy001, jj001) if p is not None}
    members = _party_people(general, 11, rng, used)
    if dy001 is not None:
        members.insert(0, dy001)
    for person in members:
        services.add_member(chair, studio, person, role="骨干", joined_on=date(2016 + rng.randint(0, 8), 5, 1))

    # the article's figures: 6 senior technicians, 9 utility-model patents, 33 innovation projects
    rows = []
    for n, person in enumerate(members[:6]):
        rows.append(
            Achievement(
                studio=studio,
                kind=AchievementKind.GRADE,
                title=f"{person.name} 取得高级技师",
                achieved_on=date(2019 + n, 6, 15),
                person=person,
                created_by=chair,
            )
        )
    for n, title in enumerate(PATENTS):
        rows.append(
            Achievement(
                studio=studio,
                kind=AchievementKind.PATENT,
                title=title,
                achieved_on=date(2018 + n * 7 // 9, 3 + n % 9, 10),
                patent_type=PatentType.UTILITY,
                number=f"ZL20{18 + n * 7 // 9}2{20000000 + 417 * n + 11:08d}.{n % 9 + 1}",
                created_by=chair,
            )
        )
    for n in range(33):
        rows.append(
            Achievement(
                studio=studio,
                kind=AchievementKind.PROJECT,
                title=f"{PROJECTS[n % len(PROJECTS)]}（第{n // len(PROJECTS) + 1}期）",
                achieved_on=date(2016 + n * 9 // 33, 1 + n % 12, 20),
                created_by=chair,
            )
        )
    rows.append(
        Achievement(
            studio=studio,
            kind=AchievementKind.AWARD,
            title="全国工人先锋号",
            achieved_on=date(today.year, 4, 28) if today >= date(today.year, 4, 28) else date(today.year - 1, 4, 28),
            created_by=chair,
        )
    )
    Achievement.objects.bulk_create(rows)

    # honours: the studio's 全国工人先锋号, its leader, three 全国技术能手
    awarded = rows[-1].achieved_on
    services.add_honour(
        chair,
        organisation=union,
        kind="pioneer",
        level="national",
        title=f"全国工人先锋号（{STUDIO}）",
        awarded_on=awarded,
        awarded_by="中华全国总工会",
    )
    services.add_honour(
        staff, person=leader, kind="craftsman", level="company", title="上汽通用汽车工匠", awarded_on=awarded
    )
    for n, person in enumerate(members[1:4]):
        services.add_honour(
            staff,
            person=person,
            kind="technician",
            level="national",
            title="全国技术能手",
            awarded_on=date(2019 + 2 * n, 12, 1),
            awarded_by="人力资源和社会保障部",
        )

    # 绝活 named after the people who created them
    crafts = []
    for person, suffix, kind, text, used_in in (
        (
            leader,
            "缸盖拧紧法",
            "method",
            "三步定位、对角分级拧紧，缸盖螺栓一次拧紧合格率提升到 99.8%。",
            "缸盖装配工位",
        ),
        (
            members[1],
            "快速试漏密封法",
            "technique",
            "快换密封头配合压力曲线判读，换型时间由 20 分钟缩短到 5 分钟。",
            "试漏工位",
        ),
        (
            members[2],
            "正时快装工具",
            "tool",
            "自制正时链条张紧快装工具，单台节省 40 秒，避免链条跳齿。",
            "正时系统装配",
        ),
    ):
        crafts.append(
            services.save_craft(
                chair,
                name=f"{person.name}{suffix}",
                kind=kind,
                creator=person,
                studio=studio,
                description=text,
                used_in=used_in,
            )
        )
    beisheng = Organisation.objects.filter(level=Level.BRANCH, name__contains="车身车间").order_by("path").first()
    if beisheng is not None:
        maker = _party_people(beisheng, 1, rng, used | {p.pk for p in members})
        if maker:
            crafts.append(
                services.save_craft(
                    staff,
                    name=f"{maker[0].name}焊点检测卡尺",
                    kind="tool",
                    creator=maker[0],
                    studio=None,
                    description="挂在生产线旁的创新工具：一卡量三点，焊点位置偏差一眼看出。",
                    used_in="车身焊装线",
                )
            )
    for person in members[3:6]:
        services.record_learner(chair, crafts[0], person, learned_on=today - timedelta(days=rng.randint(30, 400)))

    # 师带徒: pairs in progress (dy001 teaches jj001), one finished
    apprentices = ([jj001] if jj001 is not None else []) + _party_people(
        general, 3, rng, used | {p.pk for p in members}
    )
    mentors = [dy001 or members[0], members[1], members[2], members[3]]
    start = date(today.year, 1, 6) if today.month > 3 else date(today.year - 1, 7, 1)
    for n, (mentor, apprentice) in enumerate(zip(mentors, apprentices, strict=False)):
        pair = services.create_pair(
            leader,
            studio,
            mentor=mentor,
            apprentice=apprentice,
            starts_on=start - timedelta(days=200 * (n == 3)),
            ends_on=start + timedelta(days=364),
            goals="跟岗学习发动机装调核心技能，考取高一级技能等级。",
            skills=[
                ("缸盖装配与拧紧", start + timedelta(days=60)),
                ("试漏设备操作与判读", start + timedelta(days=150)),
                ("装调线异常处置", start + timedelta(days=300)),
            ],
        )
        skills = list(pair.skills.all())
        for skill in skills[: 1 + (n == 3) * 2]:
            services.sign_skill(mentor, skill)
            services.sign_skill(leader, skill)
        if n == 1 and len(skills) > 1:
            services.sign_skill(mentor, skills[1])  # waiting for the leader's signature
        check_ins = []
        month = date(pair.starts_on.year, pair.starts_on.month, 1)
        last = date(today.year, today.month, 1)
        while month < last:
            for author in (mentor, apprentice):
                if n == 0 and author == apprentice and month.month == (last - timedelta(days=1)).month:
                    continue  # jj001 has not written last month's check-in: the sweep reminds
                check_ins.append(
                    CheckIn(
                        pair=pair, month=month, author=author, text="本月跟岗学习装调要点，完成实操练习并交流心得。"
                    )
                )
            month = (month + timedelta(days=32)).replace(day=1)
        CheckIn.objects.bulk_create(check_ins)
        if n == 3 and all(s.state == SkillState.SIGNED for s in pair.skills.all()):
            services.finish_pair(
                chair, pair, result="独立承担缸盖装配和试漏工位", grade_gained="高级工", crafts=crafts[:1]
            )
