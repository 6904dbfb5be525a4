"""The JSON API of 活动与共建 as participants see it: the activities meant for me, signing up (a place or the
waiting list), cancelling and my sign-ups — over the same services and queries as the pages.

An activity is looked up as the page does (:func:`plaza.activities.queries.activity_for`), so one not meant for
the caller is a 404; the services' refusals (past, closed, full without a waiting list, twice) are 400s.
"""

from datetime import datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja import Status as Created
from ninja.pagination import paginate

from plaza.lib import clock
from plaza.lib.pagination import Pages
from plaza.lib.schemas import found_or_404, responses

from . import queries, services
from .models import Activity, Signup, SignupState

router = Router(tags=["活动与共建"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    organisation: str = Field(..., alias="organisation.name")
    place: str
    starts_at: datetime
    ends_at: datetime
    signup_deadline: datetime
    capacity: int
    taken: int = Field(..., description="已获得名额的人数")
    waiting_list: bool = Field(..., description="名额满后是否可以候补")
    points: int = Field(..., description="签到后获得的积分")
    state: str
    state_label: str
    partners: list[str] = Field(..., description="共建单位")

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Activity) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_partners(obj: Activity) -> list[str]:
        return [p.name for p in obj.partners.all()]


class ActivityDetailOut(ActivityOut):
    description: str
    report: str
    my_state: str = Field(..., description="本人的报名状态：confirmed、waiting，或空")
    refusal: str = Field(..., description="本人不能报名的原因；为空表示可以报名")


class SignupOut(Schema):
    id: int
    activity_id: int
    activity: str = Field(..., alias="activity.title")
    starts_at: datetime = Field(..., alias="activity.starts_at")
    place: str = Field(..., alias="activity.place")
    state: str
    state_label: str
    waiting_position: int | None = Field(..., description="候补的位次（1 为第一位）；不在候补时为空")
    checked_in_at: datetime | None
    points_given: int
    may_cancel: bool

    @staticmethod
    def resolve_state_label(obj: Signup) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_waiting_position(obj: Signup) -> int | None:
        return services.waiting_position(obj) if obj.state == SignupState.WAITING else None

    @staticmethod
    def resolve_may_cancel(obj: Signup) -> bool:
        return services.may_cancel_signup(obj, clock.now())


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return found_or_404(queries.activity_for(request.user, activity_id))


@router.get("/activities", response=responses(list[ActivityOut]), summary="面向我的近期活动")
@paginate(Pages, page_size=50)
def activities(request: HttpRequest) -> QuerySet[Activity]:
    return queries.open_to(request.user)


@router.get("/activities/{activity_id}", response=responses(ActivityDetailOut), summary="活动详情")
def activity(request: HttpRequest, activity_id: Id) -> Activity:
    found = _activity(request, activity_id)
    signup = services.live_signup(request.user, found)
    refusal = (
        "" if signup else services.signup_refusal(request.user, found, clock.now()) or services.full_refusal(found)
    )
    found.my_state = signup.state if signup else ""  # type: ignore[attr-defined]
    found.refusal = refusal  # type: ignore[attr-defined]
    return found


@router.post(
    "/activities/{activity_id}/sign-up", response=responses(SignupOut, status=201), summary="报名（满员时候补）"
)
def sign_up(request: HttpRequest, activity_id: Id) -> Created[Signup]:
    return Created(201, services.sign_up(request.user, _activity(request, activity_id)))


@router.post("/activities/{activity_id}/cancel", response=responses(SignupOut), summary="取消报名")
def cancel(request: HttpRequest, activity_id: Id) -> Signup:
    signup = found_or_404(services.live_signup(request.user, _activity(request, activity_id)))
    return services.cancel_signup(request.user, signup)


@router.get("/mine", response=responses(list[SignupOut]), summary="我的活动报名")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest) -> QuerySet[Signup]:
    return queries.my_signups(request.user)
