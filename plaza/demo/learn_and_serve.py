"""Demo data for 学习 (articles, one required), 积分 (beans already earned, a points mall) and 预约办理 (services
of the Party committee and the union with their opening hours), in the words of the seed article."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from plaza.accounts.models import Person
from plaza.booking.models import OpeningHours, Service
from plaza.learning import services as learning
from plaza.learning.models import Category
from plaza.lib import clock
from plaza.orgs.models import Organisation, Tree
from plaza.points import services as points

ARTICLES = [
    (
        "党建引领，打造“党建+”新名片",
        "党建动态",
        "公司党委以“党建+”为抓手，把党的建设与生产经营深度融合。\n\n## 做法\n\n- 建设党群服务广场，"
        "推出阅读豆、积分超市等服务，提高可看性和吸引力；\n- 推出预约办理，解决员工办事多跑路、排队等候的老问题。",
    ),
    (
        "巴士党课、行走党课：把党课搬进新能源空间",
        "党课",
        "党员通过巴士党课、行走党课，把上海的红色资源与凯迪拉克纯电IQ空间和别克新能源空间结合起来，"
        "率先学习“为用户提供未来智慧出行的美好生活”的沉浸式党课。",
    ),
    (
        "学习贯彻党的二十届四中全会精神",
        "理论学习",
        "各党支部要结合主题党日，组织党员原原本本学习全会公报，交流学习体会，把学习成果转化为推动新能源车型上量的"
        "实际行动。\n\n## 学习要求\n\n1. 通读全会公报；\n2. 在党小组会上交流发言；\n3. 本月内完成。",
    ),
]
ARTICLES += [  # short ones, that fit on a phone's screen: 阅读豆 come when the 30-second countdown ends
    (
        "党员先锋岗：新能源车型上量一线见闻",
        "党建动态",
        "装调车间党员先锋岗坚持“急难险重党员先上”，在新车型上量中带头攻坚，班组一次交检合格率稳步提升。",
    ),
    (
        "预约办理上线：员工办事少跑路",
        "党建动态",
        "党员身份证明、组织关系转接、困难补助申请等事项可在“服务—预约办理”中预约，到场出示签到码即可办理。",
    ),
]
#: (name, price, stock). One article read to the end earns ``PLAZA_POINTS_READING_BEANS`` (1) 阅读豆, so the
#: cheapest item costs no more than the demo's articles earn: a member can read and redeem in one sitting.
ITEMS = [
    ("党员学习笔记本", 3, 100),
    ("职工书屋借阅卡", 5, 100),
    ("党史学习读本", 8, 50),
    ("新能源空间参观名额", 20, 20),
    ("别克车模（1:43）", 60, 10),
]
SERVICES = [  # (tree, name, place, minutes, documents, audience)
    (Tree.PARTY, "党员身份证明", "党群服务中心一楼 2 号窗口", 15, "工作证\n身份证", "party"),
    (Tree.PARTY, "组织关系转接", "党群服务中心一楼 3 号窗口", 30, "工作证\n原党组织介绍信（转入时）", "party"),
    (Tree.PARTY, "党费证明", "党群服务中心一楼 2 号窗口", 15, "工作证", "party"),
    (Tree.UNION, "困难补助申请", "工会服务站", 30, "工作证\n困难情况说明\n相关证明材料", "everyone"),
    (Tree.UNION, "生育慰问", "工会服务站", 15, "工作证\n出生医学证明复印件", "everyone"),
]


def seed_demo_learn_and_serve(today: date | None = None, seed: int = 1) -> dict[str, int]:

    today = today or clock.today()
    rng = random.Random(seed)
    admin = Person.objects.filter(is_superuser=True).order_by("pk").first()
    party_root = Organisation.objects.filter(tree=Tree.PARTY, depth=1).first()
    union_root = Organisation.objects.filter(tree=Tree.UNION, depth=1).first()
    for index, (title, category, body) in enumerate(ARTICLES):  # written as staff write them
        learning.save_article(
            admin,
            None,
            {
                "title": title,
                "summary": "",
                "body": body,
                "body_format": "markdown",
                "category": Category.objects.get_or_create(name=category)[0],
                "topics": "",
                "pinned": index == 0,
                "publish_at": clock.now() - timedelta(days=len(ARTICLES) - index),
                "required": index == 2,
                "due_on": today + timedelta(days=20) if index == 2 else None,
                "organisations": [],
                "required_for": [party_root] if index == 2 and party_root is not None else [],
            },
        )
    for name, price, stock in ITEMS:
        points.save_item(
            admin,
            None,
            {
                "name": name,
                "price": price,
                "stock": stock,
                "per_person_limit": 2,
                "active": True,
                "description": "积分超市：用阅读豆兑换",
            },
        )
    readers = list(Person.objects.filter(is_active=True).order_by("employee_no")[:300])
    for person in readers:
        for day in range(rng.randint(1, 6)):
            points.earn(
                person, rng.randint(1, 3), reason="阅读豆（演示）", source_type="reading", key=f"demo:{person.pk}:{day}"
            )
    made = 0
    for tree, name, place, minutes, documents, audience in SERVICES:
        root = party_root if tree == Tree.PARTY else union_root
        if root is None:
            continue
        service = Service.objects.create(
            organisation=root,
            name=name,
            place=place,
            slot_minutes=minutes,
            documents=documents,
            audience=audience,
            created_by=admin,
        )
        for weekday in range(5):
            OpeningHours.objects.create(
                service=service, weekday=weekday, opens=time(9), closes=time(11, 30), counters=2
            )
            OpeningHours.objects.create(
                service=service, weekday=weekday, opens=time(13, 30), closes=time(17), counters=2
            )
        made += 1
    return {"articles": len(ARTICLES), "items": len(ITEMS), "readers": len(readers), "services": made}
