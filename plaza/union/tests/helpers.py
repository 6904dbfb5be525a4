"""A small union for the tests: two 分工会 (each with a 主席), a 工会小组, the company union's 主席, two workers,
and the demo's 办法 figures as settings on the company union."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaza.accounts.models import Person
from plaza.orgs.models import Organisation
from plaza.testing.factories import Level, PersonFactory, Title, add_org, appoint, join
from plaza.union import services
from plaza.union.models import Kind, Member, Provision


@dataclass
class Union:
    top: Organisation
    sub_a: Organisation
    group_a: Organisation
    sub_b: Organisation
    top_chair: Person
    chair_a: Person
    chair_b: Person
    worker_a: Person
    worker_b: Person


PROVISIONS = [
    (Kind.CHILDBIRTH, "800", "母婴用品礼包（约 200 元）", None, 180, "《工会会员生育慰问办法》", "第二条"),
    (Kind.HOSPITAL, "500", "", 2, None, "《工会会员福利待遇》", "第五条"),
    (Kind.BIRTHDAY, "200", "生日蛋糕卡", 1, None, "《工会会员福利待遇》", "第三条"),
    (Kind.TEMPORARY, "5000", "", 1, None, "《困难职工帮扶补助办法》", "第二条（二）"),
    (Kind.SCHOOLING, "2000", "", 1, None, "《困难职工帮扶补助办法》", "第二条（四）"),
]


def make_union(world) -> Union:  # noqa: ANN001
    top = world.union
    sub_a = add_org(top, "东岳动力总成分工会", "U0100", Level.SUB_UNION)
    group_a = add_org(sub_a, "装调车间工会小组", "U0101", Level.UNION_GROUP)
    sub_b = add_org(top, "物流和采购分工会", "U0200", Level.SUB_UNION)
    top_chair = PersonFactory(employee_no="U0001", name="高工会")
    chair_a = PersonFactory(employee_no="U0101", name="钱分会")
    chair_b = PersonFactory(employee_no="U0201", name="孙分会")
    worker_a = PersonFactory(employee_no="W0001", name="周职工", birth_date=date(1990, 5, 20))
    worker_b = PersonFactory(employee_no="W0002", name="吴职工")
    join(top_chair, top)
    join(chair_a, sub_a)
    join(chair_b, sub_b)
    join(worker_a, group_a)
    join(worker_b, sub_b)
    appoint(top_chair, top, Title.UNION_CHAIR)
    appoint(chair_a, sub_a, Title.UNION_CHAIR)
    appoint(chair_b, sub_b, Title.UNION_CHAIR)
    for kind, amount, goods, per_year, within, measure, article in PROVISIONS:
        Provision.objects.create(
            organisation=top,
            kind=kind,
            amount=Decimal(amount),
            goods=goods,
            per_year=per_year,
            apply_within_days=within,
            measure=measure,
            article=article,
        )
    return Union(top, sub_a, group_a, sub_b, top_chair, chair_a, chair_b, worker_a, worker_b)


def member(person: Person, chair: Person) -> Member:
    """The person applies and the chair approves."""
    return services.decide_membership(chair, services.apply_to_join(person), approve=True)


def photo(name: str = "birth.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
