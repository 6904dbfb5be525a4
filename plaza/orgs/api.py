"""API for people and organisations. Ids from the request are looked up inside the viewer's scope."""

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from plaza.accounts.models import Person, PoliticalStatus
from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyIn, responses

from . import queries, services
from .models import Organisation
from .permissions import Cap, Scope

router = Router(tags=["people and organisations"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    level: str
    level_label: str
    tree: str
    depth: int
    parent_id: int | None = None

    @staticmethod
    def resolve_level_label(obj: Organisation) -> str:
        return str(obj.get_level_display())


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    tree: str
    since: date


class PositionOut(Schema):
    organisation_id: int
    organisation: str
    title: str
    title_label: str
    since: date
    until: date | None


class PersonOut(Schema):
    """A person as lists show them: ID-card and phone numbers only ever masked."""

    id: int
    employee_no: str
    name: str
    gender: str
    department: str
    job_title: str
    political_status: str
    political_status_label: str
    phone_masked: str
    id_card_masked: str

    @staticmethod
    def resolve_political_status_label(obj: Person) -> str:
        return str(obj.get_political_status_display())

    @staticmethod
    def resolve_phone_masked(obj: Person) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_id_card_masked(obj: Person) -> str:
        return obj.masked_id_card


class PersonDetailOut(PersonOut):
    birth_date: date | None
    ethnicity: str
    education: str
    memberships: list[MembershipOut]
    positions: list[PositionOut]

    @staticmethod
    def resolve_memberships(obj: Person) -> list[dict]:
        return [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "tree": m.tree,
                "since": m.since,
            }
            for m in queries.memberships_of(obj)
        ]

    @staticmethod
    def resolve_positions(obj: Person) -> list[dict]:
        return [
            {
                "organisation_id": p.organisation_id,
                "organisation": p.organisation.name,
                "title": p.title,
                "title_label": str(p.get_title_display()),
                "since": p.since,
                "until": p.until,
            }
            for p in queries.positions_of(obj)
        ]


class MeOut(PersonDetailOut):
    capabilities: list[str]

    @staticmethod
    def resolve_capabilities(obj: Person) -> list[str]:
        return [c.value for c in Cap if not Scope.of(obj, c).is_empty]


class PersonalDataOut(Schema):
    id_card: str
    phone: str


class RosterFilter(Schema):
    q: str = Field("", max_length=64, description="姓名、工号或部门")
    status: PoliticalStatus | None = None
    organisation_id: int | None = Field(None, ge=1, le=2**62)


class RevealIn(BodyIn):
    purpose: str = Field(..., min_length=2, max_length=200, description="查看原因，写入审计日志")


@router.get("/me", response=responses(MeOut), summary="当前登录人")
def me(request: HttpRequest) -> Person:
    return request.user


@router.get("/organisations", response=responses(list[OrganisationOut]), summary="权限范围内的组织")
@paginate(Pages, page_size=50)
def organisations(request: HttpRequest, tree: str = Query("", max_length=16)) -> object:
    qs = queries.with_parent_id(queries.visible_organisations(request.user)).order_by("path")
    if tree:
        qs = qs.filter(tree=tree)
    return qs


@router.get("/organisations/{org_id}", response=responses(OrganisationOut), summary="组织详情")
def organisation(request: HttpRequest, org_id: Id) -> Organisation:
    return get_object_or_404(queries.with_parent_id(queries.visible_organisations(request.user)), pk=org_id)


@router.get("/people", response=responses(list[PersonOut]), summary="花名册（脱敏）")
@paginate(Pages, page_size=20)
def people(request: HttpRequest, filters: RosterFilter = Query(...)) -> object:  # noqa: B008
    org = None
    if filters.organisation_id is not None:
        org = get_object_or_404(queries.visible_organisations(request.user), pk=filters.organisation_id)
    return queries.roster(request.user, organisation=org, q=filters.q, status=filters.status or "")


@router.get("/people/{person_id}", response=responses(PersonDetailOut), summary="人员详情（脱敏）")
def person(request: HttpRequest, person_id: Id) -> Person:
    return get_object_or_404(queries.visible_people(request.user), pk=person_id)


@router.post(
    "/people/{person_id}/reveal", response=responses(PersonalDataOut), summary="查看完整身份证号与手机号（记入审计）"
)
def reveal(request: HttpRequest, payload: RevealIn, person_id: Id) -> dict:
    target = get_object_or_404(queries.visible_people(request.user), pk=person_id)
    return services.reveal_personal_data(
        request.user, target, purpose=payload.purpose, ip_address=request.META.get("REMOTE_ADDR")
    )
