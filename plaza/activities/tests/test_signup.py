"""Sign-up with capacity and a waiting list, refusals with their reasons, check-in, points, reminders."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from plaza.activities import services
from plaza.activities.models import Activity, Signup, SignupState, State
from plaza.activities.sweep import activities_daily, activities_sweep
from plaza.lib import clock
from plaza.notify.models import Notification
from plaza.points.services import balance_of
from plaza.testing.factories import PersonFactory, join

from .helpers import make_activity, soon


@pytest.fixture
def crowd(world):
    people = [PersonFactory(employee_no=f"K{n:04d}", name=f"员工{n}") for n in range(4)]
    for person in people:
        join(person, world.branch_a)
    return people


def test_capacity_then_waiting_list_then_cancel_moves_the_first_up_and_tells_them(world, crowd, committed):
    activity = make_activity(world, capacity=2)
    first, second, third, fourth = (services.sign_up(p, activity) for p in crowd)
    assert [s.state for s in (first, second, third, fourth)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert services.waiting_position(third) == 1 and services.waiting_position(fourth) == 2
    activity.refresh_from_db()
    assert activity.taken == 2
    with committed():
        services.cancel_signup(crowd[0], first)
    third.refresh_from_db()
    fourth.refresh_from_db()
    activity.refresh_from_db()
    assert third.state == SignupState.CONFIRMED and third.promoted_at is not None
    assert fourth.state == SignupState.WAITING and services.waiting_position(fourth) == 1
    assert activity.taken == 2
    assert Notification.objects.filter(recipient=crowd[2], title__contains="候补成功").exists()
    assert not Notification.objects.filter(recipient=crowd[3], title__contains="候补成功").exists()
    # A waiting person who withdraws frees nothing; a confirmed one with nobody waiting frees a place.
    services.cancel_signup(crowd[3], fourth)
    services.cancel_signup(crowd[1], second)
    activity.refresh_from_db()
    assert activity.taken == 1


def test_more_places_move_the_waiting_list_up(world, crowd):
    activity = make_activity(world, capacity=2)
    signups = [services.sign_up(p, activity) for p in crowd]
    data = {key: getattr(activity, key) for key in services.ACTIVITY_FIELDS}
    with pytest.raises(ValidationError, match="已有 2 人报名，名额不能少于 2 个"):
        services.update_activity(world.secretary_a, activity, audience=[world.branch_a], **{**data, "capacity": 1})
    services.update_activity(world.secretary_a, activity, audience=[world.branch_a], **{**data, "capacity": 3})
    states = [Signup.objects.get(pk=s.pk).state for s in signups]
    assert states == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_no_double_sign_up(world):
    activity = make_activity(world)
    services.sign_up(world.member_a, activity)
    with pytest.raises(ValidationError, match="您已报名此活动，无需重复报名"):
        services.sign_up(world.member_a, activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.create(activity=activity, person=world.member_a, state="waiting", created_at=clock.now())
    assert Signup.objects.filter(activity=activity).count() == 1
    # Cancelled, one may sign up again (a new row).
    services.cancel_signup(world.member_a, Signup.objects.get())
    assert services.sign_up(world.member_a, activity).state == SignupState.CONFIRMED


def test_refusals_say_why(world, crowd):
    now = clock.now()
    activity = make_activity(world, capacity=1, waiting_list=False)
    services.sign_up(crowd[0], activity)
    with pytest.raises(ValidationError, match="名额已满（共 1 个名额），本活动不设候补"):
        services.sign_up(crowd[1], activity)
    with pytest.raises(ValidationError, match="报名已于 .* 截止"):
        services.sign_up(crowd[1], activity, now=activity.signup_deadline + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="开始，不能再报名"):
        services.sign_up(crowd[1], activity, now=activity.starts_at + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="不面向您所在的组织"):
        services.sign_up(world.member_b, activity)
    other = make_activity(world, title="主题党日")
    services.close_signup(world.secretary_a, other)
    with pytest.raises(ValidationError, match="组织者已关闭报名"):
        services.sign_up(crowd[1], other)
    third = make_activity(world, title="工会活动")
    services.sign_up(crowd[2], third)
    with pytest.raises(ValidationError, match="请写明取消活动的原因"):
        services.cancel_activity(world.secretary_a, third, "")
    services.cancel_activity(world.secretary_a, third, "天气原因")
    with pytest.raises(ValidationError, match="活动已取消"):
        services.sign_up(crowd[1], third)
    assert Activity.objects.get(pk=third.pk).taken == 0
    with pytest.raises(ValidationError, match="开始时间已过"):
        make_activity(world, starts_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError, match="报名截止时间不能晚于活动开始时间"):
        make_activity(world, signup_deadline=soon(80))


def test_cancel_only_by_the_person_and_before_the_start(world):
    activity = make_activity(world)
    signup = services.sign_up(world.member_a, activity)
    with pytest.raises(PermissionDenied):
        services.cancel_signup(world.activist_a, signup)
    with pytest.raises(ValidationError, match="开始，不能取消报名"):
        services.cancel_signup(world.member_a, signup, now=activity.starts_at + timedelta(minutes=5))


def test_audience_reaches_the_subtree_and_the_union(world):
    committee_wide = make_activity(world, actor=world.staff, organisation=world.committee, audience=[world.committee])
    assert services.reaches(world.member_b, committee_wide) and services.reaches(world.member_a, committee_wide)
    assert not services.reaches(world.employee, committee_wide)
    everyone = make_activity(
        world, actor=world.staff, organisation=world.committee, audience=[world.committee, world.union]
    )
    assert services.sign_up(world.employee, everyone).state == SignupState.CONFIRMED


def _started(world, **extra):
    """An activity created five days ago that started ten minutes ago, member_a confirmed, activist waiting."""
    starts = soon(-10 / 60)
    created = starts - timedelta(days=5)
    activity = make_activity(world, starts_at=starts, capacity=1, now=created, **extra)
    confirmed = services.sign_up(world.member_a, activity, now=created)
    waiting = services.sign_up(world.activist_a, activity, now=created)
    return activity, confirmed, waiting


def test_check_in_by_the_rotating_code_gives_points_once(world):
    activity, confirmed, waiting = _started(world, points=5)
    before = balance_of(world.member_a)
    token = services.qr_token(activity)
    signup, first = services.check_in(world.member_a, activity, token)
    assert first and signup.checked_in_at is not None and signup.points_given == 5
    signup, first = services.check_in(world.member_a, activity, token)
    assert not first
    assert balance_of(world.member_a) == before + 5
    # The organiser checking them in by hand again changes nothing, and the ledger's key holds.
    assert services.check_in_by_hand(world.secretary_a, confirmed) is False
    assert balance_of(world.member_a) == before + 5
    with pytest.raises(ValidationError, match="还在候补名单中"):
        services.check_in(world.activist_a, activity, token)
    with pytest.raises(ValidationError, match="您没有报名"):
        services.check_in(world.secretary_a, activity, token)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 300):
        stale = services.qr_token(activity)
    with pytest.raises(ValidationError, match="二维码已过期"):
        services.check_in(world.member_a, activity, stale)
    old = services.qr_token(activity)
    with pytest.raises(ValidationError, match="二维码无效"):
        services.check_in(world.member_a, activity, old + "x")
    other, _c, _w = _started(world, title="另一个活动")
    with pytest.raises(ValidationError, match="二维码不属于这个活动"):
        services.check_in(world.member_a, other, token)


def test_check_in_window_and_by_hand(world):
    activity = make_activity(world)
    signup = services.sign_up(world.member_a, activity)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.check_in(world.member_a, activity, services.qr_token(activity))
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.check_in_by_hand(world.secretary_a, signup)
    with pytest.raises(PermissionDenied):
        services.check_in_by_hand(world.secretary_b, signup, now=activity.starts_at)
    assert services.check_in_by_hand(world.secretary_a, signup, now=activity.starts_at) is True
    with pytest.raises(ValidationError, match="您已签到，不能取消报名"):
        services.cancel_signup(world.member_a, signup, now=activity.starts_at - timedelta(minutes=30))


def test_reminder_sweep_is_idempotent(world, committed):
    # tomorrow at noon (local): "later today or tomorrow" at whatever hour the test runs (soon(30) is the day after
    # tomorrow when run after 18:00 China time)
    tomorrow_noon = timezone.make_aware(datetime.combine(clock.today() + timedelta(days=1), clock_time(12)))
    activity = make_activity(world, starts_at=tomorrow_noon)
    far = make_activity(world, starts_at=soon(24 * 6), title="下周的活动")
    services.sign_up(world.member_a, activity)
    services.sign_up(world.member_a, far)
    waiting_only = make_activity(world, starts_at=tomorrow_noon, capacity=1, title="满员活动")
    services.sign_up(world.activist_a, waiting_only)
    services.sign_up(world.member_a, waiting_only)  # waiting: not reminded
    with committed():
        result = activities_sweep(clock.now())
    assert result == {"reminded": 2}
    with committed():
        assert activities_sweep(clock.now()) == {"reminded": 0}
        assert activities_daily(clock.today()) == {"reminded": 0}
    titles = list(Notification.objects.filter(recipient=world.member_a).values_list("title", flat=True))
    assert sum("活动提醒：社区志愿服务" in t for t in titles) == 1 and not any("下周" in t for t in titles)


def test_report_and_photos_after_the_start(world):
    import io

    from PIL import Image

    activity, _confirmed, _waiting = _started(world)
    future = make_activity(world)
    with pytest.raises(ValidationError, match="活动开始后才能填写小结"):
        services.write_report(world.secretary_a, future, "写早了")
    services.write_report(world.secretary_a, activity, "20 名党员到金桥社区开展新能源汽车科普。")
    picture = io.BytesIO()
    Image.new("RGB", (3000, 2000), "red").save(picture, format="JPEG")
    photo = services.add_photo(world.secretary_a, activity, picture.getvalue(), "科普现场")
    with Image.open(photo.image.open("rb")) as kept:
        assert max(kept.size) <= 1920 and not kept.getexif()
    with pytest.raises(ValidationError, match="无法识别这张图片"):
        services.add_photo(world.secretary_a, activity, b"not a picture")
    with pytest.raises(PermissionDenied):
        services.write_report(world.secretary_b, activity, "别人的活动")
    photo.image.delete(save=False)


def test_cancelled_activity_tells_everyone(world, committed):
    activity = make_activity(world, capacity=1)
    services.sign_up(world.member_a, activity)
    services.sign_up(world.activist_a, activity)
    with committed():
        services.cancel_activity(world.secretary_a, activity, "场地检修")
    assert Activity.objects.get(pk=activity.pk).state == State.CANCELLED
    for person in (world.member_a, world.activist_a):
        assert Notification.objects.filter(recipient=person, title__contains="场地检修").exists()
