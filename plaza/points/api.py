"""API for a person's own points and the 积分超市, over the same queries and services as the points pages.

An item is looked up among the items offered to the caller and an order among the caller's own orders, so
anything else is a 404. Redeeming and cancelling are the services' (all or nothing, refusals as 400).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Created
from ninja.pagination import paginate

from plaza.lib.pagination import MAX_PAGE, Pages
from plaza.lib.schemas import BodyIn, BodyInt, responses

from . import queries, services
from .models import Entry, Item, Order, OrderState

router = Router(tags=["points"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]
HISTORY_PAGE = 20


class PointsEntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    amount: int
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Entry) -> str:
        return str(obj.get_kind_display())


class PointsMeOut(Schema):
    """The balance, this week's earned points and one page of the ledger, newest first."""

    balance: int
    earned_this_week: int
    count: int = Field(..., description="积分明细总条数")
    items: list[PointsEntryOut]


class PointsRankOut(Schema):
    rank: int
    person_id: int
    name: str
    employee_no: str
    total: int


class PointsRankingsOut(Schema):
    period: str
    scope: str = Field(..., description="实际使用的范围：不在支部的人员只有全部排行")
    branch: str | None
    mine: int = Field(..., description="本人在该时段获得的积分")
    rows: list[PointsRankOut]


class MallItemOut(Schema):
    id: int
    name: str
    description: str
    picture: str | None
    price: int
    stock: int
    per_person_limit: int
    available_from: datetime | None
    available_until: datetime | None

    @staticmethod
    def resolve_picture(obj: Item) -> str | None:
        return obj.picture.url if obj.picture else None


class MallOrderOut(Schema):
    id: int
    item_id: int
    item: str
    quantity: int
    points: int
    state: str
    state_label: str
    pickup_code: str | None = Field(..., description="领取码：只有待领取的订单才有")
    placed_at: datetime
    handed_over_at: datetime | None
    cancelled_at: datetime | None

    @staticmethod
    def resolve_item(obj: Order) -> str:
        return obj.item.name

    @staticmethod
    def resolve_state_label(obj: Order) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_pickup_code(obj: Order) -> str | None:
        return obj.pickup_code if obj.state == OrderState.PLACED else None


class MallRedeemIn(BodyIn):
    # Lax like BodyId (JSON 2.0 is an integer to the schema; true is not): so the schema and the server agree.
    quantity: BodyInt = Field(1, ge=1, le=99, description="兑换数量，1 到 99")


@router.get("/me", response=responses(PointsMeOut), summary="我的积分：余额与积分明细")
def me(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始"),
    page_size: int = Query(HISTORY_PAGE, ge=1, le=100, description="每页条数，最多 100"),
) -> dict[str, Any]:
    # Paged by hand rather than with @paginate: the balance goes in the same answer as the history.
    history = queries.history(request.user)
    start = (page - 1) * page_size
    return {
        "balance": services.balance_of(request.user),
        "earned_this_week": queries.earned_in(request.user, "week"),
        "count": history.count(),
        "items": list(history[start : start + page_size]),
    }


@router.get("/rankings", response=responses(PointsRankingsOut), summary="积分排行")
def rankings(
    request: HttpRequest, period: Literal["week", "month", "all"] = "week", scope: Literal["branch", "all"] = "all"
) -> dict[str, Any]:
    branch = queries.branch_of(request.user)
    scope = "branch" if scope == "branch" and branch is not None else "all"
    return {
        "period": period,
        "scope": scope,
        "branch": branch.name if branch else None,
        "mine": queries.earned_in(request.user, period),
        "rows": queries.ranking(period, branch if scope == "branch" else None),
    }


@router.get("/items", response=responses(list[MallItemOut]), summary="积分超市：可兑换的商品")
@paginate(Pages, page_size=20)
def items(request: HttpRequest) -> QuerySet[Item]:
    return queries.offered_items(request.user)


@router.post("/items/{item_id}/redeem", response=responses(MallOrderOut, status=201), summary="兑换商品")
def redeem(request: HttpRequest, item_id: Id, payload: MallRedeemIn) -> Created[Order]:
    item = get_object_or_404(queries.offered_items(request.user), pk=item_id)
    return Created(201, services.redeem(request.user, item, payload.quantity))


@router.get("/orders", response=responses(list[MallOrderOut]), summary="我的兑换订单")
@paginate(Pages, page_size=20)
def orders(request: HttpRequest) -> QuerySet[Order]:
    return queries.orders_of(request.user)


@router.post("/orders/{order_id}/cancel", response=responses(MallOrderOut), summary="取消兑换（退还积分）")
def cancel(request: HttpRequest, order_id: Id) -> Order:
    order = get_object_or_404(queries.orders_of(request.user), pk=order_id)
    return services.cancel(request.user, order)
