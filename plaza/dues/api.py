"""API for 我的党费: a Party member's months of a year (due, paid, state), their base and their payments, read
with the same queries as the page (``views.mine``). Amounts are strings such as ``"120.00"`` so that no client
ever rounds money through a float."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from plaza.lib import clock
from plaza.lib.schemas import responses
from plaza.orgs.queries import party_branch_of

from . import queries
from .models import DuesPayment

router = Router(tags=["dues"])

#: The words of dues/_status.html, by state.
STATE_LABELS = {
    "paid": gettext_lazy("已交"),
    "exempt": gettext_lazy("减免"),
    "partial": gettext_lazy("部分交纳"),
    "no_base": gettext_lazy("未登记基数"),
    "not_due": gettext_lazy("未到期"),
    "unpaid": gettext_lazy("未交"),
}


class DuesMonthOut(Schema):
    month: str = Field(..., description="月份，如 2025-06")
    due: str | None = Field(..., description="应交（元）；未登记基数时为空")
    paid: str = Field(..., description="已交（元）")
    unpaid: str = Field(..., description="未交（元）")
    state: str = Field(
        ...,
        description="paid 已交 · exempt 减免 · partial 部分交纳 · no_base 未登记基数 · not_due 未到期 · unpaid 未交",
    )
    state_label: str
    reduced: bool = Field(..., description="当月是否有减免")
    category: str
    category_label: str
    base: str | None = Field(..., description="当月的交纳基数（元）")


class DuesBaseOut(Schema):
    category: str
    category_label: str
    base: str | None = Field(..., description="本月的交纳基数（元）；未登记时为空")
    due: str | None = Field(..., description="本月应交（元）")


class DuesPaymentOut(Schema):
    month: str
    kind: str
    kind_label: str
    amount: str
    paid_on: date
    method: str
    method_label: str
    correction: bool
    to_centre: bool


class MyDuesOut(Schema):
    year: int
    branch: str | None
    current: DuesBaseOut = Field(..., description="本月的基数与应交")
    months: list[DuesMonthOut]
    payments: list[DuesPaymentOut]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _state(line: queries.Line, current: date) -> str:
    """The page's status, with an unpaid month still to come shown as not yet due (as dues/_status.html does)."""
    if line.status == "unpaid" and line.month > current:
        return "not_due"
    return line.status


def _month(line: queries.Line, current: date) -> dict:
    state = _state(line, current)
    return {
        "month": f"{line.month:%Y-%m}",
        "due": _money(line.due),
        "paid": _money(line.paid),
        "unpaid": _money(line.unpaid),
        "state": state,
        "state_label": str(STATE_LABELS[state]),
        "reduced": line.reduced,
        "category": line.category,
        "category_label": line.category_label,
        "base": _money(line.base),
    }


def _payment(payment: DuesPayment) -> dict:
    return {
        "month": f"{payment.month:%Y-%m}",
        "kind": payment.kind,
        "kind_label": str(payment.get_kind_display()),
        "amount": _money(payment.amount),
        "paid_on": payment.paid_on,
        "method": payment.method,
        "method_label": str(payment.get_method_display()),
        "correction": payment.corrects_id is not None,
        "to_centre": payment.to_centre,
    }


@router.get("/mine", response=responses(MyDuesOut), summary="我的党费")
def mine(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="年度，默认今年"),  # noqa: B008
) -> dict:
    person = request.user
    if not person.is_party_member:
        raise HttpError(404, _("只有党员才有党费记录。"))
    today = clock.today()
    year = year or today.year
    current = date(today.year, today.month, 1)
    now = queries.person_months(person, [current])[0]
    branch = party_branch_of(person)
    return {
        "year": year,
        "branch": branch.name if branch else None,
        "current": {
            "category": now.category,
            "category_label": now.category_label,
            "base": _money(now.base),
            "due": _money(now.due),
        },
        "months": [_month(line, current) for line in queries.person_months(person, queries.months_of_year(year))],
        "payments": [_payment(p) for p in queries.payments_of(person, year)],
    }
