"""Notices go through the outbox after commit: a rolled-back write tells nobody, and a slow mail server holds
up neither the request nor its transaction (the worker sends, woken at once by the commit)."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from plaza.core import scheduler
from plaza.meetings import services as meetings
from plaza.notify import services
from plaza.notify.models import NOTICE, Delivery, Notification, Reminder

SLOW_SECONDS = 5.0


class SlowEmailBackend(EmailBackend):
    """A mail server that takes 5 s to accept each message, then keeps it in ``mail.outbox``."""

    sent = threading.Event()

    def send_messages(self, messages):  # noqa: ANN001, ANN201
        time.sleep(SLOW_SECONDS)
        count = super().send_messages(messages)
        SlowEmailBackend.sent.set()
        return count


def _with_email(world):
    world.member_a.email = "zhang@example.com"
    world.member_a.save()
    return world


def _plan(world):
    start = timezone.now() + timedelta(days=3)
    return meetings.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind="theme_day",
        topic="学习党的二十届四中全会精神",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="装调车间会议室",
    )


@pytest.mark.django_db(transaction=True)
def test_a_service_that_fails_after_announcing_sends_nothing(world, monkeypatch):
    _with_email(world)

    def fail(meeting):  # noqa: ANN001, ANN202
        raise RuntimeError("the write failed after the meeting was announced")

    monkeypatch.setattr("plaza.meetings.services._counts_for_its_period", fail)
    with pytest.raises(RuntimeError):
        _plan(world)
    assert not Notification.objects.exists() and not mail.outbox
    assert not Reminder.objects.filter(subject_type=NOTICE).exists() and not Delivery.objects.exists()

    @transaction.atomic
    def announce_then_fail() -> None:
        services.notify([world.member_a], kind="general", title="不该发出的通知")
        raise ValueError("rolled back")

    with pytest.raises(ValueError):
        announce_then_fail()
    assert not Notification.objects.exists() and not mail.outbox

    monkeypatch.undo()  # the same write, committed, is told (at once: Celery is eager in tests)
    _plan(world)
    assert Notification.objects.filter(recipient=world.member_a, title__contains="主题党日通知").exists()
    assert [message.to for message in mail.outbox] == [["zhang@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_does_not_slow_the_request(world, client, settings):
    _with_email(world)
    meeting = _plan(world)  # planned before the worker runs: its notice went out inline, to the fast backend
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    SlowEmailBackend.sent.clear()
    mail.outbox.clear()
    scheduler.start(interval=3600, daily=False)  # the embedded default's worker; only a kick wakes it this hour
    try:
        client.force_login(world.secretary_a)
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200  # URLs and views imported: not timed
        started = time.perf_counter()
        response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "与生产计划冲突"})
        elapsed = time.perf_counter() - started
        mail_done_before_the_answer = SlowEmailBackend.sent.is_set()
        assert response.status_code == 302
        # Had the request sent the email itself it would have taken the mail server's 5 s, and the message
        # would be out before the answer; a busy machine may still take a few seconds over the request itself.
        assert not mail_done_before_the_answer and elapsed < SLOW_SECONDS, f"the request took {elapsed:.1f} s"
        # …and the notice still arrives within seconds, sent by the worker the commit woke.
        assert SlowEmailBackend.sent.wait(SLOW_SECONDS + 10)
    finally:
        scheduler.stop(timeout=SLOW_SECONDS + 10)
    assert Notification.objects.filter(recipient=world.member_a, title__contains="会议取消").exists()
    assert any("会议取消" in message.subject for message in mail.outbox)
