"""The newest apps' objects for the scoping walk (test_scoping.py): each app's rows on the far side of a boundary
(branch B, another sub-union, another dealer, another League branch), built through the apps' own services, and
the people on the near side who must never reach them.

Every builder returns an ``AppSide``: the ids by parameter name (routes of the app take them), ids for a narrower
route prefix when one name means two rows (a live contest and an ordinary one), and the outsiders who try them.
Each secret text carries ``MARK`` so a page that leaks it is caught by its words as well as its status.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaza.accounts.models import Person, PoliticalStatus
from plaza.activities import services as activities
from plaza.activities.models import Kind as ActivityKind
from plaza.ambassadors import queries as ambassador_queries
from plaza.ambassadors import services as ambassadors
from plaza.ambassadors import sms
from plaza.league import services as league
from plaza.lib import clock
from plaza.quiz import services as quiz
from plaza.quiz.models import Kind as QuestionKind
from plaza.quiz.models import Mistake, Question, Tag
from plaza.retreats import services as retreats
from plaza.space import services as space
from plaza.space.models import SensitiveWord, Space, WordListVersion
from plaza.studios import services as studios
from plaza.studios.models import AchievementKind
from plaza.testing.factories import Level, PersonFactory, Title, add_org, appoint, join
from plaza.testing.fixtures import World
from plaza.union import services as union
from plaza.union.models import Kind as CareKind
from plaza.union.models import Provision
from plaza.vanguard import services as vanguard
from plaza.voice import services as voice
from plaza.voice.models import Category

#: Written into every secret the far side keeps (a name, a title, a text).
MARK = "李红梅"


@dataclass
class AppSide:
    ids: dict[str, Any]
    outsiders: list[Person]
    #: People on the far side: between them every id is reachable (the walk's ids are real rows, not misses).
    insiders: list[Person]
    #: ids for routes under a narrower prefix (``"quiz/live/": {"pk": …}``), looked up before ``ids``.
    narrower: dict[str, dict[str, Any]] = field(default_factory=dict)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scoping walk", content_type="application/pdf")


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


@dataclass
class Unions:
    """The union tree under ``world.union``: sub-union A (chair, worker) and sub-union B (chair, worker)."""

    sub_a: Any
    sub_b: Any
    chair_a: Person
    chair_b: Person
    worker_a: Person
    worker_b: Person


def make_unions(world: World) -> Unions:
    sub_a = add_org(world.union, "东岳动力总成分工会", "U0100", Level.SUB_UNION)
    sub_b = add_org(world.union, "物流和采购分工会", "U0200", Level.SUB_UNION)
    chair_a = PersonFactory(employee_no="U0101", name="钱分会")
    chair_b = PersonFactory(employee_no="U0201", name="孙分会")
    worker_a = PersonFactory(employee_no="W0001", name="周职工")
    worker_b = PersonFactory(employee_no="W0002", name=f"{MARK}职工", birth_date=date(1990, 5, 20))
    for person, org in ((chair_a, sub_a), (chair_b, sub_b), (worker_a, sub_a), (worker_b, sub_b)):
        join(person, org, since=date(2015, 7, 1))
    appoint(chair_a, sub_a, Title.UNION_CHAIR)
    appoint(chair_b, sub_b, Title.UNION_CHAIR)
    for kind, amount, per_year, within in (
        (CareKind.CHILDBIRTH, "800", None, 180),
        (CareKind.TEMPORARY, "5000", 1, None),
    ):
        Provision.objects.create(
            organisation=world.union,
            kind=kind,
            amount=Decimal(amount),
            per_year=per_year,
            apply_within_days=within,
            measure="《工会会员福利待遇》",
            article="第二条",
        )
    for person, chair in ((worker_a, chair_a), (worker_b, chair_b)):
        union.decide_membership(chair, union.apply_to_join(person), approve=True)
    return Unions(sub_a, sub_b, chair_a, chair_b, worker_a, worker_b)


# ------------------------------------------------------------------------------------------ the apps


def quiz_side(world: World) -> AppSide:
    questions = []
    for n in range(1, 4):
        question = Question.objects.create(
            kind=QuestionKind.SINGLE,
            text=f"{MARK}所在支部的第{n}题",
            options=["甲", "乙", "丙", "丁"],
            answer=[1],
            explanation=MARK,
            organisation=world.branch_b,
        )
        question.tags.set([Tag.objects.get_or_create(name="物流")[0]])
        questions.append(question)
    now = clock.now()
    data = dict(
        title=f"{MARK}所在支部的知识竞赛",
        mode="individual",
        organisation=world.branch_b,
        organisations=[world.branch_b],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        draw="fixed",
        question_ids=[q.pk for q in questions],
        seconds=20,
    )
    contest = quiz.create_contest(world.staff, quiz.ContestData(**data))
    quiz.open_contest(world.staff, contest)
    live = quiz.create_contest(world.staff, quiz.ContestData(**{**data, "mode": "live", "title": f"{MARK}现场赛"}))
    item = quiz.next_daily(world.member_b)
    assert item is not None, "branch B's member draws branch B's questions"
    quiz.answer_daily(world.member_b, item, [0])  # wrong: a mistake of 李红梅's
    mistake = Mistake.objects.get(person=world.member_b)
    return AppSide(
        ids={"item_id": item.pk, "mistake_id": mistake.pk, "pk": contest.pk, "question_id": questions[0].pk},
        outsiders=[world.secretary_a, world.member_a],
        insiders=[world.member_b, world.staff],
        narrower={"quiz/live/": {"pk": live.pk, "contest_id": live.pk}},
    )


def voice_side(world: World, unions: Unions) -> AppSide:
    category = Category.objects.create(name="党建与组织生活", owner=world.committee, via_branch=True)
    own = Category.objects.create(name=f"{MARK}支部的类别", owner=world.branch_b, via_branch=False)
    item = voice.file_item(
        world.member_b,
        kind="concern",
        category=category,
        text=f"{MARK}：物流仓库叉车通道照明不足。",
        anonymous=True,
        photos=[jpeg()],
    )
    today = clock.today()
    congress = voice.create_congress(
        unions.chair_b,
        unions.sub_b,
        name=f"{MARK}分工会职代会",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        meets_on=today + timedelta(days=20),
    )
    proposal = voice.file_proposal(
        unions.worker_b,
        congress,
        title=f"{MARK}：延长夜班食堂供餐时间",
        reason="夜班下班时食堂已关",
        suggestion="供餐延长至 22:30",
        one_matter=True,
    )
    return AppSide(
        ids={
            "item_id": item.pk,
            "photo_id": item.photos.get().pk,
            "category_id": own.pk,
            "congress_id": congress.pk,
            "proposal_id": proposal.pk,
        },
        outsiders=[world.secretary_a, world.member_a, unions.chair_a],
        insiders=[world.member_b, world.secretary_b, unions.chair_b, unions.worker_b, world.admin],
    )


def space_side(world: World) -> AppSide:
    SensitiveWord.objects.create(word="暴力", level="block")
    WordListVersion.bump()
    room = Space.objects.create(organisation=world.branch_b, name=f"{MARK}支部空间")
    post = space.create_post(world.member_b, room, f"{MARK}：今天物流支部又有新点子", pictures=[jpeg()])
    return AppSide(
        ids={
            "space_id": room.pk,
            "post_id": post.pk,
            "picture_id": post.pictures.get().pk,
            "word_id": SensitiveWord.objects.get(word="暴力").pk,
        },
        outsiders=[world.secretary_a, world.member_a],
        insiders=[world.member_b, world.secretary_b, world.admin],
    )


def activities_side(world: World) -> AppSide:
    partner = activities.save_partner(world.secretary_b, None, world.branch_b, name=f"{MARK}共建社区", kind="社区")
    contact = activities.add_contact(world.secretary_b, partner, name=f"{MARK}联系人", phone="13900000000")
    starts = (clock.now() + timedelta(hours=72)).replace(second=0, microsecond=0)
    activity = activities.create_activity(
        world.secretary_b,
        world.branch_b,
        audience=[world.branch_b],
        partners=[partner],
        kind=ActivityKind.VOLUNTEER,
        title=f"{MARK}支部的志愿服务",
        description="到社区开展新能源汽车科普",
        place="物流园区",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        signup_deadline=starts - timedelta(hours=12),
        capacity=5,
        waiting_list=True,
        points=5,
    )
    signup = activities.sign_up(world.member_b, activity)
    picture = activities.add_photo(world.secretary_b, activity, photo(), "合影", now=starts + timedelta(hours=1))
    return AppSide(
        ids={
            "activity_id": activity.pk,
            "signup_id": signup.pk,
            "photo_id": picture.pk,
            "partner_id": partner.pk,
            "contact_id": contact.pk,
        },
        outsiders=[world.secretary_a, world.member_a],
        insiders=[world.member_b, world.secretary_b],
    )


def ambassadors_side(world: World) -> AppSide:
    product = ambassadors.save_product(
        world.staff, None, {"name": "凯迪拉克锐歌", "brand": "凯迪拉克", "order": 1, "active": True}
    )
    campaign = ambassadors.save_campaign(
        world.staff,
        None,
        {
            "name": "锐歌上市推广月",
            "products": [product],
            "starts_on": date(2020, 1, 1),
            "ends_on": date(2099, 12, 31),
            "active": True,
        },
    )
    shanghai = ambassadors.save_dealer(
        world.staff, None, {"name": "上海浦东凯迪拉克中心", "code": "SH01", "city": "上海", "active": True}
    )
    wuhan = ambassadors.save_dealer(
        world.staff, None, {"name": "武汉别克4S店", "code": "WH01", "city": "武汉", "active": True}
    )
    seller_sh = PersonFactory(employee_no="jxs001", name="上海销售")
    seller_wh = PersonFactory(employee_no="jxs002", name="武汉销售")
    ambassadors.add_dealer_staff(world.staff, shanghai, seller_sh)
    ambassadors.add_dealer_staff(world.staff, wuhan, seller_wh)
    ambassador = ambassadors.register(world.member_b, accept_terms=True, display_name="李师傅")
    code = ambassadors.share_code(ambassador, product, campaign)
    target = ambassador_queries.link_target(code)
    assert target is not None
    phone = "13800138000"
    ambassadors.send_code(phone, "203.0.113.9")
    lead = ambassadors.submit_lead(
        target,
        ambassadors.LeadForm(
            name=f"{MARK}的朋友",
            phone=phone,
            city="上海",
            product_id=product.pk,
            dealer_id=None,
            call_time="周末",
            code=sms.last_code(phone),
            consent_contact=True,
            consent_dealer_id=shanghai.pk,
        ),
        ip="203.0.113.9",
        visitor="v" * 32,
    )
    return AppSide(
        ids={
            "product_id": product.pk,
            "campaign_id": campaign.pk,
            "dealer_id": shanghai.pk,
            "lead_id": lead.pk,
            "code": code,
            "dealer_code": shanghai.code,
        },
        outsiders=[seller_wh, world.secretary_a, world.member_a],
        insiders=[seller_sh, world.member_b, world.staff],
    )


def union_side(world: World, unions: Unions) -> AppSide:
    case = union.apply_for_care(unions.worker_b, CareKind.CHILDBIRTH, clock.today(), photo=photo(), document=pdf())
    file = union.open_hardship_file(
        unions.chair_b,
        unions.worker_b,
        family_size=3,
        family_income="4500",
        causes=["illness"],
        circumstances=f"{MARK}：妻子患尿毒症，每周透析三次",
        phone="13812345678",
    )
    application = union.apply_for_help(
        unions.worker_b, CareKind.TEMPORARY, "3000", reason=f"{MARK}：家中突遭火灾", document=pdf()
    )
    member = union.active_member(unions.worker_b)
    assert member is not None
    return AppSide(
        ids={
            "case_id": case.pk,
            "file_id": file.pk,
            "application_id": application.pk,
            "member_id": member.pk,
            "number": member.number,
        },
        outsiders=[unions.chair_a, unions.worker_a, world.secretary_a],
        insiders=[unions.worker_b, unions.chair_b],
    )


def league_side(world: World) -> AppSide:
    branch_a = add_org(world.league, "装调车间团支部", "L0101", Level.LEAGUE_BRANCH)
    branch_b = add_org(world.league, "物流团支部", "L0201", Level.LEAGUE_BRANCH)
    secretary_a = PersonFactory(employee_no="Y0001", name="钱团书", birth_date=date(1999, 1, 5))
    secretary_b = PersonFactory(employee_no="Y0002", name="孙团书", birth_date=date(1998, 7, 1))
    young_a = PersonFactory(
        employee_no="Y0011", name="吴青年", birth_date=date(2002, 3, 3), political_status=PoliticalStatus.LEAGUE_MEMBER
    )
    young_b = PersonFactory(
        employee_no="Y0020",
        name=f"{MARK}团员",
        birth_date=date(2001, 3, 3),
        political_status=PoliticalStatus.LEAGUE_MEMBER,
    )
    for person in (secretary_a, young_a):
        join(person, branch_a)
    for person in (secretary_b, young_b):
        join(person, branch_b)
    appoint(secretary_a, branch_a, Title.LEAGUE_SECRETARY)
    appoint(secretary_b, branch_b, Title.LEAGUE_SECRETARY)
    recommendation = league.recommend(
        secretary_b, young_b, on=clock.today(), reason=f"{MARK}：团支部大会推荐，表现突出"
    )
    return AppSide(
        ids={"recommendation_id": recommendation.pk},
        outsiders=[secretary_a, young_a, world.secretary_a],
        insiders=[secretary_b, young_b],
    )


def retreats_side(world: World, unions: Unions) -> AppSide:
    year = clock.today().year + 1  # a batch wholly ahead, whatever today is
    retreats.set_quota(unions.chair_b, unions.sub_b, year, 3)
    route = retreats.create_route(
        unions.chair_b, unions.sub_b, year=year, name=f"{MARK}分工会千岛湖疗休养", destination="杭州淳安", days=5
    )
    batch = retreats.add_batch(
        unions.chair_b,
        route,
        starts_on=date(year, 5, 11),
        ends_on=date(year, 5, 15),
        places=2,
        signup_closes_on=date(year, 4, 20),
    )
    signup = retreats.sign_up(unions.worker_b, batch)
    return AppSide(
        ids={"route_id": route.pk, "batch_id": batch.pk, "signup_id": signup.pk},
        outsiders=[unions.chair_a, unions.worker_a, world.secretary_a],
        insiders=[unions.worker_b, unions.chair_b],
    )


def vanguard_side(world: World) -> AppSide:
    today = clock.today()
    project = vanguard.start_project(
        world.secretary_b,
        world.branch_b,
        vanguard.ProjectData(
            f"{MARK}支部物流攻关",
            "breakthrough",
            "digital",
            "物流配送准时率提升到百分之九十九",
            today,
            today + timedelta(days=90),
        ),
        lead=world.member_b,
    )
    milestone = vanguard.add_milestone(
        world.secretary_b, project, title=f"{MARK}的节点", due_on=today + timedelta(days=30), owner=world.member_b
    )
    document = vanguard.add_document(world.member_b, project, pdf("方案.pdf"))
    progress = vanguard.log_progress(world.member_b, project, text=f"{MARK}：完成现场调研", photos=[jpeg()])
    post = vanguard.save_post(
        world.secretary_b,
        world.branch_b,
        kind="post",
        name=f"{MARK}先锋岗",
        holder=world.member_b,
        scope="物流仓库",
        commitment="当好表率，保障零部件准时配送到线",
        since=date(2025, 1, 1),
    )
    return AppSide(
        ids={
            "project_id": project.pk,
            "milestone_id": milestone.pk,
            "document_id": document.pk,
            "photo_id": progress.photos.get().pk,
            "post_id": post.pk,
        },
        outsiders=[world.secretary_a, world.member_a],
        insiders=[world.member_b, world.secretary_b],
    )


def studios_side(world: World) -> AppSide:
    studio = studios.create_studio(
        world.staff,
        world.branch_b,
        studios.StudioData(f"{MARK}物流工匠创新工作室", "craftsman", "物流配送", "", date(2018, 5, 1)),
        leader=world.secretary_b,
    )
    achievement = studios.add_achievement(
        world.secretary_b,
        studio,
        kind=AchievementKind.PROJECT,
        title="物流防错改造",
        achieved_on=date(2025, 3, 1),
        evidence=pdf("证书.pdf"),
    )
    craft = studios.save_craft(
        world.secretary_b,
        name="李红梅配送法",
        kind="method",
        creator=world.member_b,
        studio=studio,
        description="三步定位，零部件准时配送",
        used_in="物流仓库",
        pictures=[photo()],
    )
    pair = studios.create_pair(
        world.staff,
        studio,
        mentor=world.secretary_b,
        apprentice=world.member_b,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 31),
        goals=f"{MARK}掌握物流配送工艺",
        skills=[("配送工艺", date(2026, 4, 30))],
    )
    return AppSide(
        ids={
            "studio_id": studio.pk,
            "achievement_id": achievement.pk,
            "craft_id": craft.pk,
            "picture_id": craft.pictures.get().pk,
            "person_id": world.member_b.pk,
            "organisation_id": world.branch_b.pk,
            "pair_id": pair.pk,
            "skill_id": pair.skills.get().pk,
        },
        outsiders=[world.secretary_a, world.member_a],
        insiders=[world.member_b, world.secretary_b, world.staff],
    )


def build(world: World) -> dict[str, AppSide]:
    """Every new app's far side, keyed by its URL prefix."""
    unions = make_unions(world)
    return {
        "quiz/": quiz_side(world),
        "voice/": voice_side(world, unions),
        "space/": space_side(world),
        "activities/": activities_side(world),
        "ambassadors/": ambassadors_side(world),
        "union/": union_side(world, unions),
        "league/": league_side(world),
        "retreats/": retreats_side(world, unions),
        "vanguard/": vanguard_side(world),
        "studios/": studios_side(world),
    }
