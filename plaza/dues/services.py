"""Every write about dues: bases, payments, corrections, extra payments and reductions.

Each function checks the actor's dues scope (``Cap.DUES`` over the member's organisation), refuses with the
reason in Chinese (``ValidationError``), writes append-only rows and records the audit entry. Amounts due come
from :func:`plaza.rules.dues.monthly_dues`; the payment window from :func:`plaza.rules.dues.check_payment_months`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import dues as rules
from plaza.rules.dates import month_start

from . import labels
from .models import BaseSource, Category, DuesBase, DuesPayment, DuesReduction, Kind, Method
from .queries import ZERO, Ledger, monthly_dues_of

#: A monthly base above this is almost certainly a typing error (a yearly figure, fen for yuan): it needs a
#: confirmation.
LARGE_BASE = Decimal("1000000")
MAX_AMOUNT = Decimal("99999999.99")  # DuesPayment.amount: Decimal(10, 2)


def require_member(actor: Any, person: Person) -> None:
    """The actor keeps the dues of ``person`` (PermissionDenied otherwise), who must be a Party member."""
    Scope.of(actor, Cap.DUES).require(person=person)
    if not person.is_party_member:
        raise ValidationError(_("%(name)s 不是党员（正式或预备），无需交纳党费。") % {"name": person.name})


def as_amount(value: Any) -> Decimal:
    """A Decimal amount from a Decimal, an int or text; ValidationError for anything else (floats are inexact)."""
    if isinstance(value, bool | float):
        raise ValidationError(_("金额格式不正确。"))
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("金额格式不正确。")) from exc
    if not amount.is_finite():
        raise ValidationError(_("金额格式不正确。"))
    return amount


def base_problems(category: str, base: Decimal, *, confirm_large: bool = False) -> list[str]:
    """Why a declared base cannot be recorded (empty when it can); shared by the form and the payroll import."""
    if category not in rules.CATEGORIES:
        return [_("类别应为：%(c)s。") % {"c": "、".join(str(label) for _v, label in Category.choices)}]
    if base < 0:
        return [_("党费基数不能为负数。")]
    if base.as_tuple().exponent < -2:  # type: ignore[operator]
        return [_("党费基数最多保留两位小数（分）。")]
    if base > LARGE_BASE and not confirm_large:
        return [_("月工资基数 %(b)s 元超过 100 万元，请核对；确属实的请勾选确认后再保存。") % {"b": base}]
    if base >= Decimal("10000000000"):
        return [_("党费基数过大。")]
    return []


@transaction.atomic
def set_base(
    actor: Any,
    person: Person,
    *,
    category: str,
    base: Any,
    effective_from: date,
    confirm_large: bool = False,
    source: str = BaseSource.BRANCH,
) -> DuesBase:
    """Record ``person``'s dues base and category from ``effective_from``'s month on (a new row; history kept)."""
    require_member(actor, person)
    amount = as_amount(base)
    problems = base_problems(category, amount, confirm_large=confirm_large)
    if problems:
        raise ValidationError(problems)
    month = month_start(effective_from)
    current = Ledger.read([person.pk], month, month).base_on(person.pk, month)
    if current is not None and (current[1], current[2]) == (category, amount):
        raise ValidationError(_("与 %(m)s 起执行的基数相同，无需重复登记。") % {"m": dates.month(current[0])})
    entry = DuesBase.objects.create(
        person=person, category=category, base=amount, effective_from=month, source=source, recorded_by=actor
    )
    record(
        actor,
        actions.DUES_BASE,
        entry,
        before={"category": current[1], "base": current[2]} if current else None,
        after={
            "category": category,
            "base": amount,
            "effective_from": month,
            "monthly_dues": monthly_dues_of(person, amount, category, month=month),
        },
    )
    return entry


def _violations(months: Iterable[date], on: date) -> list[str]:
    return [labels.rule_message(v.message) for v in rules.check_payment_months(months, on)]


def _paid_state(person: Person, months: list[date]) -> tuple[Ledger, dict[date, DuesPayment]]:
    """What is due and paid for ``months``, and the first regular entry of each month already paid."""
    ledger = Ledger.read([person.pk], months[0], months[-1])
    originals = {
        p.month: p
        for p in DuesPayment.objects.filter(person=person, kind=Kind.REGULAR, corrects__isnull=True, month__in=months)
    }
    return ledger, originals


@transaction.atomic
def mark_paid(
    actor: Any,
    person: Person,
    months: Iterable[date],
    *,
    method: str = Method.CASH,
    reference: str = "",
    paid_on: date | None = None,
    today: date | None = None,
) -> list[DuesPayment]:
    """Record ``person``'s regular dues for each month in ``months`` (one entry each, the amount due).

    Refused, with every reason: a month already paid, a month beyond the back-payment (6 months) or paying-ahead
    (one quarter) window of ``paid_on`` (《党费规定》), a month without a recorded base or exempt.
    """
    require_member(actor, person)
    today = today or clock.today()
    paid_on = paid_on or today
    wanted = sorted({month_start(m) for m in months})
    if not wanted:
        raise ValidationError(_("请选择要交纳的月份。"))
    if method not in Method.values:
        raise ValidationError(_("交纳方式不正确。"))
    problems: list[str] = []
    if paid_on > today:
        problems.append(_("交纳日期不能晚于今天（%(d)s）。") % {"d": dates.day(today)})
    problems += _violations(wanted, paid_on)
    ledger, originals = _paid_state(person, wanted)
    amounts: dict[date, Decimal] = {}
    for month in wanted:
        due = ledger.due(person.pk, month)
        if month in originals and ledger.paid_for(person.pk, month) > 0:
            problems.append(_("%(m)s 的党费已交纳，不能重复登记。") % {"m": dates.month(month)})
        elif due is None:
            problems.append(_("%(m)s 没有登记党费基数，请先登记基数。") % {"m": dates.month(month)})
        elif due == ZERO:
            problems.append(_("%(m)s 已减免，无需交纳。") % {"m": dates.month(month)})
        else:
            amounts[month] = due
    if problems:
        raise ValidationError(problems)
    created = []
    try:
        with transaction.atomic():
            for month in wanted:
                # A month whose payment was taken back in full is paid again as an entry correcting it.
                created.append(
                    DuesPayment.objects.create(
                        person=person,
                        month=month,
                        amount=amounts[month],
                        method=method,
                        reference=reference[:64],
                        kind=Kind.REGULAR,
                        paid_on=paid_on,
                        recorded_by=actor,
                        corrects=originals.get(month),
                        note=_("重新交纳") if month in originals else "",
                    )
                )
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise ValidationError(_("所选月份中已有党费被他人同时登记为已交纳，请刷新后重试。")) from exc
    record(
        actor,
        actions.DUES_PAID,
        person,
        after={
            "months": [f"{m:%Y-%m}" for m in wanted],
            "amounts": [amounts[m] for m in wanted],
            "method": method,
            "reference": reference[:64],
            "paid_on": paid_on,
        },
    )
    return created


def mark_paid_many(
    actor: Any,
    people: Iterable[Person],
    month: date,
    *,
    method: str = Method.CASH,
    paid_on: date | None = None,
    today: date | None = None,
) -> tuple[list[Person], dict[str, list[str]]]:
    """The roll's bulk action (issue 14): ``month``'s regular dues recorded as paid for each of ``people``, each
    as :func:`mark_paid` would (in a transaction of its own, audited one by one). Returns who was recorded and,
    by name, why the others were not; nothing is refused as a whole."""
    done: list[Person] = []
    refused: dict[str, list[str]] = {}
    for person in people:
        try:
            mark_paid(actor, person, [month], method=method, paid_on=paid_on, today=today)
        except (ValidationError, PermissionDenied) as exc:
            refused[person.name] = list(getattr(exc, "messages", [str(exc)]))
        else:
            done.append(person)
    return done, refused


@transaction.atomic
def record_extra(
    actor: Any,
    person: Person,
    amount: Any,
    *,
    method: str = Method.TRANSFER,
    reference: str = "",
    paid_on: date | None = None,
    note: str = "",
    today: date | None = None,
) -> DuesPayment:
    """A voluntary extra payment (自愿多交). One of 1000 yuan or more goes wholly to the centre (《党费规定》)."""
    require_member(actor, person)
    today = today or clock.today()
    paid_on = paid_on or today
    value = as_amount(amount)
    if value <= 0:
        raise ValidationError(_("自愿多交的金额应大于 0。"))
    if value > MAX_AMOUNT or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("金额格式不正确。"))
    if paid_on > today:
        raise ValidationError(_("交纳日期不能晚于今天（%(d)s）。") % {"d": dates.day(today)})
    if method not in Method.values:
        raise ValidationError(_("交纳方式不正确。"))
    to_centre = rules.goes_wholly_to_centre(value)
    entry = DuesPayment.objects.create(
        person=person,
        month=month_start(paid_on),
        amount=value,
        method=method,
        reference=reference[:64],
        kind=Kind.EXTRA,
        to_centre=to_centre,
        paid_on=paid_on,
        recorded_by=actor,
        note=note[:255],
    )
    record(actor, actions.DUES_EXTRA, person, after={"amount": value, "to_centre": to_centre, "paid_on": paid_on})
    return entry


@transaction.atomic
def correct_payment(
    actor: Any, payment: DuesPayment, amount: Any, *, note: str, today: date | None = None
) -> DuesPayment:
    """A correction: a new ledger entry adjusting ``payment`` by ``amount`` (negative to take back). The ledger
    is never edited; the corrected total of a payment may not fall below zero."""
    original = DuesPayment.objects.select_for_update().select_related("person").get(pk=payment.pk)
    while original.corrects_id is not None:  # a correction of a correction adjusts the first entry
        original = DuesPayment.objects.select_for_update().select_related("person").get(pk=original.corrects_id)
    Scope.of(actor, Cap.DUES).require(person=original.person)
    value = as_amount(amount)
    if value == 0 or value.as_tuple().exponent < -2 or abs(value) > MAX_AMOUNT:  # type: ignore[operator]
        raise ValidationError(_("更正金额应为非零金额（元，最多两位小数）。"))
    if len(note.strip()) < 2:
        raise ValidationError(_("请写明更正的原因。"))
    total = original.amount + sum(original.corrections.values_list("amount", flat=True), ZERO)
    if total + value < 0:
        raise ValidationError(_("更正后金额不能为负数：该笔目前合计 %(t)s 元。") % {"t": total})
    entry = DuesPayment.objects.create(
        person=original.person,
        month=original.month,
        amount=value,
        method=original.method,
        reference=original.reference,
        kind=original.kind,
        paid_on=today or clock.today(),
        recorded_by=actor,
        corrects=original,
        note=note.strip()[:255],
        to_centre=original.kind == Kind.EXTRA and rules.goes_wholly_to_centre(total + value),
    )
    record(
        actor,
        actions.DUES_CORRECT,
        original,
        before={"amount": total},
        after={"amount": total + value},
        reason=note.strip(),
    )
    return entry


@transaction.atomic
def record_reduction(
    actor: Any,
    person: Person,
    *,
    from_month: date,
    to_month: date,
    reason: str,
    approved_by: str,
    approved_on: date,
    amount: Any = None,
    today: date | None = None,
) -> DuesReduction:
    """减免 approved by the next-higher committee, recorded by the branch. ``amount`` None: exempt (0 a month)."""
    require_member(actor, person)
    today = today or clock.today()
    first, last = month_start(from_month), month_start(to_month)
    problems = []
    if last < first:
        problems.append(_("截止月份不能早于起始月份。"))
    if len(reason.strip()) < 2:
        problems.append(_("请写明减免的原因。"))
    if len(approved_by.strip()) < 2:
        problems.append(_("减免须经上级党委批准：请填写批准的党组织及文号。"))
    if approved_on > today:
        problems.append(_("批准日期不能晚于今天。"))
    value = None
    if amount not in (None, ""):
        value = as_amount(amount)
        if value < 0 or value.as_tuple().exponent < -2 or value > MAX_AMOUNT:  # type: ignore[operator]
            problems.append(_("减免后每月应交金额不正确。"))
    if DuesReduction.objects.filter(person=person, from_month__lte=last, to_month__gte=first).exists():
        problems.append(_("该期间已有减免记录。"))
    if problems:
        raise ValidationError(problems)
    entry = DuesReduction.objects.create(
        person=person,
        from_month=first,
        to_month=last,
        amount=value,
        reason=reason.strip()[:255],
        approved_by=approved_by.strip()[:128],
        approved_on=approved_on,
        recorded_by=actor,
    )
    record(
        actor,
        actions.DUES_REDUCTION,
        person,
        after={
            "from": first,
            "to": last,
            "amount": value,
            "approved_by": entry.approved_by,
            "approved_on": approved_on,
        },
        reason=entry.reason,
    )
    return entry
