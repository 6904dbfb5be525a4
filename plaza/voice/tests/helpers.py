"""Shared set-up of the E线声音 tests: categories over the ``world`` enterprise and a union chair."""

from __future__ import annotations

from datetime import date

from plaza.orgs.models import Title
from plaza.testing.factories import Level, PersonFactory, add_org, appoint, join
from plaza.voice import services
from plaza.voice.models import Category

DAY = date(2026, 9, 29)  # a Tuesday before National Day


def categories(world):  # noqa: ANN001, ANN201
    party = Category.objects.create(name="党建与组织生活", owner=world.committee, via_branch=True)
    canteen = Category.objects.create(name="食堂与后勤", owner=world.committee, via_branch=False)
    welfare = Category.objects.create(name="职工福利", owner=world.union, via_branch=True)
    return party, canteen, welfare


def union_chair(world):  # noqa: ANN001, ANN201
    chair = PersonFactory(employee_no="U0009", name="周工会")
    join(chair, world.union)
    appoint(chair, world.union, Title.UNION_CHAIR)
    return chair


def sub_union(world):  # noqa: ANN001, ANN201
    return add_org(world.union, "动力总成分工会", "U0100", Level.SUB_UNION)


def file(world, person=None, category=None, **kw):  # noqa: ANN001, ANN003, ANN201
    if category is None:
        category = Category.objects.get(name="党建与组织生活")
    data = {"kind": "concern", "text": "装调线二号工位照明不足，夜班看不清零件编号。", "anonymous": True}
    data.update(kw)
    return services.file_item(
        person or world.member_a,
        category=category,
        today=kw.pop("today", DAY),
        **{k: v for k, v in data.items() if k != "today"},
    )
