"""Two sign-ins of the same person at the same moment count once (PostgreSQL, real connections)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from plaza.meetings import services
from plaza.meetings.models import Kind


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_signing_in_twice_at_once_counts_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    starts_at = timezone.now() - timedelta(minutes=5)
    meeting = services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="主题党日",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    token = services.qr_token(meeting)
    barrier = threading.Barrier(4)
    firsts: list[bool] = []

    def sign_in() -> None:
        try:
            barrier.wait()
            firsts.append(services.sign_in(world.member_a, meeting, token)[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == [False, False, False, True]
    assert meeting.attendance.filter(state="present").count() == 1
