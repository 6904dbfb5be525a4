from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from plaza.notify import dispatch, services
from plaza.notify.channels import ChannelError, WeComClient
from plaza.notify.dispatch import send_due_reminders
from plaza.notify.models import Delivery, DeliveryState, Notification, Task

NOW = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def people(world):
    world.member_a.email, world.member_a.wecom_userid = "zhang@example.com", "zhangjianguo"
    world.member_a.save()
    return world


def remind(world, *, due=NOW, key="k1", recipients=None, **extra):
    return services.schedule_reminder(
        subject_type="test",
        subject_id="1",
        kind="reminder",
        title="主题党日提醒",
        body="本月主题党日请按时参加",
        url="/notify/todos/",
        due_at=due,
        recipients=recipients or [world.member_a, world.member_b],
        dedupe_key=key,
        **extra,
    )


def test_deliver_writes_inbox_and_email(people, committed):
    with committed():
        services.notify([people.member_a], kind="general", title="学习通知", body="请学习", url="/s/learn/")
    assert Notification.objects.get(recipient=people.member_a).title == "学习通知"
    assert mail.outbox[0].to == ["zhang@example.com"] and "请学习" in mail.outbox[0].body


def test_preferences_and_muted_kinds(people, committed):
    services.set_preferences(people.member_a, email=True, wecom=True, muted_kinds=["general"])
    with committed():
        services.notify([people.member_a], kind="general", title="一般通知")
    assert not mail.outbox and Notification.objects.filter(recipient=people.member_a).count() == 1
    services.set_preferences(people.member_a, email=False, wecom=False)
    with committed():
        services.notify([people.member_a], kind="reminder", title="工作提醒")
    assert not mail.outbox


def test_wecom_text_card_round_trip(people, wecom, committed):
    with committed():
        services.notify([people.member_a], kind="reminder", title="换届提醒", body="任期将满", url="/notify/todos/")
    [sent] = wecom.sent
    assert sent["touser"] == "zhangjianguo" and sent["agentid"] == 1000002 and sent["msgtype"] == "textcard"
    assert sent["textcard"]["title"] == "换届提醒"
    WeComClient().send(["a", "b"], "无链接", "正文")
    expected = {"touser": "a|b", "agentid": 1000002, "msgtype": "text", "text": {"content": "无链接\n正文"}}
    assert wecom.sent[-1] == expected
    assert wecom.tokens_issued == 1  # the token is cached


def test_wecom_refreshes_an_expired_token_once(people, wecom):
    WeComClient().send(["a"], "t", "d")
    wecom.expire_next_send = True
    WeComClient().send(["a"], "t", "d")
    assert wecom.tokens_issued == 2 and len(wecom.sent) == 2


def test_wecom_error_raises_channel_error(people, wecom):
    wecom.fail_with = (81013, "user & party & tag all invalid")
    with pytest.raises(ChannelError, match="81013"):
        WeComClient().send(["nobody"], "t", "d")


def test_sweep_sends_due_reminders_once(people):
    reminder = remind(people)
    assert send_due_reminders(NOW - timedelta(minutes=1)).delivered == 0
    first = send_due_reminders(NOW)
    second = send_due_reminders(NOW + timedelta(hours=1))
    assert (first.delivered, second.delivered) == (2, 0)
    assert Notification.objects.filter(title="主题党日提醒").count() == 2
    assert set(Delivery.objects.filter(reminder=reminder).values_list("state", flat=True)) == {"delivered"}


def test_rescheduling_with_the_same_key_does_not_duplicate(people):
    remind(people)
    remind(people, due=NOW + timedelta(days=1), recipients=[people.member_a])
    assert Delivery.objects.count() == 2
    assert Delivery.objects.get(recipient=people.member_b).state == DeliveryState.CANCELLED
    assert send_due_reminders(NOW).delivered == 0
    assert send_due_reminders(NOW + timedelta(days=1)).delivered == 1


def test_cancelled_reminders_are_not_sent(people):
    remind(people)
    assert services.cancel_reminders("test", "1") == 1
    assert send_due_reminders(NOW).delivered == 0


def test_a_failed_channel_is_retried_alone_with_backoff(people, wecom):
    wecom.fail_with = (60020, "not allow to access from your ip")
    remind(people, recipients=[people.member_a])
    assert send_due_reminders(NOW).failed == 1
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and "60020" in delivery.error
    assert delivery.inbox_at and delivery.email_at and delivery.wecom_at is None
    assert delivery.retry_at == NOW + timedelta(minutes=1)
    assert send_due_reminders(NOW + timedelta(seconds=30)).failed == 0  # not before the backoff
    wecom.fail_with = None
    assert send_due_reminders(NOW + timedelta(minutes=1)).delivered == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error) == ("delivered", 2, "")
    assert len(wecom.sent) == 1
    # Only the channel that failed was sent again: one inbox message, one email.
    assert Notification.objects.filter(recipient=people.member_a).count() == 1 and len(mail.outbox) == 1
    assert send_due_reminders(NOW + timedelta(hours=1)).delivered == 0


def test_failures_are_retried_with_growing_waits_then_given_up(people, monkeypatch):
    remind(people, recipients=[people.member_a])

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("plaza.notify.dispatch._send", broken)
    at = NOW
    assert send_due_reminders(at).failed == 1
    for wait in dispatch.BACKOFF:
        assert send_due_reminders(at + wait - timedelta(seconds=1)).failed == 0  # not yet
        at += wait
        assert send_due_reminders(at).failed == 1
    assert send_due_reminders(at + timedelta(days=2)).failed == 0  # given up: left for an administrator
    monkeypatch.undo()
    delivery = Delivery.objects.get()
    assert delivery.attempts == dispatch.MAX_ATTEMPTS == 5 and "database hiccup" in delivery.error


def test_stale_claims_are_abandoned_not_resent(people):
    remind(people, recipients=[people.member_a])
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_at=NOW, claimed_by="crashed")
    result = send_due_reminders(NOW + timedelta(minutes=20))
    assert result.abandoned == 1 and result.delivered == 0
    assert Delivery.objects.get().error == "worker crashed while sending"


def test_command_with_explicit_now(people, capsys):
    remind(people)
    call_command("send_due_reminders", "--now", "2026-03-02T08:00")
    call_command("send_due_reminders", "--now", "2026-03-02T09:00")
    out = capsys.readouterr().out
    assert "delivered 0" in out.splitlines()[0] and "delivered 2" in out.splitlines()[1]


def test_command_rejects_bad_now(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date-time"):
        call_command("send_due_reminders", "--now", "yesterday")


def test_a_task_without_the_key_its_work_closes_it_by_is_refused(people):
    """Issue 12 item 9: a to-do nothing could close stayed on the list after the work was done."""
    with pytest.raises(ValueError, match="source_type and source_id"):
        services.add_task(people.secretary_a, "整理会议记录", source_type="", source_id="")
    with pytest.raises(TypeError):
        services.add_task(people.secretary_a, "整理会议记录")  # the keys are required


def test_tasks_idempotent_per_source_and_completed_by_the_work(people):
    services.add_task(people.secretary_a, "确定发展对象", source_type="recruitment", source_id="7")
    services.add_task(people.secretary_a, "确定发展对象（更新）", source_type="recruitment", source_id="7")
    assert Task.objects.filter(done_at__isnull=True).count() == 1
    assert services.complete_tasks_for("recruitment", "7") == 1


def test_only_own_tasks_can_be_ticked_off(people, client):
    task = services.add_task(people.secretary_a, "整理会议记录", source_type="meetings-minutes", source_id="1")
    client.force_login(people.secretary_b)
    assert client.post(f"/notify/todos/{task.pk}/done/").status_code == 404
    client.force_login(people.secretary_a)
    assert client.post(f"/notify/todos/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None


def test_inbox_mark_read_only_touches_own(people, client):
    mine = Notification.objects.create(recipient=people.member_a, title="我的")
    theirs = Notification.objects.create(recipient=people.member_b, title="别人的")
    client.force_login(people.member_a)
    client.post("/notify/inbox/read/", {"id": [mine.pk, theirs.pk]})
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    body = client.post("/api/v1/notify/notifications/read", {"ids": [theirs.pk]}, content_type="application/json")
    assert body.json() == {"marked": 0}


def test_api_preferences_validate_kinds(people, client):
    client.force_login(people.member_a)
    ok = client.put(
        "/api/v1/notify/preferences",
        {"email": False, "wecom": True, "muted_kinds": ["general"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["email"] is False
    bad = client.put(
        "/api/v1/notify/preferences",
        {"email": False, "wecom": True, "muted_kinds": ["x"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert client.post("/api/v1/notify/notifications/read", {}, content_type="application/json").status_code == 422
    from typing import get_args

    from plaza.notify.api import KIND_VALUES, MessageKind

    assert sorted(get_args(MessageKind)) == sorted(KIND_VALUES)


def test_pages(people, client):
    services.add_task(
        people.member_a,
        "提交思想汇报",
        due_on=(timezone.localdate() - timedelta(days=1)),
        source_type="recruitment-report",
        source_id="1:2026Q1",
    )
    client.force_login(people.member_a)
    assert "已逾期" in client.get("/notify/todos/").content.decode()
    assert "暂无消息" in client.get("/notify/inbox/").content.decode()
    response = client.post("/notify/preferences/", {"email": "on"})
    assert response.status_code == 302


def test_scheduler_starts_once(monkeypatch):
    from plaza.core import scheduler

    idle = lambda interval: scheduler._stop.wait(interval)  # noqa: E731 - no database work
    monkeypatch.setattr(scheduler, "_outbox", idle)
    monkeypatch.setattr(scheduler, "_daily", idle)
    try:
        assert scheduler.start(interval=3600) is True
        assert scheduler.start(interval=3600) is False and scheduler.running()
        assert dispatch.local_worker is scheduler.wake  # a committed notice wakes this process's outbox
    finally:
        scheduler.stop()
    assert not scheduler.running() and dispatch.local_worker is None
