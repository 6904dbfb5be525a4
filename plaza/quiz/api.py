"""The JSON API of 答题, over the same services and queries as the pages: today's daily questions and
answering them, the contests open to the caller, and a live contest's state (the polling fallback's data).

A daily item or contest that is not the caller's is a 404; refusals (a second answer, a malformed one) are 400s.
An unanswered question never carries its answer. A daily question's options come in the caller's own order (the
page's, :func:`plaza.quiz.services.person_order`), and ``choice`` and ``answer`` number them as they come."""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema

from plaza.lib.schemas import BodyIn, responses

from . import queries, services
from .models import Contest, DailyItem

router = Router(tags=["答题"])
Id = Annotated[int, Path(ge=1, le=2**62)]


def _order(item: DailyItem) -> list[int]:
    return services.person_order(item.person_id, item.question)


class DailyOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    options: list[str]
    answered: bool
    correct: bool | None
    answer: list[Any] | None
    explanation: str | None

    @staticmethod
    def resolve_kind(obj: DailyItem) -> str:
        return obj.question.kind

    @staticmethod
    def resolve_text(obj: DailyItem) -> str:
        return obj.question.text

    @staticmethod
    def resolve_options(obj: DailyItem) -> list[str]:
        return [text for _shown, text in services.shown_options(obj.question, _order(obj))]

    @staticmethod
    def resolve_answered(obj: DailyItem) -> bool:
        return obj.answered_at is not None

    @staticmethod
    def resolve_answer(obj: DailyItem) -> list[Any] | None:
        return services.to_shown(obj.question, _order(obj)) if obj.answered_at else None

    @staticmethod
    def resolve_explanation(obj: DailyItem) -> str | None:
        return obj.question.explanation if obj.answered_at else None


class AnswerIn(BodyIn):
    choice: list[int] | str


class OutcomeOut(Schema):
    correct: bool
    points: int
    message: str
    answer: list[Any]


class ContestOut(Schema):
    id: int
    title: str
    mode: str
    state: str
    opens_at: Any
    closes_at: Any


@router.get("/daily", response=responses(list[DailyOut]), summary="今日每日答题")
def daily(request: HttpRequest) -> list[DailyItem]:
    services.next_daily(request.user)  # draws today's set and stamps the first question's send time
    return queries.daily_today(request.user)


@router.post("/daily/{item_id}/answer", response=responses(OutcomeOut), summary="回答每日答题")
def daily_answer(request: HttpRequest, item_id: Id, payload: AnswerIn) -> services.Outcome:
    item = queries.daily_item(request.user, item_id)
    if item is None:
        raise Http404
    return services.answer_daily(request.user, item, payload.choice, shown=True)


@router.get("/contests", response=responses(list[ContestOut]), summary="我可参加的竞赛")
def contests(request: HttpRequest) -> list[Contest]:
    return list(queries.contests_for(request.user)[:50])


@router.get("/live/{contest_id}/state", response=responses(dict[str, Any]), summary="现场赛状态")
def live_state(request: HttpRequest, contest_id: Id) -> dict[str, Any]:
    found = queries.contest_for(request.user, contest_id)
    if found is None or found.mode != "live":
        raise Http404
    data = queries.live_shared(found)
    data["me"] = queries.live_me(found, request.user)
    return data
