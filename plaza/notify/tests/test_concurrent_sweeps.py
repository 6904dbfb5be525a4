"""Two sweeps at the same moment on PostgreSQL never send the same reminder twice."""

import threading
from datetime import datetime

import pytest
from django.db import connection, connections
from django.utils import timezone

from plaza.notify import services
from plaza.notify.dispatch import send_due_reminders
from plaza.notify.models import Delivery, Notification
from plaza.testing.factories import PersonFactory

NOW = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    people = [PersonFactory() for _ in range(50)]
    services.schedule_reminder(
        subject_type="test",
        subject_id="1",
        kind="reminder",
        title="换届提醒",
        due_at=NOW,
        recipients=people,
        dedupe_key="concurrent",
    )
    barrier = threading.Barrier(2)
    results = []

    def sweep(name: str) -> None:
        try:
            barrier.wait()
            results.append(send_due_reminders(NOW, worker=name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.delivered for r in results) == 50
    assert Delivery.objects.filter(state="delivered").count() == 50
    per_person = Notification.objects.values_list("recipient_id", flat=True)
    assert sorted(per_person) == sorted(p.pk for p in people)  # exactly one each
