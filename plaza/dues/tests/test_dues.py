from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.dues import queries, services
from plaza.dues.models import DuesBase, DuesPayment, DuesReduction, Kind, LedgerIsAppendOnly
from plaza.localrules.services import set_rule
from plaza.testing.factories import PersonFactory, join

from .conftest import TODAY

D = Decimal


# ------------------------------------------------------------------------------------------------ bases


def test_base_history_picks_the_latest_base_on_or_before_the_month(world):
    services.set_base(
        world.secretary_a, world.member_a, category="in_service", base=D("3000"), effective_from=date(2025, 1, 20)
    )
    services.set_base(
        world.secretary_a, world.member_a, category="in_service", base=D("12345.67"), effective_from=date(2025, 4, 1)
    )
    lines = queries.person_months(world.member_a, [date(2024, 12, 1), date(2025, 3, 1), date(2025, 4, 1)])
    assert [ln.due for ln in lines] == [None, D("15.00"), D("246.91")]
    first = DuesBase.objects.filter(person=world.member_a).order_by("id").first()
    assert first.effective_from == date(2025, 1, 1) and first.source == "branch"
    assert AuditEntry.objects.filter(action="dues.base", object_id=str(first.pk)).exists()


def test_farmers_pay_what_their_organisation_set(world):
    farmer = PersonFactory(employee_no="A0300", name="陈农", political_status=PoliticalStatus.FULL_MEMBER)
    join(farmer, world.group_a1)  # a party group of branch A: the branch's rule reaches it
    services.set_base(world.secretary_a, farmer, category="farmer", base=D("0"), effective_from=date(2025, 1, 1))
    june = date(2025, 6, 1)
    assert [ln.due for ln in queries.person_months(farmer, [june])] == [D("0.20")]  # the default

    set_rule(
        world.staff, world.branch_a, "dues.farmer_monthly", "0.5", "支部大会决定", effective_from=june, backdate=True
    )
    assert [ln.due for ln in queries.person_months(farmer, [june])] == [D("0.50")]
    roll = queries.roll(world.secretary_a, world.branch_a, june)
    assert next(ln.due for ln in roll.lines if ln.person == farmer) == D("0.50")
    with pytest.raises(ValidationError, match="0.20 到 1.00"):
        set_rule(world.staff, world.branch_a, "dues.farmer_monthly", "2", "超出《党费规定》")


def test_negative_base_is_refused(world):
    with pytest.raises(ValidationError, match="不能为负数"):
        services.set_base(
            world.secretary_a, world.member_a, category="in_service", base=D("-1"), effective_from=date(2025, 1, 1)
        )
    assert not DuesBase.objects.exists()


def test_absurd_base_needs_confirmation(world):
    with pytest.raises(ValidationError, match="超过 100 万元"):
        services.set_base(
            world.secretary_a,
            world.member_a,
            category="in_service",
            base=D("1000000.01"),
            effective_from=date(2025, 1, 1),
        )
    assert not DuesBase.objects.exists()
    entry = services.set_base(
        world.secretary_a,
        world.member_a,
        category="in_service",
        base=D("1000000.01"),
        effective_from=date(2025, 1, 1),
        confirm_large=True,
    )
    assert entry.base == D("1000000.01")
    services.set_base(
        world.secretary_a, world.secretary_a, category="in_service", base=D("1000000"), effective_from=date(2025, 1, 1)
    )  # exactly one million: no confirmation needed


def test_same_base_again_is_not_recorded_twice(based):
    with pytest.raises(ValidationError, match="无需重复登记"):
        services.set_base(
            based.secretary_a, based.member_a, category="in_service", base=D("8000.00"), effective_from=date(2025, 3, 1)
        )
    assert DuesBase.objects.filter(person=based.member_a).count() == 1


def test_base_for_someone_not_a_party_member_is_refused(world):
    with pytest.raises(ValidationError, match="不是党员"):
        services.set_base(
            world.secretary_a, world.activist_a, category="in_service", base=D("5000"), effective_from=date(2025, 1, 1)
        )


# --------------------------------------------------------------------------------------------- payments


def test_mark_paid_records_the_amount_due_for_each_month(based):
    created = services.mark_paid(
        based.secretary_a,
        based.member_a,
        [date(2025, 5, 3), date(2025, 6, 1)],
        method="transfer",
        reference="T-1",
        today=TODAY,
    )
    assert [(p.month, p.amount, p.kind, p.paid_on) for p in created] == [
        (date(2025, 5, 1), D("120.00"), Kind.REGULAR, TODAY),
        (date(2025, 6, 1), D("120.00"), Kind.REGULAR, TODAY),
    ]
    entry = AuditEntry.objects.get(action="dues.paid")
    assert entry.after["months"] == ["2025-05", "2025-06"] and entry.after["amounts"] == ["120.00", "120.00"]


def test_a_month_already_paid_is_refused(based):
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    with pytest.raises(ValidationError, match="2025年6月 的党费已交纳"):
        services.mark_paid(based.secretary_a, based.member_a, [date(2025, 5, 1), date(2025, 6, 1)], today=TODAY)
    assert DuesPayment.objects.filter(person=based.member_a).count() == 1  # nothing of the refused batch


def test_back_payment_beyond_six_months_is_refused(world):
    services.set_base(
        world.secretary_a, world.member_a, category="retired", base=D("4000"), effective_from=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as refusal:
        services.mark_paid(world.secretary_a, world.member_a, [date(2024, 11, 1), date(2024, 12, 1)], today=TODAY)
    assert refusal.value.messages == [
        "2024年11月 的党费已超过补交期限：补交最多 6 个月，最早可补交 2024年12月 (《党费规定》)"
    ]
    assert not DuesPayment.objects.exists()
    created = services.mark_paid(world.secretary_a, world.member_a, [date(2024, 12, 1)], today=TODAY)
    assert created[0].amount == D("20.00")


def test_paying_ahead_beyond_a_quarter_is_refused(based):
    with pytest.raises(ValidationError, match="2025年10月 的党费不能提前交纳"):
        services.mark_paid(based.secretary_a, based.member_a, [date(2025, 9, 1), date(2025, 10, 1)], today=TODAY)
    assert len(services.mark_paid(based.secretary_a, based.member_a, [date(2025, 9, 1)], today=TODAY)) == 1


def test_a_month_without_a_base_is_refused(world):
    with pytest.raises(ValidationError, match="没有登记党费基数"):
        services.mark_paid(world.secretary_a, world.member_a, [date(2025, 6, 1)], today=TODAY)


def test_database_allows_one_regular_payment_per_month(based):
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesPayment.objects.create(
            person=based.member_a, month=date(2025, 6, 1), amount=D("120"), paid_on=TODAY, recorded_by=based.secretary_a
        )


def test_concurrent_payment_of_the_same_month_gives_a_clear_error(based, monkeypatch):
    stale = services._paid_state(based.member_a, [date(2025, 6, 1)])  # read before the other clerk's payment
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    monkeypatch.setattr(services, "_paid_state", lambda person, months: stale)
    with pytest.raises(ValidationError, match="同时登记"):
        services.mark_paid(based.staff, based.member_a, [date(2025, 6, 1)], today=TODAY)
    assert DuesPayment.objects.filter(person=based.member_a).count() == 1


def test_a_payment_taken_back_in_full_may_be_paid_again_as_a_correcting_entry(based):
    [first] = services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    services.correct_payment(based.secretary_a, first, D("-120.00"), note="误登记", today=TODAY)
    assert queries.person_months(based.member_a, [date(2025, 6, 1)])[0].status == "unpaid"
    [again] = services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    assert again.corrects_id == first.pk and again.amount == D("120.00")
    assert queries.person_months(based.member_a, [date(2025, 6, 1)])[0].paid == D("120.00")


def test_extra_payment_of_1000_or_more_goes_wholly_to_the_centre(based):
    small = services.record_extra(based.secretary_a, based.member_a, D("999.99"), today=TODAY)
    large = services.record_extra(based.secretary_a, based.member_a, D("1000"), today=TODAY)
    assert (small.kind, small.to_centre, large.to_centre) == (Kind.EXTRA, False, True)
    assert small.month == date(2025, 6, 1)
    with pytest.raises(ValidationError, match="应大于 0"):
        services.record_extra(based.secretary_a, based.member_a, D("0"), today=TODAY)
    # extra payments never count as the month's regular dues
    assert queries.person_months(based.member_a, [date(2025, 6, 1)])[0].status == "unpaid"


def test_correction_is_a_new_entry_and_cannot_go_below_zero(based):
    [payment] = services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    fix = services.correct_payment(based.secretary_a, payment, D("-20.00"), note="多收退回", today=TODAY)
    assert fix.corrects_id == payment.pk and fix.amount == D("-20.00")
    payment.refresh_from_db()
    assert payment.amount == D("120.00")  # the original is untouched
    assert queries.person_months(based.member_a, [date(2025, 6, 1)])[0].paid == D("100.00")
    with pytest.raises(ValidationError, match="不能为负数"):
        services.correct_payment(based.secretary_a, fix, D("-100.01"), note="再退", today=TODAY)
    with pytest.raises(ValidationError, match="原因"):
        services.correct_payment(based.secretary_a, payment, D("1"), note="", today=TODAY)
    assert AuditEntry.objects.filter(action="dues.correct").count() == 1


def test_ledger_is_append_only(based, settings):
    [payment] = services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    payment.amount = D("1")
    with pytest.raises(LedgerIsAppendOnly):
        payment.save()
    with pytest.raises(LedgerIsAppendOnly):
        payment.delete()
    with pytest.raises(LedgerIsAppendOnly):
        DuesPayment.objects.filter(pk=payment.pk).update(amount=D("1"))
    with pytest.raises(LedgerIsAppendOnly):
        DuesBase.objects.all().delete()
    settings.PLAZA_AUDIT_PURGE_ALLOWED = False  # as in production (SQLite)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL plaza.audit_purge = 'off'")
        cursor.execute("UPDATE dues_duespayment SET amount = 1")
    assert DuesPayment.objects.get(pk=payment.pk).amount == D("120.00")


# ------------------------------------------------------------------------------------------- reductions


def test_reduction_sets_the_months_due_and_exempt_months_need_no_payment(based):
    services.record_reduction(
        based.secretary_a,
        based.member_a,
        from_month=date(2025, 5, 1),
        to_month=date(2025, 6, 1),
        reason="大病住院",
        approved_by="公司党委 党发〔2025〕3号",
        approved_on=date(2025, 4, 20),
        today=TODAY,
    )
    services.record_reduction(
        based.secretary_a,
        based.secretary_a,
        from_month=date(2025, 6, 1),
        to_month=date(2025, 6, 1),
        amount=D("5"),
        reason="家庭困难",
        approved_by="公司党委",
        approved_on=date(2025, 6, 1),
        today=TODAY,
    )
    result = queries.roll(based.secretary_a, based.branch_a, date(2025, 6, 1))
    dues = {ln.person.pk: (ln.due, ln.reduced, ln.status) for ln in result.lines}
    assert dues[based.member_a.pk] == (D("0.00"), True, "exempt")
    assert dues[based.secretary_a.pk] == (D("5"), True, "unpaid")
    assert queries.person_months(based.member_a, [date(2025, 4, 1)])[0].due == D("120.00")
    with pytest.raises(ValidationError, match="已减免"):
        services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    assert services.mark_paid(based.secretary_a, based.secretary_a, [date(2025, 6, 1)], today=TODAY)[0].amount == 5


def test_reduction_needs_the_approval_and_may_not_overlap(based):
    with pytest.raises(ValidationError, match="上级党委批准"):
        services.record_reduction(
            based.secretary_a,
            based.member_a,
            from_month=date(2025, 5, 1),
            to_month=date(2025, 6, 1),
            reason="困难",
            approved_by="",
            approved_on=TODAY,
            today=TODAY,
        )
    services.record_reduction(
        based.secretary_a,
        based.member_a,
        from_month=date(2025, 5, 1),
        to_month=date(2025, 6, 1),
        reason="困难",
        approved_by="公司党委",
        approved_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="已有减免"):
        services.record_reduction(
            based.secretary_a,
            based.member_a,
            from_month=date(2025, 6, 1),
            to_month=date(2025, 8, 1),
            reason="困难",
            approved_by="公司党委",
            approved_on=TODAY,
            today=TODAY,
        )
    assert DuesReduction.objects.count() == 1


# -------------------------------------------------------------------------------------------------- roll


def test_roll_lists_the_branch_party_members_with_totals(based):
    probationary = PersonFactory(employee_no="A0200", name="吴预备", political_status=PoliticalStatus.PROBATIONARY)
    join(probationary, based.group_a1)  # a party group of branch A
    services.set_base(based.secretary_a, probationary, category="flat", base=D("0"), effective_from=date(2025, 1, 1))
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    result = queries.roll(based.secretary_a, based.branch_a, date(2025, 6, 1))
    assert [ln.person.name for ln in result.lines] == ["刘昭涛", "张建国", "吴预备"]  # not the activist
    assert (result.due, result.paid, result.unpaid) == (D("240.20"), D("120.00"), D("120.20"))
    assert result.rate == D("50.0")


def test_statistics_per_branch_and_totals(based):
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 5, 1), date(2025, 6, 1)], today=TODAY)
    services.mark_paid(based.secretary_b, based.member_b, [date(2025, 6, 1)], today=TODAY)
    rows, total = queries.statistics(based.staff, date(2025, 6, 1))
    by_name = {r.organisation.name: r for r in rows}
    a, b = by_name["装调车间党支部"], by_name["物流和采购党支部"]
    assert (a.members, a.due_month, a.paid_month, a.rate_month, a.unpaid_members) == (2, 240, 120, D("50.0"), 1)
    assert (a.due_year, a.paid_year) == (D("1440.00"), D("240.00"))
    assert (b.members, b.rate_month, total.members, total.paid_month) == (2, D("100.0"), 4, D("240.00"))
    rows_b, _total = queries.statistics(based.secretary_b, date(2025, 6, 1))
    assert [r.organisation.name for r in rows_b] == ["物流和采购党支部"]


# ------------------------------------------------------------------------------------------- permissions


def test_another_branch_cannot_touch_the_members(based):
    with pytest.raises(PermissionDenied):
        services.mark_paid(based.secretary_b, based.member_a, [date(2025, 6, 1)], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.set_base(
            based.secretary_b, based.member_a, category="retired", base=D("1"), effective_from=date(2025, 6, 1)
        )
    with pytest.raises(PermissionDenied):
        services.record_extra(based.secretary_b, based.member_a, D("50"), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.record_reduction(
            based.secretary_b,
            based.member_a,
            from_month=TODAY,
            to_month=TODAY,
            reason="x",
            approved_by="公司党委",
            approved_on=TODAY,
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        queries.roll(based.secretary_b, based.branch_a, date(2025, 6, 1))
    [payment] = services.mark_paid(based.secretary_a, based.member_a, [date(2025, 6, 1)], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.correct_payment(based.secretary_b, payment, D("-1"), note="越权", today=TODAY)
    with pytest.raises(PermissionDenied):
        # members do not record their own payments
        services.mark_paid(based.member_a, based.member_a, [date(2025, 5, 1)], today=TODAY)
    assert DuesPayment.objects.count() == 1
    # committee staff reach every branch
    assert services.mark_paid(based.staff, based.member_b, [date(2025, 6, 1)], today=TODAY)
