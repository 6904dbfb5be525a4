"""Demo data of 疗休养 (called by ``seed_demo`` after the enterprise and the union's demo).

The story: the enterprise union (上汽通用汽车工会) has 60 places this year. "千岛湖职工疗休养" went in the autumn
(allocated by lottery with its seed, the trip is over and three participants left feedback); "黄山职工疗休养"
leaves in two weeks — its sign-up is closed and the lottery was drawn (places and a waiting list); "崇明岛康养
疗休养" is open for sign-up now (yg001 may try).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Position, Title, Tree
from plaza.union.models import Member, MemberStatus

from . import services
from .models import Batch, Method, Route, SignUpStatus

ROUTES = [  # (name, destination, days, description)
    ("千岛湖职工疗休养", "杭州淳安千岛湖", 5, "千岛湖游船、森林氧吧徒步、职工健康讲座；往返高铁。"),
    ("黄山职工疗休养", "安徽黄山", 5, "黄山风景区、宏村、屯溪老街；随团医生，体检报告解读。"),
    ("崇明岛康养疗休养", "上海崇明", 3, "东平国家森林公园、西沙湿地骑行、康养理疗；就近出行。"),
]


def seed_demo_retreats(*, seed: int) -> None:
    """Writes this app's demo records; skipped when routes already exist."""
    if Route.objects.exists():
        return
    union = Organisation.objects.filter(tree=Tree.UNION, depth=1).order_by("path").first()
    if union is None:
        return
    chair = (
        Person.objects.filter(
            pk__in=Position.objects.current().filter(organisation=union, title=Title.UNION_CHAIR).values("person_id")
        ).first()
        or Person.objects.filter(is_superuser=True).first()
    )
    if chair is None:
        return
    rng = random.Random(seed + 1818)
    today = clock.today()
    veterans = _veterans(today)
    rng.shuffle(veterans)
    plan = [  # (route, starts in days, places, sign-ups, allocate)
        (ROUTES[0], -60, 8, 14, True),
        (ROUTES[1], 14, 6, 11, True),
        (ROUTES[2], 30, 10, 5, False),
    ]
    quotas: set[int] = set()
    for (name, destination, days, description), start_in, places, signups, allocate in plan:
        starts_on = today + timedelta(days=start_in)
        if starts_on.year not in quotas:
            services.set_quota(chair, union, starts_on.year, 60)
            quotas.add(starts_on.year)
        route = services.create_route(
            chair, union, year=starts_on.year, name=name, destination=destination, days=days, description=description
        )
        batch = services.add_batch(
            chair,
            route,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days - 1),
            places=places,
            signup_closes_on=starts_on - timedelta(days=10 if start_in > 0 else 20),
        )
        signed = _sign_up(veterans, batch, signups, starts_on - timedelta(days=25))
        if allocate and signed:
            services.allocate(chair, batch, method=Method.LOTTERY, seed=f"{starts_on.year}-{name}-第1批")
            if start_in < 0:
                _feedback(batch, today)


def _veterans(today: date) -> list[Person]:
    """Union members (not the demo logins) with at least 8 years of service, a pool to sign up from."""
    started = (
        Membership.objects.values("person_id")
        .annotate(first=Min("since"))
        .filter(first__lte=today.replace(year=today.year - 8))
        .values("person_id")
    )
    members = Member.objects.filter(status=MemberStatus.ACTIVE, person_id__in=started).values("person_id")
    return list(
        Person.objects.filter(pk__in=members, is_active=True)
        .exclude(employee_no__in=["admin", "zzb001", "sj001", "dy001", "jj001", "yg001"])
        .order_by("pk")[:200]
    )


def _sign_up(pool: list[Person], batch: Batch, wanted: int, on: date) -> int:
    signed = 0
    while pool and signed < wanted:
        person = pool.pop()
        try:
            services.sign_up(person, batch, today=on)
        except (ValidationError, PermissionDenied):
            continue
        signed += 1
    return signed


def _feedback(batch: Batch, today: date) -> None:
    comments = ["行程安排周到，随团医生的健康讲座很实用。", "千岛湖空气好，休息得很充分，感谢工会。", ""]
    won = list(batch.signups.filter(status=SignUpStatus.WON).select_related("batch", "person")[:3])
    for signup, comment in zip(won, comments, strict=False):
        services.give_feedback(signup.person, signup, rating=5 if comment else 4, comment=comment, today=today)
