"""预约办理: the calendar (hours, breaks, holidays, closures), booking and its refusals, cancel and move,
reminders, check-in, done, no-shows and the pause, ratings, statistics."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.booking import queries, services
from plaza.booking import workdays as booking_workdays
from plaza.booking.models import Audience, Booking, Pause, Slot, Status
from plaza.notify.models import Notification, Reminder
from plaza.rules import workdays
from plaza.testing.factories import PersonFactory, join

from .helpers import NOW, at, make_service

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


def test_holiday_data_closes_holidays_and_opens_adjusted_working_days(world):
    service = make_service(world)
    assert workdays.holiday_name(date(2026, 2, 17)) == "春节" and workdays.is_working_day(date(2026, 2, 14))
    for closed in (
        date(2026, 1, 1),
        date(2026, 2, 16),
        date(2026, 4, 6),
        date(2026, 5, 5),
        date(2026, 6, 19),
        date(2026, 9, 25),
        date(2026, 10, 7),
    ):
        assert services.slot_times(service, closed) == [] and "假期" in services.closure(service, closed)
    for working in (
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ):
        assert working.weekday() >= 5 and len(services.slot_times(service, working)) == 12, working
    assert services.slot_times(service, date(2026, 3, 7)) == []  # an ordinary Saturday
    times = services.slot_times(service, MONDAY)
    assert len(times) == 12 and times[0][0] == at(MONDAY, 9) and times[-1][1] == at(MONDAY, 17)
    assert at(MONDAY, 11, 30) not in [start for start, _e, _p in times]  # the lunch break


def test_booking_over_a_holiday_is_refused_with_its_name_and_the_next_working_day_follows(world):
    service = make_service(world, ahead=30)
    national_day = date(2026, 10, 1)  # a Thursday; before: 2026-09-30 08:00
    before = timezone.make_aware(datetime(2026, 9, 30, 8, 0))
    with pytest.raises(ValidationError, match="国庆节假期"):
        services.book(world.member_a, service, at(national_day, 10), now=before)
    # 10 October is a Saturday worked for the holiday: open with Monday's hours, and bookable.
    worked = date(2026, 10, 10)
    assert booking_workdays.add_working_days(date(2026, 9, 30), 1, service) == date(2026, 10, 8)
    assert booking_workdays.add_working_days(date(2026, 10, 9), 1, service) == worked
    services.book(world.member_a, service, at(worked, 10), now=before)
    # The service's own closed day counts on top of the national calendar.
    services.add_closed_day(world.staff, service, date(2026, 10, 8), "窗口培训", now=before)
    assert booking_workdays.add_working_days(date(2026, 9, 30), 1, service) == date(2026, 10, 9)
    assert booking_workdays.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)  # no service: national
    assert not booking_workdays.is_working_day(date(2026, 10, 8), service)
    assert booking_workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 10), service) == 2


def test_staff_are_warned_once_when_a_year_is_not_in_the_national_calendar(world, monkeypatch):
    from plaza.notify.models import Task

    staff_task = Task.objects.filter(source_type="workdays")
    assert booking_workdays.warn_if_uncovered(date(2026, 11, 2)) == []  # 2026 is covered; not December yet
    monkeypatch.setattr(workdays, "covered", lambda year: year <= 2026)  # as if 2027's notice were missing
    assert booking_workdays.warn_if_uncovered(date(2026, 12, 1)) == [2027]
    assert set(staff_task.values_list("assignee", flat=True)) == {world.staff.pk}  # who manages bookings
    task = staff_task.get()
    assert "2027 年法定节假日安排尚未收录" in task.title and task.due_on == date(2027, 1, 1)
    assert "chinesecalendar" not in task.title and "暂停办理日" in task.title  # staff's words, not a package's
    task.done_at = timezone.now()
    task.save()
    assert booking_workdays.warn_if_uncovered(date(2026, 12, 2)) == [2027]
    assert booking_workdays.warn_if_uncovered(date(2027, 1, 3)) == [2027]
    assert staff_task.count() == 1  # once per year, even after it was ticked off


def test_booking_confirms_schedules_two_reminders_and_cancel_cancels_them(world):
    service = make_service(world)
    booking = services.book(world.member_a, service, at(TUESDAY, 9, 30), now=NOW)
    assert booking.status == Status.BOOKED and len(booking.code) == 8 and booking.slot.booked == 1
    reminders = Reminder.objects.filter(subject_type="booking", subject_id=str(booking.pk))
    assert {r.dedupe_key: r.due_at for r in reminders} == {
        f"booking:{booking.pk}:day": at(MONDAY, 9, 30),
        f"booking:{booking.pk}:hour": at(TUESDAY, 8, 30),
    }
    assert AuditEntry.objects.filter(action="booking.book").count() == 1
    services.cancel(world.member_a, booking, now=NOW)
    assert not Reminder.objects.filter(subject_type="booking", cancelled_at__isnull=True).exists()
    assert Slot.objects.get().booked == 0 and Booking.objects.get().status == Status.CANCELLED
    again = services.book(world.member_a, service, at(TUESDAY, 9, 30), now=NOW)  # a cancelled place is free again
    assert again.slot.booked == 1


def test_a_booking_within_a_day_only_gets_the_hour_reminder(world):
    service = make_service(world)
    booking = services.book(world.member_a, service, at(MONDAY, 14), now=NOW)
    assert list(Reminder.objects.values_list("dedupe_key", flat=True)) == [f"booking:{booking.pk}:hour"]


def test_refusals_say_why(world):
    service = make_service(world, counters=1)
    with pytest.raises(ValidationError, match="不在开放时间内"):
        services.book(world.member_a, service, at(TUESDAY, 12), now=NOW)  # the lunch break
    with pytest.raises(ValidationError, match="不在开放时间内"):
        services.book(world.member_a, service, at(TUESDAY, 9, 10), now=NOW)  # not a slot's start
    with pytest.raises(ValidationError, match="不开放办理"):
        services.book(world.member_a, service, at(date(2026, 3, 7), 9), now=NOW)  # Saturday
    with pytest.raises(ValidationError, match="清明节假期"):
        services.book(world.member_a, service, at(date(2026, 4, 6), 9), now=at(date(2026, 3, 30), 8))
    with pytest.raises(ValidationError, match="最多可提前 14 天预约"):
        services.book(world.member_a, service, at(date(2026, 3, 17), 9), now=NOW)
    with pytest.raises(ValidationError, match="已过"):
        services.book(world.member_a, service, at(MONDAY, 9), now=at(MONDAY, 9, 5))
    services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    with pytest.raises(ValidationError, match="您已预约了这个时段"):
        services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    with pytest.raises(ValidationError, match="已约满"):
        services.book(world.secretary_a, service, at(TUESDAY, 9), now=NOW)
    assert Slot.objects.get().booked == 1 and Booking.objects.count() == 1


def test_staff_closed_day_refuses_and_cancels_existing_bookings(world, committed):
    service = make_service(world)
    booking = services.book(world.member_a, service, at(TUESDAY, 10), now=NOW)
    with committed():
        assert services.add_closed_day(world.staff, service, TUESDAY, "窗口培训", now=NOW) == 1
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and Slot.objects.get().booked == 0
    assert Notification.objects.filter(recipient=world.member_a, title__contains="窗口培训").exists()
    with pytest.raises(ValidationError, match="暂停办理：窗口培训"):
        services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    with pytest.raises(PermissionDenied):
        services.add_closed_day(world.member_a, service, TUESDAY, "窗口培训", now=NOW)


def test_who_may_book(world):
    party_only = make_service(world, audience=Audience.PARTY, name="党费证明")
    with pytest.raises(ValidationError, match="仅限党员"):
        services.book(world.activist_a, party_only, at(TUESDAY, 9), now=NOW)
    # only 组织部 staff hold Cap.BOOKING, over the Party tree; the union's services are set up by an administrator
    union = make_service(
        world, organisation=world.union, audience=Audience.UNION, name="工会会员服务", actor=world.admin
    )
    services.book(world.employee, union, at(TUESDAY, 9), now=NOW)
    with pytest.raises(ValidationError, match="不面向您所在的组织"):
        services.book(world.employee, party_only, at(TUESDAY, 9), now=NOW)
    branch_b = make_service(world, organisation=world.branch_b, name="物流支部事项")
    with pytest.raises(ValidationError, match="不面向"):
        services.book(world.member_a, branch_b, at(TUESDAY, 9), now=NOW)
    assert set(queries.bookable_services(world.member_a)) == {party_only, union}  # member_a is in the union too
    assert set(queries.bookable_services(world.employee)) == {union}
    assert set(queries.bookable_services(world.member_b)) == {party_only, branch_b}


def test_cancel_and_move_before_the_cut_off_only(world):
    service = make_service(world, counters=1, cancel_hours=2)
    booking = services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    with pytest.raises(ValidationError, match="已过取消截止时间"):
        services.cancel(world.member_a, booking, now=at(TUESDAY, 7, 30))
    with pytest.raises(ValidationError, match="已过取消截止时间"):
        services.move(world.member_a, booking, at(TUESDAY, 10), now=at(TUESDAY, 7, 30))
    with pytest.raises(PermissionDenied):
        services.cancel(world.secretary_a, booking, now=NOW)
    services.book(world.secretary_a, service, at(TUESDAY, 10), now=NOW)
    with pytest.raises(ValidationError, match="已约满"):  # all or nothing: the old booking stands
        services.move(world.member_a, booking, at(TUESDAY, 10), now=NOW)
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED and Slot.objects.get(starts_at=at(TUESDAY, 9)).booked == 1
    assert Reminder.objects.filter(subject_id=str(booking.pk), cancelled_at__isnull=True).count() == 2
    moved = services.move(world.member_a, booking, at(TUESDAY, 14), now=NOW)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and moved.moved_from == booking
    assert Slot.objects.get(starts_at=at(TUESDAY, 9)).booked == 0 and moved.slot.booked == 1
    assert not Reminder.objects.filter(subject_id=str(booking.pk), cancelled_at__isnull=True).exists()
    assert Reminder.objects.filter(subject_id=str(moved.pk), cancelled_at__isnull=True).count() == 2


def test_check_in_done_and_rating(world):
    service = make_service(world)
    booking = services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    with pytest.raises(ValidationError, match="不是今天的"):
        services.check_in(world.staff, booking.code, now=NOW)
    with pytest.raises(ValidationError, match="签到码无效"):
        services.check_in(world.secretary_a, booking.code, now=at(TUESDAY, 8, 50))  # not staff: not found
    checked, first = services.check_in(
        world.staff, f"https://x/booking/office/check-in/?code={booking.code.lower()}", now=at(TUESDAY, 8, 50)
    )
    assert first and checked.status == Status.CHECKED_IN
    assert services.check_in(world.staff, booking.code, now=at(TUESDAY, 8, 51))[1] is False
    with pytest.raises(ValidationError, match="办结后才能评价"):
        services.rate(world.member_a, booking, 5)
    services.mark_done(world.staff, booking, now=at(TUESDAY, 9, 20))
    rated = services.rate(world.member_a, booking, 4, "很快")
    assert (rated.rating, rated.comment) == (4, "很快")
    with pytest.raises(ValidationError, match="已评价"):
        services.rate(world.member_a, booking, 5)
    with pytest.raises(ValidationError, match="不能签到"):
        services.check_in(world.staff, booking.code, now=at(TUESDAY, 9, 30))


def test_three_no_shows_in_90_days_pause_booking_for_30_days(world, settings):
    service = make_service(world, ahead=30)
    days = [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]
    for n, day in enumerate(days):
        booking = services.book(world.member_a, service, at(day, 9), now=NOW)
        with pytest.raises(ValidationError, match="还没开始"):
            services.mark_no_show(world.staff, booking, now=NOW)
        pause = services.mark_no_show(world.staff, booking, now=at(day, 10))
        assert (pause is None) == (n < 2)
    assert (pause.starts_on, pause.ends_on) == (date(2026, 3, 17), date(2026, 4, 16))
    assert Pause.objects.count() == 1
    with pytest.raises(ValidationError, match=r"90 天内 3 次预约未到。2026年4月16日 起可重新预约"):
        services.book(
            world.member_a,
            service,
            at(date(2026, 3, 18), 9),
            now=at(
                date(
                    2026,
                    3,
                    17,
                ),
                12,
            ),
        )
    booking = services.book(world.member_a, service, at(date(2026, 4, 16), 9), now=at(date(2026, 4, 16), 8))
    assert booking.status == Status.BOOKED  # the pause is over
    # after a pause, the old no-shows do not count again
    assert services.mark_no_show(world.staff, booking, now=at(date(2026, 4, 16), 10)) is None
    settings.PLAZA_BOOKING_NO_SHOW_LIMIT = 1
    other = services.book(world.member_b, service, at(date(2026, 4, 17), 9), now=at(date(2026, 4, 16), 8))
    assert services.mark_no_show(world.staff, other, now=at(date(2026, 4, 17), 10)) is not None


def test_statistics_utilisation_no_shows_and_ratings(world):
    service = make_service(world, counters=2)
    first = services.book(world.member_a, service, at(TUESDAY, 9), now=NOW)
    second = services.book(world.secretary_a, service, at(TUESDAY, 9), now=NOW)
    cancelled = services.book(world.member_b, service, at(TUESDAY, 10), now=NOW)
    services.cancel(world.member_b, cancelled, now=NOW)
    services.mark_done(world.staff, first, now=at(TUESDAY, 9, 20))
    services.rate(world.member_a, first, 4)
    services.mark_no_show(world.staff, second, now=at(TUESDAY, 9, 40))
    [row] = queries.statistics(queries.managed_services(world.staff), TUESDAY, TUESDAY)
    assert (row.bookings, row.capacity, row.no_shows, row.done, row.average_rating) == (2, 24, 1, 1, 4)
    assert row.utilisation == pytest.approx(2 / 24)
    assert queries.statistics(queries.managed_services(world.member_a), TUESDAY, TUESDAY) == []


def test_only_staff_define_services_and_hours(world):
    with pytest.raises(PermissionDenied):
        services.create_service(
            world.secretary_a, world.committee, name="x", place="y", slot_minutes=30, book_ahead_days=7
        )
    service = make_service(world)
    with pytest.raises(ValidationError, match="重叠"):
        services.add_hours(world.staff, service, weekdays=[0], opens=time(11), closes=time(12), counters=1)
    with pytest.raises(PermissionDenied):
        services.add_hours(world.member_a, service, weekdays=[5], opens=time(9), closes=time(12), counters=1)
    updated = services.update_service(world.staff, service, place="党群服务中心 3 号窗口")
    assert updated.place == "党群服务中心 3 号窗口"
    assert AuditEntry.objects.filter(action="booking.service_update").exists()


def test_double_booking_by_many_people_keeps_to_capacity_on_sqlite_too(world):
    service = make_service(world, counters=3)
    people = [PersonFactory(employee_no=f"Q{n:04d}") for n in range(5)]
    for person in people:
        join(person, world.branch_a)
    results = []
    for person in people:
        try:
            services.book(person, service, at(TUESDAY, 9), now=NOW)
            results.append(True)
        except ValidationError:
            results.append(False)
    assert results == [True, True, True, False, False] and Slot.objects.get().booked == 3
    assert Booking.objects.count() == 3 and timedelta(minutes=30) == Slot.objects.get().ends_at - at(TUESDAY, 9)


def test_a_slot_inside_the_cancel_window_says_so_before_it_is_booked(world, client):
    """Booked at 12:57 for 13:30 with a two-hour window, the booking can no longer be cancelled: the tester learnt it
    only on the confirmation page. The slot and its confirm question say it first; the others do not."""
    service = make_service(world, cancel_hours=2)
    day = NOW.date()
    slots = {s.starts_at: s for s in queries.day_slots(service, day, world.member_a, now=at(day, 12, 57))}
    assert slots[at(day, 13, 30)].binding and slots[at(day, 14, 30)].binding
    assert not slots[at(day, 15, 0)].binding and not slots[at(day, 16, 30)].binding
    # the page, on the real clock: with a window of a week, a slot the day after tomorrow is binding, one in ten
    # days is not
    week = make_service(world, name="党组织关系转接", cancel_hours=168, ahead=20)
    client.force_login(world.member_a)
    today = timezone.localdate()
    soon = next(d for d in (today + timedelta(days=n) for n in range(2, 9)) if services.slot_times(week, d))
    later = next(d for d in (today + timedelta(days=n) for n in range(10, 18)) if services.slot_times(week, d))
    page = client.get(f"/booking/service/{week.pk}/", {"day": soon.isoformat()}).content.decode()
    assert "开始前 168 小时内，预约后不能取消或改约" in page and "预约后就不能再取消。确定预约吗？" in page
    page = client.get(f"/booking/service/{week.pk}/", {"day": later.isoformat()}).content.decode()
    assert "预约后不能取消或改约" not in page and "确定预约这个时段吗？" in page
