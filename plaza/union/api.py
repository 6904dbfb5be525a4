"""The JSON API of 工会, over the same services and queries as the pages: my membership, my care applications
and applying for care (multipart, with the proof photo). A malformed request is a 422; a refusal by the data
(not a member, no such care in the union's 办法, too late) a 409 with the reason."""

from datetime import date
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja import Status as Created
from ninja.files import UploadedFile
from ninja.pagination import paginate

from plaza.lib.conflicts import DATA_REFUSALS, refused_by_data
from plaza.lib.pagination import Pages
from plaza.lib.schemas import responses

from . import queries, services
from .models import CareCase, Member

router = Router(tags=["工会"])


class UnionMembershipOut(Schema):
    status: str
    status_label: str
    number: str
    organisation: str
    applied_on: date
    joined_on: date | None
    card_url: str = Field(..., description="电子会员证页面；非会员为空")

    @staticmethod
    def resolve_status_label(obj: Member) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_organisation(obj: Member) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_card_url(obj: Member) -> str:
        return "/union/card/" if obj.status == "active" else ""


class CareOut(Schema):
    id: int
    kind: str
    kind_label: str
    event_on: date
    status: str
    status_label: str
    children: int = Field(1, description="本次生育孩子数（生育慰问）")
    amount: str | None = Field(None, description="已发放金额（元）")
    source: str | None = Field(None, description="发放依据的办法和条款")

    @staticmethod
    def resolve_kind_label(obj: CareCase) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: CareCase) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_amount(obj: CareCase) -> str | None:
        payment = obj.payments.first()
        return str(payment.amount) if payment else None

    @staticmethod
    def resolve_source(obj: CareCase) -> str | None:
        payment = obj.payments.first()
        return payment.source if payment else None


class NoMembership(Schema):
    status: str = "none"
    message: str


@router.get("/membership", response=responses(UnionMembershipOut | NoMembership), summary="我的工会会员身份")
def membership(request: HttpRequest) -> Member | dict:
    found = queries.membership_of(request.user)
    if found is None:
        return {"status": "none", "message": "尚未申请加入工会"}
    return found


@router.get("/care", response=responses(list[CareOut]), summary="我的慰问申请")
@paginate(Pages, page_size=20)
def my_care(request: HttpRequest) -> QuerySet[CareCase]:
    return queries.cases_of(request.user).prefetch_related("payments")


#: The kinds a member applies for (the schema lists them; anything else is a 422 before the service).
CareKindIn = Literal[services.APPLICABLE_CARE_KINDS]  # type: ignore[valid-type]


@router.post(
    "/care",
    response={**responses(CareOut, status=201), **DATA_REFUSALS},
    summary="申请慰问（附证明照片）",
    description="不符合慰问条件（不是在册会员、所在工会未设此类标准、日期晚于今天、超过申请期限、同一事项已慰问等）"
    "时答复 409，detail 写明原因和依据的办法条款。",
)
def apply_care(
    request: HttpRequest,
    kind: Form[CareKindIn],
    event_on: Form[date],
    note: Form[str] = "",
    children: Form[int] = 1,  # 生育慰问：本次生育孩子数 (1 to services.MAX_CHILDREN, checked by the service)
    spouse_no: Form[str] = "",  # 生育慰问：配偶也是公司工会会员时的工号
    late_reason: Form[str] = "",  # 超过申请期限时的书面理由（特殊原因可延长）
    photo: UploadedFile | None = File(None),  # noqa: B008 - ninja declares parameters this way
) -> Created[CareCase]:
    with refused_by_data():
        return Created(
            201,
            services.apply_for_care(
                request.user,
                kind,
                event_on,
                note=note[:500],
                photo=photo,
                children=children,
                spouse_no=spouse_no[:32],
                late_reason=late_reason[:500],
            ),
        )
