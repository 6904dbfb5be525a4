"""The points ledger: earning, spending, refunds, staff awards and adjustments, daily caps, 阅读豆, expiry."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.points import queries, services
from plaza.points.models import Balance, Entry, Kind, LedgerIsAppendOnly, Total
from plaza.testing.factories import PersonFactory


def test_earn_spend_refund_keep_the_balance(world):
    person = world.member_a
    services.earn(person, 10, reason="学习", source_type="reading", source_id="a1")
    services.spend(person, 4, reason="兑换")
    services.refund(person, 2, reason="退还")
    assert services.balance_of(person) == 8
    assert sorted(Entry.objects.filter(person=person).values_list("amount", flat=True)) == [-4, 2, 10]
    with pytest.raises(ValidationError, match="积分不足"):
        services.spend(person, 9, reason="兑换")
    assert services.balance_of(person) == 8 and Entry.objects.filter(person=person).count() == 3
    for bad in (0, -1):
        with pytest.raises(ValidationError):
            services.earn(person, bad, reason="x")


def test_earn_with_one_key_adds_one_entry(world):
    first = services.earn(world.member_a, 5, reason="视频", key="video:1:a")
    again = services.earn(world.member_a, 5, reason="视频", key="video:1:a")
    assert first.pk == again.pk and services.balance_of(world.member_a) == 5


def test_the_ledger_is_append_only(world):
    entry = services.earn(world.member_a, 3, reason="学习")
    entry.amount = 300
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        Entry.objects.filter(pk=entry.pk).update(amount=300)
    with pytest.raises(LedgerIsAppendOnly):
        Entry.objects.all().delete()


def test_staff_award_and_adjust_are_audited_and_scoped(world):
    entry = services.award(world.staff, world.member_b, 50, "优秀党员表彰")
    assert entry.kind == Kind.EARN and entry.created_by == world.staff and entry.source_type == "award"
    services.adjust(world.staff, world.member_b, -20, "重复发放更正")
    assert services.balance_of(world.member_b) == 30
    audit = AuditEntry.objects.filter(action__startswith="points.").order_by("id")
    actions = list(audit.values_list("action", "reason"))
    assert actions == [("points.award", "优秀党员表彰"), ("points.adjust", "重复发放更正")]
    with pytest.raises(ValidationError, match="积分不足"):
        services.adjust(world.staff, world.member_b, -31, "更正")
    with pytest.raises(ValidationError, match="原因"):
        services.award(world.staff, world.member_b, 5, " ")
    with pytest.raises(ValidationError):
        services.award(world.staff, world.member_b, -5, "奖励")
    for outsider in (world.secretary_a, world.member_a, world.employee):  # no Cap.POINTS
        with pytest.raises(PermissionDenied):
            services.award(outsider, world.member_b, 5, "自己给自己")
    services.award(world.staff, world.employee, 5, "工会活动")  # the enterprise 组织部 serves union members too
    assert services.balance_of(world.member_b) == 30 and services.balance_of(world.employee) == 5


@override_settings(PLAZA_POINTS_DAILY_CAPS={"reading": 10, "video": 3})
def test_daily_cap_grants_the_remainder(world):
    person = world.member_a
    assert services.earn_for_activity(person, "video", 2, key="v1").granted == 2
    partly = services.earn_for_activity(person, "video", 2, key="v2")
    assert partly.granted == 1 and "上限" in partly.message
    none = services.earn_for_activity(person, "video", 2, key="v3")
    assert none.granted == 0 and none.entry is None and "上限" in none.message
    assert services.earn_for_activity(person, "quiz", 25, key="q1").granted == 20  # the default cap
    repeated = services.earn_for_activity(person, "quiz", 25, key="q1")
    assert repeated.repeated and repeated.granted == 0
    with pytest.raises(ValidationError):
        services.earn_for_activity(person, "sleeping", 1)
    assert services.balance_of(person) == 23


def test_yesterdays_points_do_not_count_against_today(world):
    person = world.member_a
    Entry.objects.create(
        person=person,
        kind=Kind.EARN,
        amount=10,
        reason="昨天",
        source_type="video",
        created_at=timezone.now() - timedelta(days=1, hours=1),
    )
    assert services.earn_for_activity(person, "video", 5, key="v").granted == 5


@override_settings(PLAZA_POINTS_READING_MIN_SECONDS=30, PLAZA_POINTS_READING_BEANS=2)
def test_reading_beans_once_per_article_and_only_for_real_reading(world):
    person = world.member_a
    with pytest.raises(ValidationError, match="阅读时间不足 30 秒"):
        services.reading_beans(person, "art-1", seconds_on_page=10, progress=1.0)
    with pytest.raises(ValidationError, match="读完全文"):
        services.reading_beans(person, "art-1", seconds_on_page=60, progress=0.5)
    grant = services.reading_beans(person, "art-1", seconds_on_page=60, progress=0.95)
    assert grant.granted == 2 and grant.entry.idempotency_key == f"reading:art-1:{person.pk}"
    again = services.reading_beans(person, "art-1", seconds_on_page=90, progress=1.0)
    assert again.granted == 0 and again.repeated and "已经领过" in again.message
    for n in range(2, 8):
        services.reading_beans(person, f"art-{n}", seconds_on_page=60, progress=1.0)
    assert services.balance_of(person) == 10  # the daily reading cap
    capped = services.reading_beans(person, "art-9", seconds_on_page=60, progress=1.0)
    assert capped.granted == 0 and "上限" in capped.message
    other = services.reading_beans(world.member_b, "art-1", seconds_on_page=60, progress=1.0)
    assert other.granted == 2  # the same article for someone else


def test_expire_year_keeps_what_came_later(world):
    last_year = timezone.localdate().year - 1
    early = timezone.make_aware(datetime(last_year, 6, 1))
    Entry.objects.create(person=world.member_a, kind=Kind.EARN, amount=30, reason="去年", created_at=early)
    Balance.objects.create(person=world.member_a, amount=30)
    services.earn(world.member_a, 5, reason="今年")
    services.earn(world.member_b, 7, reason="今年")
    assert services.expire_year(world.staff, last_year) == 1
    assert services.balance_of(world.member_a) == 5 and services.balance_of(world.member_b) == 7
    assert services.expire_year(world.staff, last_year) == 0  # idempotent
    with pytest.raises(ValidationError):
        services.expire_year(world.staff, timezone.localdate().year)
    with pytest.raises(PermissionDenied):
        services.expire_year(world.secretary_a, last_year)


def test_rankings_per_branch_and_period(world):
    services.award(world.staff, world.member_a, 30, "表彰")
    services.award(world.staff, world.secretary_a, 40, "表彰")
    services.award(world.staff, world.member_b, 50, "表彰")
    services.spend(world.member_b, 45, reason="兑换")  # spending does not lower the rank
    kept = sorted(Total.objects.values_list("person_id", "period", "earned"))
    services.rebuild_totals()
    assert sorted(Total.objects.values_list("person_id", "period", "earned")) == kept  # kept = recomputed
    old = timezone.now() - timedelta(days=40)
    Entry.objects.create(person=world.member_a, kind=Kind.EARN, amount=100, reason="早先", created_at=old)
    services.rebuild_totals()  # an entry loaded around the services (an import, a repair) needs a rebuild
    everyone = [(r.name, r.total) for r in queries.ranking("month")]
    assert everyone == [("李红梅", 50), ("刘昭涛", 40), ("张建国", 30)]
    assert [r.name for r in queries.ranking("all")][0] == "张建国"
    branch = queries.branch_of(world.member_a)
    assert branch == world.branch_a
    assert [r.name for r in queries.ranking("week", branch)] == ["刘昭涛", "张建国"]
    assert queries.branch_of(world.employee) is None


def test_ranking_is_one_query(world, django_assert_num_queries):
    for n in range(5):
        services.earn(PersonFactory(), n + 1, reason="学习")
    with django_assert_num_queries(1):
        rows = queries.ranking("week", limit=3)
    assert [r.total for r in rows] == [5, 4, 3]
