"""Activities for the tests: organised by branch A's secretary (or the committee's staff), three days ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from plaza.activities import services
from plaza.activities.models import Kind
from plaza.lib import clock


def soon(hours: float = 72) -> datetime:
    return (clock.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def make_activity(world, *, actor=None, organisation=None, audience=None, capacity=2, waiting_list=True, **extra):
    starts = extra.pop("starts_at", soon())
    return services.create_activity(
        actor or world.secretary_a,
        organisation or world.branch_a,
        audience=audience if audience is not None else [organisation or world.branch_a],
        partners=extra.pop("partners", []),
        kind=extra.pop("kind", Kind.VOLUNTEER),
        title=extra.pop("title", "社区志愿服务"),
        description="到社区开展新能源汽车科普",
        place=extra.pop("place", "金桥社区服务中心"),
        starts_at=starts,
        ends_at=extra.pop("ends_at", starts + timedelta(hours=3)),
        signup_deadline=extra.pop("signup_deadline", starts - timedelta(hours=12)),
        capacity=capacity,
        waiting_list=waiting_list,
        points=extra.pop("points", 5),
        now=extra.pop("now", None),
    )
