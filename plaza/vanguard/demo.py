"""Demo data of 支部先锋行动 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The seed article's story: "公司党委深化开展支部先锋行动，聚焦数字化转型、智能网联开发等重点与难点工作". The demo
secretary sj001 (刘昭涛, 装调车间党支部 under 东岳动力总成党总支) runs a 数字化转型 project together with the
机加车间 branch — one of its milestones is late and has been reported to him; the 奥特能 team's 电动化 project is
closed and reviewed by the 组织部 (zzb001), with points and honours; a 智能网联 service project is under way and
another is waiting for review. The 装调车间 has 党员先锋岗 and 责任区 with their commitments, reviewed last year.
Everything is written through the services, as people would."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from plaza.accounts.models import Person, PoliticalStatus
from plaza.lib import clock
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree

from . import services
from .models import Grade, PostKind, PostRating, Role
from .sweep import vanguard_sweep

PARTY = (PoliticalStatus.FULL_MEMBER, PoliticalStatus.PROBATIONARY)


def _branch(*names: str) -> Organisation | None:
    for name in names:
        found = Organisation.objects.filter(level=Level.BRANCH, name__contains=name).order_by("path").first()
        if found is not None:
            return found
    return None


def _secretary(branch: Organisation) -> Person | None:
    position = (
        Position.objects.current().filter(organisation=branch, title=Title.SECRETARY).select_related("person").first()
    )
    return position.person if position else None


def _members(branch: Organisation, n: int, rng: random.Random, exclude: set[int]) -> list[Person]:
    ids = list(
        Membership.objects.current()
        .filter(organisation__path__startswith=branch.path, tree=Tree.PARTY, person__political_status__in=PARTY)
        .exclude(person_id__in=exclude)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    picked = rng.sample(ids, min(n, len(ids)))
    by_id = Person.objects.in_bulk(picked)
    return [by_id[pk] for pk in picked]


def _photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG", quality=70)
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


def _project(
    secretary: Person,
    branch: Organisation,
    *,
    title: str,
    kind: str,
    theme: str,
    goal: str,
    starts: date,
    ends: date,
    lead: Person,
    team: list[Person],
    targets: list[tuple[str, str, str]],
    milestones: list[tuple[str, date, bool]],
    partners: list[Organisation] | None = None,
    progress: Sequence[str] = (),
    today: date,
) -> Any:
    project = services.start_project(
        secretary,
        branch,
        services.ProjectData(title, kind, theme, goal, starts, ends),
        lead=lead,
        partners=partners or [],
    )
    for person in team:
        if person.pk != lead.pk:
            services.add_member(secretary, project, person, role=Role.CORE, duty="")
    for name, unit, value in targets:
        services.add_target(secretary, project, name=name, unit=unit, target_value=Decimal(value))
    people = [lead, *team]
    for n, (step, due, done) in enumerate(milestones):
        milestone = services.add_milestone(
            secretary, project, title=step, due_on=due, owner=people[n % len(people)], today=starts
        )
        if done:
            services.complete_milestone(secretary, milestone, on=min(due, today))
    for n, text in enumerate(progress):
        photos = [_photo((180 - 30 * n, 40, 40))] if n == 0 else []
        services.log_progress(people[n % len(people)], project, text=text, photos=photos)
    return project


@transaction.atomic  # one transaction: the services' own become savepoints (no commit per act)
def seed_demo_vanguard(*, seed: int) -> None:
    """Writes the projects, posts and their reviews (see the module's docstring)."""
    rng = random.Random(seed * 19)
    today = clock.today()
    zhuangtiao = _branch("装调车间")
    if zhuangtiao is None:
        return
    secretary = Person.objects.filter(employee_no="sj001").first() or _secretary(zhuangtiao)
    reviewer = Person.objects.filter(employee_no="zzb001").first()
    if secretary is None or reviewer is None:
        return
    used: set[int] = {secretary.pk}
    dy001 = Person.objects.filter(employee_no="dy001").first()
    team = _members(zhuangtiao, 3, rng, used | ({dy001.pk} if dy001 else set()))
    lead = dy001 or team[0]
    used |= {p.pk for p in team} | {lead.pk}
    jijia = _branch("机加车间")
    partners = [jijia] if jijia is not None else []

    # 1. 数字化转型, with a partner branch; one milestone is late and gets escalated by the sweep below
    _project(
        secretary,
        zhuangtiao,
        title="装调线数字化质量追溯攻关",
        kind="breakthrough",
        theme="digital",
        goal="打通装调线拧紧、试漏数据的自动采集，关键工序质量数据可追溯，一次交检合格率提升到 98.5% 以上。",
        starts=today - timedelta(days=120),
        ends=today + timedelta(days=90),
        lead=lead,
        team=team + (_members(jijia, 1, rng, used) if jijia else []),
        targets=[("一次交检合格率", "%", "98.5"), ("关键工序数据采集率", "%", "100"), ("质量追溯时间", "分钟", "5")],
        milestones=[
            ("完成数据采集方案评审", today - timedelta(days=90), True),
            ("拧紧工位数据接入", today - timedelta(days=45), True),
            ("试漏工位数据接入", today - timedelta(days=16), False),
            ("追溯看板上线试运行", today + timedelta(days=40), False),
        ],
        partners=partners,
        progress=[
            "拧紧工位 12 台拧紧枪数据已全部接入，现场照片见附件。",
            "机加车间党员骨干协助完成缸体号与发动机号的绑定规则。",
            "试漏设备通讯协议与供应商联调中，等待新版接口文件。",
        ],
        today=today,
    )

    # 2. 电动化, closed and reviewed: 奥特能 电驱 assembly
    ev_branch = _branch("奥特能", "Opex", "总装车间")
    if ev_branch is not None:
        ev_secretary = _secretary(ev_branch)
        ev_team = _members(ev_branch, 4, rng, used)
        if ev_secretary is not None and ev_team:
            used |= {p.pk for p in ev_team}
            ev = _project(
                ev_secretary,
                ev_branch,
                title="奥特能电驱系统装配工艺创新",
                kind="innovation",
                theme="electric",
                goal="围绕新一代电驱系统平台的性能、成本和质量挑战目标，优化电驱总成装配工艺，攻克制造稳定性难点。",
                starts=today - timedelta(days=300),
                ends=today - timedelta(days=30),
                lead=ev_team[0],
                team=ev_team[1:],
                targets=[
                    ("装配节拍", "秒/台", "90"),
                    ("电驱总成一次合格率", "%", "99"),
                    ("单台装配成本降低", "元", "120"),
                ],
                milestones=[
                    ("工艺方案评审", today - timedelta(days=250), True),
                    ("防错工装验证", today - timedelta(days=150), True),
                    ("批量稳定生产", today - timedelta(days=60), True),
                ],
                progress=["电驱总成装配防错工装完成验证，节拍由 110 秒缩短到 88 秒。"],
                today=today,
            )
            targets = {t.pk: v for t, v in zip(ev.targets.all(), ("88", "99.3", "136"), strict=True)}
            services.submit_results(
                ev_secretary,
                ev,
                achieved={pk: Decimal(v) for pk, v in targets.items()},
                result="装配节拍缩短到 88 秒/台，一次合格率 99.3%，单台降本 136 元，支撑多款纯电动车型密集启动。",
                savings=Decimal("86.40"),
                value="形成电驱装配标准作业 12 项，培养党员骨干 4 名。",
            )
            services.review(
                reviewer,
                ev,
                grade=Grade.EXCELLENT,
                comment="目标全部超额完成，党员骨干作用突出，予以表彰。",
                points_each=30,
            )

    # 3. 智能网联, under way, on track; 4. 数字化转型, waiting for the committee's review
    for names, title, theme, kind, goal, submitted in (
        (
            ("物流和采购", "计划物流", "质量保证部"),
            "智能网联供应商协同服务",
            "connected",
            "service",
            "和使用新技术、新材料、新设计的新供应商一起尽早突破瓶颈问题，提高供应链的韧性和安全水平。",
            False,
        ),
        (
            ("机加车间", "铸造车间"),
            "机加班组数字化看板",
            "digital",
            "innovation",
            "以数字化看板实时展示机加班组产量、质量和设备状态，减少纸质记录，问题响应时间缩短一半。",
            True,
        ),
    ):
        branch = _branch(*names)
        officer = _secretary(branch) if branch is not None else None
        people = _members(branch, 3, rng, used) if branch is not None else []
        if branch is None or officer is None or not people:
            continue
        used |= {p.pk for p in people}
        project = _project(
            officer,
            branch,
            title=title,
            kind=kind,
            theme=theme,
            goal=goal,
            starts=today - timedelta(days=150),
            ends=today + timedelta(days=60 if not submitted else -5),
            lead=people[0],
            team=people[1:],
            targets=[("问题响应时间", "小时", "4")],
            milestones=[
                ("现状调研", today - timedelta(days=120), True),
                ("方案实施", today - timedelta(days=20), True),
                ("效果评估", today + timedelta(days=30) if not submitted else today - timedelta(days=8), submitted),
            ],
            progress=["完成现状调研，梳理出 6 个主要瓶颈问题。"],
            today=today,
        )
        if submitted:
            services.submit_results(
                officer,
                project,
                achieved={t.pk: Decimal("3.5") for t in project.targets.all()},
                result="数字化看板在 4 个班组上线，问题平均响应时间由 8 小时缩短到 3.5 小时。",
                savings=Decimal("12.00"),
            )

    # 党员先锋岗 and 责任区 of the 装调车间, reviewed last year
    holders = [p for p in [lead, *team] if p.political_status in PARTY][:3]
    for n, person in enumerate(holders):
        post = services.save_post(
            secretary,
            zhuangtiao,
            kind=PostKind.POST if n < 2 else PostKind.AREA,
            name=("缸盖装配党员先锋岗", "试漏工位党员先锋岗", "装调二线党员责任区")[n],
            holder=person,
            scope=("缸盖装配工位", "试漏工位", "装调二线 1-8 号工位")[n],
            commitment=(
                "急难险重党员先上，新车型上量中带头攻坚，本岗位一次交检合格率不低于 98.5%。",
                "严守试漏标准作业，每班点检不漏项，发现问题第一时间处置并分享经验。",
                "责任区内安全无事故、质量零流出、现场 6S 达标，帮带新员工 2 名。",
            )[n],
            since=date(today.year - 1, 3, 1),
        )
        services.review_post(secretary, post, year=today.year - 1, rating=PostRating.KEPT, comment="承诺践行良好")

    vanguard_sweep(today)
