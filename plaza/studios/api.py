"""The JSON API of 工匠工作室, over the same queries as the pages: studios, 绝活 (searchable) and the caller's
师带徒 pairs with their skills. A pair outside the caller's view is a 404."""

from datetime import date
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from plaza.lib.pagination import Pages
from plaza.lib.schemas import found_or_404, responses

from . import queries
from .models import Craft, Pair, PairSkill, Studio

router = Router(tags=["工匠工作室"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class StudioOut(Schema):
    id: int
    name: str
    kind_label: str
    field: str
    leader: str
    organisation: str

    @staticmethod
    def resolve_kind_label(obj: Studio) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_leader(obj: Studio) -> str:
        return obj.leader.name

    @staticmethod
    def resolve_organisation(obj: Studio) -> str:
        return obj.organisation.name


class CraftOut(Schema):
    id: int
    name: str
    kind_label: str
    creator: str
    used_in: str
    description: str
    video_url: str

    @staticmethod
    def resolve_kind_label(obj: Craft) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_creator(obj: Craft) -> str:
        return obj.creator.name


class SkillOut(Schema):
    id: int
    name: str
    due_on: date
    state: str
    state_label: str
    refusal: str

    @staticmethod
    def resolve_state_label(obj: PairSkill) -> str:
        return str(obj.get_state_display())


class PairOut(Schema):
    id: int
    studio: str
    mentor: str
    apprentice: str
    starts_on: date
    ends_on: date
    status: str
    skills: list[SkillOut]

    @staticmethod
    def resolve_studio(obj: Pair) -> str:
        return obj.studio.name

    @staticmethod
    def resolve_mentor(obj: Pair) -> str:
        return obj.mentor.name

    @staticmethod
    def resolve_apprentice(obj: Pair) -> str:
        return obj.apprentice.name

    @staticmethod
    def resolve_skills(obj: Pair) -> list[PairSkill]:
        return list(obj.skills.all())


@router.get("/studios", response=responses(list[StudioOut]), summary="工匠工作室")
@paginate(Pages, page_size=50)
def studios(request: HttpRequest) -> QuerySet[Studio]:
    return queries.studios(request.user)


@router.get("/crafts", response=responses(list[CraftOut]), summary="搜索绝活")
@paginate(Pages, page_size=50)
def crafts(
    request: HttpRequest,
    q: str = Query("", max_length=64, description="关键词：名称、创造者、内容或应用场景"),  # noqa: B008
) -> QuerySet[Craft]:
    return queries.crafts(request.user, q)


@router.get("/pairs/{pair_id}", response=responses(PairOut), summary="师徒对子")
def pair(request: HttpRequest, pair_id: Id) -> Pair:
    return found_or_404(queries.pair_for(request.user, pair_id))
