"""Working days as this organisation counts them: the national calendar (``plaza.rules.workdays``, from the
chinesecalendar package) with the organisation's own closed days (:class:`ClosedDay`) on top, and the staff
told once when a year's national calendar is missing (rulebook section 8).

``plaza.rules.workdays`` stays pure; this module reads the closed days from the database and hands them to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs.models import Position
from plaza.orgs.permissions import TITLE_CAPS, Cap
from plaza.rules import workdays

from .models import ClosedDay, Service


def closed_days(service: Service | None, start: date, end: date | None = None) -> frozenset[date]:
    """The service's own closed days from ``start`` to ``end`` (open-ended without one; none without a service)."""
    if service is None:
        return frozenset()
    found = ClosedDay.objects.filter(service=service, day__gte=start)
    if end is not None:
        found = found.filter(day__lte=end)
    return frozenset(found.values_list("day", flat=True))


def is_working_day(day: date, service: Service | None = None) -> bool:
    """A national working day on which ``service`` (if given) is not closed by its staff."""
    return workdays.is_working_day(day, closed=closed_days(service, day, day))


def add_working_days(start: date, n: int, service: Service | None = None) -> date:
    """The n-th working day after ``start`` (see ``plaza.rules.workdays.add_working_days``), closed days skipped."""
    return workdays.add_working_days(start, n, closed=closed_days(service, start))


def working_days_between(start: date, end: date, service: Service | None = None) -> int:
    """Working days d with start < d <= end, closed days not counted."""
    return workdays.working_days_between(start, end, closed=closed_days(service, start, end))


def booking_staff() -> QuerySet[Any]:
    """The active people whose current position lets them manage bookings somewhere (``Cap.BOOKING``)."""

    titles = [title for title, caps in TITLE_CAPS.items() if Cap.BOOKING in caps]
    positions = Position.objects.current().filter(title__in=titles)
    return get_user_model().objects.filter(pk__in=positions.values("person_id"), is_active=True)


def warn_if_uncovered(today: date) -> list[int]:
    """Tell the booking staff, once per year, that a year's holiday notice is missing from the national
    calendar: this year's, and from December on next year's (the notice usually appears in the autumn).

    Until the chinesecalendar package is updated (``pip install -U chinesecalendar``), that year counts
    Monday–Friday and its public holidays must be entered as closed days by hand. Idempotent: one to-do per
    person and year, never again once it exists (even after it is ticked off). Returns the years warned about.
    """

    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    warned = []
    for year in years:
        if workdays.covered(year):
            continue
        source_id = f"uncovered:{year}"
        told = set(
            Task.objects.filter(source_type="workdays", source_id=source_id).values_list("assignee_id", flat=True)
        )
        for person in booking_staff().exclude(pk__in=told):
            notify.add_task(
                person,
                # in the words of the people it goes to (booking staff): what to do here, and whom to ask for
                # the rest; the package's name means nothing to them
                _(
                    "%(year)d 年法定节假日安排尚未收录：在收录前该年按周一至周五计算工作日。请把该年的放假日"
                    "设为暂停办理日，并请系统管理员升级 Plaza 的节假日数据"
                )
                % {"year": year},
                url=reverse("booking:office"),
                due_on=date(year, 1, 1) if year > today.year else today,
                source_type="workdays",
                source_id=source_id,
            )
        warned.append(year)
    return warned
