"""Demo data of 通星汇 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The seed article's story: 党群联合市场部通星汇、三大事业部、经销商团队 built a referral programme for the
奥特能 electric cars (凯迪拉克锐歌, 别克E5); 24000 多员工注册, 留资率超过28%, 累计成交超过3000辆; 东岳汽车
计划物流科班组长位正友 alone sold 700 多辆 and topped the ranking two years running. The demo enterprise has
about 2,000 people, so a few hundred of them are ambassadors; the leads (a few hundred in every stage) and the
deals (over 3,000, 700+ of them 位正友's) follow the article's figures, the visitors its 28 % 留资率.

Dealers in three cities (上海, 武汉, 沈阳: the plants' cities) with sales staff logins ``jxs001`` … ``jxs004``
(password: the demo's). Rows are bulk-created so the whole pass takes well under 3 s on SQLite.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.rules import referrals

from .models import (
    Ambassador,
    Attribution,
    Campaign,
    Dealer,
    DealerStaff,
    Lead,
    Outbound,
    OutboxState,
    Product,
    Programme,
    Prospect,
    Route,
    Stage,
    Visit,
)
from .services import rebuild_scores

TERMS = """1. 品牌大使分享的是车型信息和本人专属链接，客户须在落地页亲自填写本人手机号并通过短信验证，
员工不得代填、代点。
2. 同一手机号在保护期（90 天）内以最先的有效留资为准，之后的重复留资合并，不计入推荐。
3. 本人手机号留资属于自荐，不计入推荐。
4. 线索只交给客户单独同意的经销商；品牌大使只能看到隐藏中间四位的手机号。
5. 交车满冻结期（30 天）且未退车，成交才计入业绩、积分和排行。"""

PRODUCTS = (
    {
        "name": "凯迪拉克锐歌",
        "brand": "凯迪拉克",
        "tagline": "奥特能平台纯电豪华 SUV",
        "selling_points": "奥特能智能纯电平台\n33 英寸环抱式曲面屏\nSuper Cruise 超级辅助驾驶\nAKG 录音棚级音响",
        "price_from": Decimal("33.97"),
        "price_to": Decimal("43.97"),
        "order": 1,
    },
    {
        "name": "别克E5",
        "brand": "别克",
        "tagline": "奥特能平台纯电中大型 SUV",
        "selling_points": "奥特能智能纯电平台\n长续航，充电快\n宽敞的三排座舱\n智能互联新技术",
        "price_from": Decimal("20.89"),
        "price_to": Decimal("25.99"),
        "order": 2,
    },
)

DEALERS = (
    ("上海浦东凯迪拉克中心", "SH01", "上海", "浦东新区金桥路 1 号", "jxs001", "陈顾问"),
    ("上海别克金桥4S店", "SH02", "上海", "浦东新区金海路 88 号", "jxs002", "周顾问"),
    ("武汉别克东西湖4S店", "WH01", "武汉", "东西湖区金银湖路 6 号", "jxs003", "吴顾问"),
    ("沈阳凯迪拉克中心", "SY01", "沈阳", "铁西区北二路 100 号", "jxs004", "郑顾问"),
)

#: Leads of the other ambassadors in each stage (the champion's come on top): a few hundred in every stage,
#: and enough delivered-and-credited cars that deals pass the article's 3,000.
STAGE_COUNTS = {
    Stage.NEW: 210,
    Stage.CONTACTED: 240,
    Stage.VISITED: 220,
    Stage.TEST_DRIVE: 240,
    Stage.ORDERED: 210,
    Stage.DELIVERED: 620,  # of them, the most recent ones are still in their freeze period
    Stage.LOST: 260,
}
CHAMPION_DEALS = 736
AMBASSADORS = 480
RETENTION = 0.285  # credited leads ÷ distinct visitors ("留资率超过28%")
LOST_REASONS = ("预算不足", "选择了其他品牌", "暂不购车", "电话无人接听", "退车")


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randrange(10), rng.randrange(60)), timezone.get_current_timezone())


def _units(person_ids: list[int]) -> dict[int, int]:
    """Each person's lowest current organisation (Party tree first, then the union), in two queries."""
    depth = {pk: (tree, d) for pk, tree, d in Organisation.objects.values_list("pk", "tree", "depth")}
    best: dict[int, tuple[tuple[int, int], int]] = {}
    for person_id, org_id in (
        Membership.objects.current().filter(person_id__in=person_ids).values_list("person_id", "organisation_id")
    ):
        tree, d = depth[org_id]
        if tree not in (Tree.PARTY, Tree.UNION):
            continue
        rank = (1 if tree == Tree.PARTY else 0, d)
        if person_id not in best or rank > best[person_id][0]:
            best[person_id] = (rank, org_id)
    return {pk: org for pk, (_rank, org) in best.items()}


def seed_demo_ambassadors(*, seed: int) -> None:
    """Products, a campaign, dealers with their sales staff, ambassadors, leads in every stage, visits."""
    if Product.objects.exists() or not Organisation.objects.filter(tree=Tree.PARTY, depth=1).exists():
        return
    rng = random.Random(seed * 17 + 1)
    today = clock.today()
    with transaction.atomic():
        _seed(rng, today)


def _seed(rng: random.Random, today: date) -> None:  # noqa: PLR0915 - one story, told top to bottom
    staff = Person.objects.filter(employee_no="zzb001").first()
    Programme.objects.create(terms=TERMS)
    products = [Product.objects.create(created_by=staff, active=True, **row) for row in PRODUCTS]
    campaign = Campaign.objects.create(
        name="爱我所爱、助力品牌：奥特能纯电新车推广季",
        summary="学习产品细节亮点，分享锐歌和E5，邀请亲友到店试驾。",
        starts_on=today.replace(month=1, day=1),
        ends_on=date(today.year, 12, 31),
        created_by=staff,
    )
    campaign.products.set(products)

    # The demo's password, as every demo login has it (copied from an employee: plaza.demo sits above this app).
    password = Person.objects.filter(is_superuser=False).exclude(password="").values_list("password", flat=True).first()
    dealers = []
    for name, code, city, address, login, seller in DEALERS:
        dealer = Dealer.objects.create(name=name, code=code, city=city, address=address)
        person = Person.objects.filter(employee_no=login).first() or Person.objects.create(
            employee_no=login, name=f"{seller}（{name}）"[:64], password=password, department=name, job_title="销售顾问"
        )
        DealerStaff.objects.create(person=person, dealer=dealer, manager=True)
        dealers.append(dealer)
    rui, e5 = products
    by_city = {city: [d for d in dealers if d.city == city] for city in ("上海", "武汉", "沈阳")}
    Route.objects.bulk_create(
        [
            Route(city="上海", product=rui, dealer=dealers[0], priority=1),
            Route(city="上海", product=e5, dealer=dealers[1], priority=1),
            Route(city="武汉", product=None, dealer=dealers[2], priority=5),
            Route(city="沈阳", product=None, dealer=dealers[3], priority=5),
        ]
    )

    # The ambassadors: the demo logins an employee tries, the champion, and a few hundred others.
    dealer_people = set(DealerStaff.objects.values_list("person_id", flat=True))
    people = list(
        Person.objects.filter(is_active=True, is_superuser=False)
        .exclude(pk__in=dealer_people)
        .order_by("employee_no")
        .values_list("pk", "employee_no", "name", "job_title", "department", "phone")
    )
    if not people:
        return
    logins = ("dy001", "sj001", "yg001", "jj001", "zzb001")
    champion_row = next(
        (row for row in people if "计划物流科" in row[4] and row[1] not in logins),
        next((row for row in people if row[3] == "班组长" and row[1] not in logins), people[-1]),
    )
    # The article's 班组长 of 东岳汽车计划物流科 (a demo person given his name and post).
    Person.objects.filter(pk=champion_row[0]).update(name="位正友", job_title="班组长")
    chosen = {row[0]: row for row in people if row[1] in ("dy001", "sj001", "yg001", "jj001")}
    chosen[champion_row[0]] = champion_row
    for row in rng.sample(people, min(AMBASSADORS, len(people))):
        chosen.setdefault(row[0], row)
    units = _units(list(chosen))
    start = today - timedelta(days=730)
    Ambassador.objects.bulk_create(
        [
            Ambassador(
                person_id=pk,
                unit_id=units.get(pk),
                display_name=("位正友" if pk == champion_row[0] else name)[:32],
                executive=job == "经理",
                accepted_at=_moment(start + timedelta(days=rng.randrange(60)), rng),
            )
            for pk, _no, name, job, _dept, _phone in chosen.values()
        ]
    )
    ambassadors = list(Ambassador.objects.values_list("pk", "person_id"))
    champion = next(pk for pk, person in ambassadors if person == champion_row[0])
    others = [pk for pk, person in ambassadors if person != champion_row[0]]
    # A few busy sharers, many occasional ones; none comes near the champion.
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 5, 8)) * rng.uniform(0.5, 1.5) for _ in others]

    # Leads: (ambassador, stage, day) with the champion's 700+ deals on top of a few hundred in every stage.
    plan: list[tuple[int, str]] = [(champion, Stage.DELIVERED)] * CHAMPION_DEALS
    plan += [
        (champion, stage) for stage in (Stage.ORDERED, Stage.TEST_DRIVE, Stage.CONTACTED, Stage.NEW) for _ in range(6)
    ]
    for stage, count in STAGE_COUNTS.items():
        plan += [(pk, stage) for pk in rng.choices(others, weights=weights, k=count)]
    rng.shuffle(plan)
    freeze = referrals.FREEZE_DAYS
    own_phones = {row[5] for row in chosen.values()}
    phones: set[str] = set()
    leads: list[Lead] = []
    for ambassador_id, stage in plan:
        while True:
            phone = rng.choice(("139", "138", "137", "186", "158", "188")) + f"{rng.randrange(10**8):08d}"
            if phone not in phones and phone not in own_phones:
                phones.add(phone)
                break
        product = rui if rng.random() < 0.45 else e5
        city = rng.choices(("上海", "武汉", "沈阳"), weights=(5, 3, 2))[0]
        dealer = by_city[city][0] if len(by_city[city]) == 1 or product == rui else by_city[city][1]
        recent = stage in (Stage.NEW, Stage.CONTACTED)
        if recent:
            day = today - timedelta(days=rng.randrange(1, 20))
        elif stage == Stage.DELIVERED and ambassador_id == champion:  # his deals are all past their freeze
            day = today - timedelta(days=rng.randrange(60, 700))
        else:
            day = today - timedelta(days=rng.randrange(5, 700 if stage == Stage.DELIVERED else 200))
        at = _moment(day, rng)
        lead = Lead(
            ref=secrets.token_hex(8),
            ambassador_id=ambassador_id,
            product=product,
            campaign=campaign if day >= campaign.starts_on else None,
            name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
            phone=phone,
            phone_index=blind_index(phone),
            city=city,
            call_time=rng.choice(("", "工作日白天", "工作日晚上", "周末")),
            dealer=dealer,
            consent_contact=True,
            consent_dealer=dealer,
            consent_text=f"我同意将我的称呼、手机号、城市、意向车型和联系时间提供给{dealer.name}（{city}），由其联系我安排看车、试驾。",
            status=Attribution.CREDITED,
            created_at=at,
            stage=stage,
            contact_due_at=referrals.first_contact_due(at),
        )
        hours = timedelta(hours=1 + rng.randrange(3))
        if stage != Stage.NEW:
            lead.contacted_at = at + hours
        reached = {
            Stage.VISITED: 1,
            Stage.TEST_DRIVE: 2,
            Stage.ORDERED: 3,
            Stage.DELIVERED: 4,
        }.get(stage, rng.randrange(3) if stage == Stage.LOST else 0)
        if reached >= 1:
            lead.visited_at = at + timedelta(days=2)
        if reached >= 2:
            lead.test_drive_at = at + timedelta(days=3)
        if reached >= 3:
            lead.ordered_at = at + timedelta(days=6)
        if reached >= 4:
            delivered = at + timedelta(days=6 + rng.randrange(20))
            lead.delivered_at = delivered
            credit_day = referrals.deal_credit_day(delivered, freeze)
            if credit_day <= today:
                lead.deal_credited_on = credit_day
        if stage == Stage.LOST:
            lead.lost_at = at + timedelta(days=4)
            lead.lost_reason = rng.choice(LOST_REASONS[:-1])
        leads.append(lead)
    Prospect.objects.bulk_create([Prospect(phone_index=lead.phone_index) for lead in leads], batch_size=2000)
    prospect_ids = dict(Prospect.objects.values_list("phone_index", "pk"))
    for lead in leads:
        lead.prospect_id = prospect_ids[lead.phone_index]
    # A few prospects left their phone a second time with another ambassador: duplicates, merged.
    duplicates = []
    for original in rng.sample(leads, 120):
        ambassador_id = rng.choice(others)
        if ambassador_id == original.ambassador_id:
            continue
        duplicates.append((original, ambassador_id))
    Lead.objects.bulk_create(leads, batch_size=1000)
    saved = dict(Lead.objects.values_list("ref", "pk"))
    copies = []
    for original, ambassador_id in duplicates:
        at = original.created_at + timedelta(days=1 + rng.randrange(30))
        if timezone.localdate(at) >= today:
            continue
        copies.append(
            Lead(
                ref=secrets.token_hex(8),
                ambassador_id=ambassador_id,
                product=original.product,
                campaign=original.campaign,
                prospect_id=original.prospect_id,
                name=original.name,
                phone=original.phone,
                phone_index=original.phone_index,
                city=original.city,
                dealer=original.dealer,
                consent_contact=True,
                consent_dealer=original.dealer,
                consent_text=original.consent_text,
                status=Attribution.DUPLICATE,
                credited_lead_id=saved[original.ref],
                created_at=at,
            )
        )
    Lead.objects.bulk_create(copies, batch_size=1000)
    Outbound.objects.bulk_create(
        [
            Outbound(
                lead_id=saved[lead.ref], dealer=lead.dealer, state=OutboxState.SENT, attempts=1, sent_at=lead.created_at
            )
            for lead in leads[:200]
        ]
    )

    # Distinct visitors so that 留资率 is about 28 %: credited leads ÷ visitors.
    counts: dict[tuple[int, int], int] = {}
    for lead in leads:
        counts[(lead.ambassador_id, lead.product.pk)] = counts.get((lead.ambassador_id, lead.product.pk), 0) + 1
    # Thousands of rows: written straight through the cursor (the ORM's per-object work would take seconds).
    ops = connection.ops
    rows = [
        (
            f"{rng.getrandbits(128):032x}",
            ambassador_id,
            product_id,
            campaign.pk,
            ops.adapt_datetimefield_value(_moment(today - timedelta(days=rng.randrange(700)), rng)),
        )
        for (ambassador_id, product_id), n in counts.items()
        for _ in range(round(n / RETENTION))
    ]
    rebuild_scores()
    table = connection.ops.quote_name(Visit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (visitor, ambassador_id, product_id, campaign_id, at) VALUES (%s, %s, %s, %s, %s)",
            rows,
        )
