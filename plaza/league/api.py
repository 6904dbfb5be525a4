"""The JSON API of 共青团, over the same services and queries as the pages: my League membership."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from plaza.lib.schemas import responses

from . import queries

router = Router(tags=["共青团"])


class DuesOut(Schema):
    month: date
    amount: Decimal
    paid_on: date


class LeagueMembershipOut(Schema):
    member: bool
    organisation: str | None = None
    since: date | None = None
    age: int | None = None
    turns_28_on: date | None = None
    holds_league_post: bool = False
    monthly_dues: Decimal | None = None
    dues: list[DuesOut] = []


@router.get("/me", response=responses(LeagueMembershipOut), summary="我的团籍")
def me(request: HttpRequest) -> LeagueMembershipOut:
    mine = queries.my_league(request.user)
    if mine.membership is None:
        return LeagueMembershipOut(member=False)
    return LeagueMembershipOut(
        member=True,
        organisation=mine.membership.organisation.name,
        since=mine.membership.since,
        age=mine.age,
        turns_28_on=mine.leaving_on,
        holds_league_post=mine.has_post,
        monthly_dues=mine.dues_amount,
        dues=[DuesOut(month=p.month, amount=p.amount, paid_on=p.paid_on) for p in mine.payments],
    )
