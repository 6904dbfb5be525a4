"""E线声音: routing, 首接负责, deadlines in working days over National Day, return, escalation, rating, reopening,
附议 and its threshold, refusals in Chinese."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.notify.models import Delivery, Reminder
from plaza.voice import services
from plaza.voice.models import Category, Item, State, Support
from plaza.voice.sweep import voice_sweep

from .helpers import DAY, categories, file, union_chair


@pytest.fixture
def cats(world):  # noqa: ANN001, ANN201
    return categories(world)


def test_routing_by_category_and_submitters_organisation(world, cats):
    party, canteen, welfare = cats
    assert services.route(world.member_a, party) == world.branch_a  # the branch's secretary handles it
    assert services.route(world.member_b, party) == world.branch_b
    assert services.route(world.member_a, canteen) == world.committee  # straight to the owner
    assert services.route(world.employee, welfare) == world.union  # union member, no sub-union handler
    assert services.route(world.employee, party) == world.committee  # not in the Party tree: the owner


def test_deadlines_count_working_days_over_national_day(world, cats):
    item = file(world, today=date(2026, 9, 30))
    # 10-01..10-07 are the holiday; 10-08 and 10-09 the two working days after 09-30
    assert item.acknowledge_due == date(2026, 10, 9)
    assert item.return_due == date(2026, 10, 9)
    item = services.accept(world.secretary_a, item, today=date(2026, 10, 9))
    assert item.accepted_in_time is True
    assert item.answer_due == date(2026, 10, 15)  # 10-10 (a Saturday worked, 调休上班), 10-12, 13, 14, 15
    item = services.extend(world.secretary_a, item, 3, "需要设备部门核实照明改造排期")
    assert item.extended
    with pytest.raises(ValidationError, match="只能延期一次"):
        services.extend(world.secretary_a, item, 1, "再延")


def test_first_receiver_stays_responsible_until_accepted_elsewhere(world, cats):
    item = file(world)
    assert item.organisation == world.branch_a
    with pytest.raises(PermissionDenied):
        services.accept(world.secretary_b, item)
    services.forward(world.secretary_a, item, world.branch_b, "这是物流的叉车通道问题")
    item.refresh_from_db()
    assert item.organisation == world.branch_a and item.forwarded_to == world.branch_b
    with pytest.raises(ValidationError, match="等待其接收"):
        services.forward(world.secretary_a, item, world.committee, "再转")
    services.decline_forward(world.secretary_b, item, "不属于物流")
    item.refresh_from_db()
    assert item.organisation == world.branch_a and item.forwarded_to is None
    services.forward(world.secretary_a, item, world.branch_b, "确属物流通道")
    item = services.accept(world.secretary_b, item, today=DAY)
    assert item.organisation == world.branch_b and item.forwarded_to is None and item.state == State.ACCEPTED


def test_return_within_the_allowed_time_goes_up_with_a_reason(world, cats):
    item = file(world)
    with pytest.raises(ValidationError, match="请填写退回理由"):
        services.return_item(world.secretary_a, item, "  ", today=DAY)
    late = date(2026, 10, 20)
    with pytest.raises(ValidationError, match="已超过退回期限"):
        services.return_item(world.secretary_a, item, "不属于本支部", today=late)
    item = services.return_item(world.secretary_a, item, "不属于本支部", today=DAY)
    assert item.state == State.RETURNED and item.organisation == world.general_branch
    assert item.events.filter(note="不属于本支部").exists()


def test_reminder_then_escalation_once_each(world, cats, committed):
    item = file(world)  # received 09-29, acknowledge by 10-08
    assert item.acknowledge_due == date(2026, 10, 8)
    before = Reminder.objects.count()
    assert voice_sweep(date(2026, 9, 30)).reminded == 1  # the working day before is 10-08 itself
    assert voice_sweep(date(2026, 9, 30)).reminded == 0
    result = voice_sweep(date(2026, 10, 9))
    assert result.escalated == 1
    assert voice_sweep(date(2026, 10, 9)).escalated == 0
    item.refresh_from_db()
    assert services.overdue(item, date(2026, 10, 9))
    assert item.events.filter(title__contains="督办").exists()
    assert Reminder.objects.count() > before
    # the level above the branch (党总支, no handler of its own) is the 党委: its 组织部 hears of it
    told = Delivery.objects.filter(recipient=world.staff, reminder__title__contains="督办")
    assert told.exists() and world.member_a.name not in told.first().reminder.title


def test_a_late_item_at_the_top_is_escalated_to_each_handler_once(world, cats, committed):
    """An item at the 党委 itself has no level above: its handlers are the ones told, once (the tester saw the
    督办 notice twice, with the same time)."""
    item = file(world, category=Category.objects.get(name="食堂与后勤"))  # owned by the 党委, not via the branch
    assert item.organisation == world.committee
    assert voice_sweep(date(2026, 10, 9)).escalated == 1
    assert Delivery.objects.filter(recipient=world.staff, reminder__title__contains="督办").count() == 1


def test_answer_rate_and_reopen(world, cats, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    item = file(world)
    services.accept(world.secretary_a, item)
    services.ask(world.secretary_a, item, "是哪一个班次？")
    services.reply(world.member_a, item, "夜班")
    with pytest.raises(PermissionDenied):
        services.reply(world.member_b, item, "我替他说")
    item = services.answer(world.secretary_a, item, "已加装两盏工位灯。", "二号工位加装照明")
    assert item.state == State.ANSWERED and item.answered_in_time
    with pytest.raises(ValidationError, match="理由"):
        services.reopen(world.member_a, item, "")
    item = services.reopen(world.member_a, item, "灯还是不够亮")
    assert item.state == State.IN_PROGRESS
    item = services.answer(world.secretary_a, item, "更换为更亮的灯管。")
    item = services.rate(world.member_a, item, True, "谢谢")
    assert item.state == State.CLOSED and item.satisfied
    with pytest.raises(ValidationError, match="已评价"):
        services.rate(world.member_a, item, False)


def test_reopen_refused_after_the_window(world, cats):
    item = file(world)
    services.accept(world.secretary_a, item, today=DAY)
    item = services.answer(world.secretary_a, item, "已处理", today=DAY)
    with pytest.raises(ValidationError, match="已超过期限"):
        services.reopen(world.member_a, item, "没解决", today=date(2026, 10, 20))
    assert voice_sweep(date(2026, 10, 20)).closed == 1


def test_support_once_and_the_threshold(world, cats, settings):
    settings.PLAZA_VOICE_SUPPORT_THRESHOLD = 2
    item = file(world, public=True)
    with pytest.raises(ValidationError, match="不能附议自己"):
        services.support(world.member_a, item)
    services.support(world.member_b, item)
    with pytest.raises(ValidationError, match="每人只能附议一次"):
        services.support(world.member_b, item)
    item = services.support(world.employee, item)
    assert item.supports == 2 == Support.objects.filter(item=item).count()
    assert item.raised_on is not None
    private = file(world)
    with pytest.raises(ValidationError, match="公开"):
        services.support(world.member_b, private)


def test_bad_input_is_refused_in_chinese(world, cats):
    with pytest.raises(ValidationError, match="请填写内容"):
        file(world, text="   ")
    with pytest.raises(ValidationError, match="太长"):
        file(world, text="长" * 2001)
    with pytest.raises(ValidationError, match="图片|JPG"):
        file(world, photos=[b"not a picture at all"])
    assert not Item.objects.exists()


def test_union_item_goes_to_the_union_chair(world, cats):
    chair = union_chair(world)
    _party, _canteen, welfare = cats
    item = file(world, person=world.employee, category=welfare)
    assert item.organisation == world.union
    services.accept(chair, item, today=DAY)
    with pytest.raises(PermissionDenied):
        services.accept(world.staff, item)


def test_merge_gets_the_answer(world, cats):
    first = file(world)
    second = file(world, text="二号工位太暗")
    services.accept(world.secretary_a, first, today=DAY)
    services.merge(world.secretary_a, second, first, "同一问题")
    services.answer(world.secretary_a, first, "已加装照明", today=DAY)
    second.refresh_from_db()
    assert second.state == State.MERGED and second.answer == "已加装照明"
