"""Hardship files: the line and the causes, the yearly review date (本单位规定), the sweep's to-do, the full view
only for the officers over the member and audited, masking in lists; help in two steps within the limits."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from plaza.audit.models import AuditEntry
from plaza.lib import clock
from plaza.notify.models import Task
from plaza.union import services
from plaza.union.models import FileStatus, HardshipFile, HelpStatus, Kind, Payment
from plaza.union.sweep import union_sweep

from .helpers import make_union, member

SECRET = "妻子患尿毒症，每周透析三次"


def _file(u, **kwargs):
    member(u.worker_a, u.chair_a)
    values = {"family_size": 3, "family_income": "4500", "causes": ["illness"], "circumstances": SECRET}
    values.update(kwargs)
    return services.open_hardship_file(u.chair_a, u.worker_a, phone="13812345678", **values)


def test_opening_a_file_checks_the_line_and_sets_the_review(world):
    u = make_union(world)
    file = _file(u)
    assert file.per_head == Decimal("1500.00") and file.below_line and file.line == Decimal("2265.00")
    today = clock.today()
    expected = date(today.year, 12, 1) if today < date(today.year, 12, 1) else date(today.year + 1, 12, 1)
    assert file.next_review_on == expected
    # encrypted at rest
    raw = HardshipFile.objects.filter(pk=file.pk).values_list("circumstances", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT circumstances, phone FROM union_hardshipfile WHERE id = %s", [file.pk])
        stored = cursor.fetchone()
    assert SECRET not in stored[0] and "13812345678" not in stored[1]
    assert list(raw) == [SECRET]
    with pytest.raises(ValidationError, match="已有在档"):
        services.open_hardship_file(u.chair_a, u.worker_a, family_size=3, family_income="4500", causes=["illness"])


def test_a_family_above_the_line_without_a_sudden_cause_is_refused(world):
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    with pytest.raises(ValidationError, match="不低于困难标准"):
        services.open_hardship_file(u.chair_a, u.worker_a, family_size=2, family_income="9000", causes=["other"])
    with pytest.raises(PermissionDenied):
        services.open_hardship_file(u.chair_b, u.worker_a, family_size=3, family_income="3000", causes=["other"])


def test_review_sets_the_next_date_and_the_sweep_puts_a_todo(world):
    u = make_union(world)
    file = _file(u)
    due = file.next_review_on
    assert union_sweep(due - timedelta(days=31)).reviews == 0
    assert union_sweep(due - timedelta(days=10)).reviews == 1
    union_sweep(due - timedelta(days=9))  # idempotent: still one open to-do
    tasks = Task.objects.filter(source_type="union-review", source_id=str(file.pk), done_at__isnull=True)
    assert [t.assignee for t in tasks] == [u.chair_a] and tasks[0].due_on == due
    review = services.review_hardship_file(u.chair_a, file, keep=True, family_size=3, family_income="5100")
    file.refresh_from_db()
    assert file.per_head == Decimal("1700.00") and file.last_review_on == review.reviewed_on
    assert file.next_review_on > clock.today() and file.next_review_on.month == 12
    assert not Task.objects.filter(source_type="union-review", done_at__isnull=True).exists()
    services.review_hardship_file(u.chair_a, file, keep=False, family_size=3, family_income="9000", note="好转")
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED


def test_full_view_only_for_the_officers_over_the_member_and_audited(world, client):
    u = make_union(world)
    file = _file(u)
    client.force_login(u.chair_a)
    listing = client.get("/union/office/help/").content.decode()
    assert "周职工" in listing and SECRET not in listing and "13812345678" not in listing
    full = client.get(f"/union/office/help/files/{file.pk}/").content.decode()
    assert SECRET in full and "13812345678" in full
    assert AuditEntry.objects.filter(action="union.file_view", object_id=str(file.pk), actor=u.chair_a).count() == 1
    for outsider in (u.chair_b, u.worker_a, world.staff):
        client.force_login(outsider)
        assert client.get(f"/union/office/help/files/{file.pk}/").status_code in (403, 404)
    client.force_login(u.chair_b)
    assert "周职工" not in client.get("/union/office/help/").content.decode()


def test_help_in_two_steps_within_the_limits(world):
    u = make_union(world)
    _file(u)
    application = services.apply_for_help(u.worker_a, Kind.TEMPORARY, "8000", reason="妻子住院，医疗费用 3 万元")
    with pytest.raises(PermissionDenied):
        services.verify_help(u.chair_b, application, approve=True, amount="3000")
    with pytest.raises(ValidationError) as refused:
        services.verify_help(u.chair_a, application, approve=True, amount="8000")
    assert (
        "一次最高 5000.00 元" in refused.value.messages[0]
        and "《困难职工帮扶补助办法》第二条（二）" in refused.value.messages[0]
    )
    services.verify_help(u.chair_a, application, approve=True, amount="5000")
    application.refresh_from_db()
    assert application.status == HelpStatus.VERIFIED
    assert Task.objects.filter(assignee=u.top_chair, source_type="union-help", done_at__isnull=True).exists()
    with pytest.raises(PermissionDenied):
        services.approve_help(u.chair_a, application, approve=True)  # the 分工会 does not approve
    services.approve_help(u.top_chair, application, approve=True)
    payment = Payment.objects.get(application=application)
    assert payment.amount == Decimal("5000.00") and payment.source == "《困难职工帮扶补助办法》第二条（二）"
    # 同一事由一年内只救助一次
    again = services.apply_for_help(u.worker_a, Kind.TEMPORARY, "1000", reason="再次住院")
    with pytest.raises(ValidationError, match="每年最多 1 次"):
        services.verify_help(u.chair_a, again, approve=True, amount="1000")


def test_schooling_needs_a_file_and_the_verifier_cannot_approve(world):
    u = make_union(world)
    member(u.worker_b, u.chair_b)
    with pytest.raises(ValidationError, match="建档困难职工"):
        services.apply_for_help(u.worker_b, Kind.SCHOOLING, "2000", reason="女儿考入大学")
    file_application = services.apply_for_help(u.worker_b, Kind.TEMPORARY, "2000", reason="火灾")
    services.verify_help(u.top_chair, file_application, approve=True, amount="2000")
    with pytest.raises(ValidationError, match="不同的人"):
        services.approve_help(u.top_chair, file_application, approve=True)
