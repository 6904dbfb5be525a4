"""年度清零: staff see what it would take before they confirm; the yearly job runs it in January only when the
deployment asks for it; the command runs it as the system."""

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.points import queries, services
from plaza.points.models import Balance, Entry, Kind

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def last_years_points(world):
    """张建国 kept 30 points from last year and earned 5 this year; 李 earned 7 this year only."""
    Entry.objects.create(
        person=world.member_a,
        kind=Kind.EARN,
        amount=30,
        reason="去年",
        created_at=timezone.make_aware(datetime(LAST_YEAR, 6, 1)),
    )
    Balance.objects.create(person=world.member_a, amount=30)
    services.earn(world.member_a, 5, reason="今年")
    services.earn(world.member_b, 7, reason="今年")
    return world


def test_the_page_previews_then_expires_with_confirmation(client, last_years_points):
    world = last_years_points
    client.force_login(world.staff)
    page = client.get("/points/office/expire/").content.decode()
    assert queries.expiry_preview(LAST_YEAR, world.staff) == queries.ExpiryPreview(LAST_YEAR, 1, 30, 0)
    assert "data-confirm" in page and "共 30 积分" in page
    answer = client.post("/points/office/expire/", {"year": str(LAST_YEAR)}, follow=True).content.decode()
    assert f"已将 1 人 {LAST_YEAR} 年度未使用的积分清零" in answer
    assert services.balance_of(world.member_a) == 5 and services.balance_of(world.member_b) == 7
    assert "没有需要清零的积分" in answer and "已为 1 人清零" in answer
    assert AuditEntry.objects.filter(action="points.expire", actor=world.staff).count() == 1
    client.force_login(world.member_a)
    assert client.get("/points/office/expire/").status_code == 403


def test_the_yearly_job_runs_only_in_january_and_only_when_wanted(last_years_points, settings):
    world = last_years_points
    january = date(LAST_YEAR + 1, 1, 2)
    assert services.daily_pass(january) == "yearly expiry off"
    assert services.balance_of(world.member_a) == 35
    settings.PLAZA_POINTS_EXPIRE_YEARLY = True
    assert services.daily_pass(date(LAST_YEAR + 1, 2, 2)) == "nothing to do"
    assert services.balance_of(world.member_a) == 35
    services.daily_pass(january)
    services.daily_pass(january)  # every day of January: once only
    assert services.balance_of(world.member_a) == 5
    assert AuditEntry.objects.get(action="points.expire").actor_name == "系统"


def test_the_command_expires_a_past_year_and_refuses_the_current_one(last_years_points):
    call_command("expire_points", str(LAST_YEAR), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert services.balance_of(last_years_points.member_a) == 5
    with pytest.raises(CommandError, match="尚未结束"):
        call_command("expire_points", str(LAST_YEAR + 1), stdout=open("/dev/null", "w"))  # noqa: SIM115
