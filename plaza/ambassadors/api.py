"""The JSON API of 通星汇, over the same services and queries as the pages: the caller's own leads (phones
masked), the rankings, a dealer's leads (masked) and moving one on, and the funnel for staff."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyIn, responses

from . import queries, services
from .models import Lead

router = Router(tags=["通星汇"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class LeadOut(Schema):
    id: int
    name: str
    phone: str  # always masked (138****8000)
    city: str
    product: str
    dealer: str
    status: str
    stage: str
    stage_label: str
    created_at: datetime
    deal_credited: bool

    @staticmethod
    def resolve_phone(obj: Lead) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_product(obj: Lead) -> str:
        return obj.product.name

    @staticmethod
    def resolve_dealer(obj: Lead) -> str:
        return obj.dealer.name

    @staticmethod
    def resolve_stage_label(obj: Lead) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_deal_credited(obj: Lead) -> bool:
        return obj.deal_credited_on is not None


class RankOut(Schema):
    rank: int
    name: str
    unit: str
    leads: int
    deals: int


class FunnelOut(Schema):
    name: str
    visitors: int
    leads: int
    credited: int
    contacted: int
    visited: int
    test_drives: int
    orders: int
    deliveries: int
    retention: float | None
    conversion: float | None

    @staticmethod
    def resolve_retention(obj: queries.FunnelRow) -> float | None:
        return None if obj.retention is None else float(obj.retention)

    @staticmethod
    def resolve_conversion(obj: queries.FunnelRow) -> float | None:
        return None if obj.conversion is None else float(obj.conversion)


class StageIn(BodyIn):
    stage: str
    reason: str = ""


@router.get("/leads", response=responses(list[LeadOut]), summary="我推荐的线索（手机号隐藏）")
@paginate(Pages, page_size=50)
def my_leads(request: HttpRequest) -> QuerySet[Lead]:
    return queries.my_leads(request.user)


@router.get("/rankings", response=responses(list[RankOut]), summary="排行榜")
def rankings(
    request: HttpRequest,
    level: str = Query("person", description="person | unit | organisation | enterprise"),  # noqa: B008
    period: str = Query("month", description="month | year | all"),  # noqa: B008
) -> list[Any]:
    return queries.ranking(
        level=level if level in queries.LEVELS else "person", period=period if period in queries.PERIODS else "month"
    )


@router.get("/dealer/leads", response=responses(list[LeadOut]), summary="本店线索（经销商销售顾问）")
@paginate(Pages, page_size=50)
def dealer_leads(request: HttpRequest) -> QuerySet[Lead]:
    return queries.dealer_leads(request.user)


@router.post("/dealer/leads/{lead_id}/stage", response=responses(LeadOut), summary="更新跟进阶段")
def move(request: HttpRequest, lead_id: Id, payload: StageIn) -> Lead:
    lead = queries.dealer_lead(request.user, lead_id)
    if lead is None:
        raise Http404
    return services.move_stage(request.user, lead, payload.stage, payload.reason)


@router.get("/funnel", response=responses(list[FunnelOut]), summary="转化漏斗（通星汇管理）")
def funnel(
    request: HttpRequest,
    by: str = Query("product", description="campaign | product | organisation | ambassador"),  # noqa: B008
) -> list[Any]:
    if not queries.may_manage(request.user):
        raise PermissionDenied
    return queries.funnel(request.user, by)
