"""A service with the usual hours (Monday to Friday 09:00–11:30 and 13:30–17:00) for the booking tests."""

from datetime import date, datetime, time

from django.utils import timezone

from plaza.booking import services
from plaza.booking.models import Audience

#: Monday 2 March 2026, 08:00 local: a working week with no holiday.
NOW = timezone.make_aware(datetime(2026, 3, 2, 8, 0))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_service(
    world,
    *,
    counters: int = 2,
    organisation=None,
    audience: str = Audience.EVERYONE,
    weekdays=(0, 1, 2, 3, 4),
    actor=None,
    **extra,
):
    actor = actor or world.staff
    service = services.create_service(
        actor,
        organisation or world.committee,
        name=extra.pop("name", "党员身份证明"),
        place="党群服务中心 2 号窗口",
        slot_minutes=30,
        documents="身份证\n- 工作证",
        audience=audience,
        book_ahead_days=extra.pop("ahead", 14),
        cancel_hours=extra.pop("cancel_hours", 2),
        **extra,
    )
    services.add_hours(actor, service, weekdays=weekdays, opens=time(9), closes=time(11, 30), counters=counters)
    services.add_hours(actor, service, weekdays=weekdays, opens=time(13, 30), closes=time(17), counters=counters)
    return service
