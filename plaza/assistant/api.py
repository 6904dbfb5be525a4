"""API for 党群小智 as people use it: ask (the answer is stored, as on the conversation page), say whether it
helped, and 转人工 — over the same services as the pages. A question is looked up among the caller's own, so
anyone else's is a 404."""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Created
from pydantic import StrictBool

from plaza.lib.schemas import BodyIn, found_or_404, responses

from . import queries, services
from .models import Question

router = Router(tags=["assistant"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]


class AssistantSourceOut(Schema):
    title: str
    heading: str
    score: float
    url: str


class AssistantQuestionOut(Schema):
    id: int
    text: str
    answer: str
    confident: bool = Field(..., description="有把握：否则建议转人工")
    sources: list[AssistantSourceOut]
    status: str
    status_label: str
    helpful: bool | None
    staff_answer: str
    created_at: datetime

    @staticmethod
    def resolve_sources(obj: Question) -> list[dict[str, Any]]:
        empty = {"title": "", "heading": "", "score": 0.0, "url": ""}
        return [{key: source.get(key, blank) for key, blank in empty.items()} for source in obj.sources]

    @staticmethod
    def resolve_status_label(obj: Question) -> str:
        return str(obj.get_status_display())


class AssistantAskIn(BodyIn):
    # What the service accepts (some non-space text, at most MAX_QUESTION characters), so a request the schema
    # allows is never refused; NUL is refused too, since PostgreSQL cannot store it.
    text: str = Field(
        ...,
        min_length=1,
        max_length=services.MAX_QUESTION,
        pattern=r"^[^\x00]*[^\x00\s][^\x00]*$",
        description="问题，500 字以内",
    )


class AssistantFeedbackIn(BodyIn):
    # Optional so that someone else's question is a 404 whatever the body; a missing answer is then a 400.
    helpful: StrictBool | None = Field(None, description="回答是否有帮助")


def _own(request: HttpRequest, question_id: int) -> Question:
    return found_or_404(queries.own_question(request.user, question_id))


@router.post("/ask", response=responses(AssistantQuestionOut, status=201), summary="向党群小智提问")
def ask(request: HttpRequest, payload: AssistantAskIn) -> Created[Question]:
    return Created(201, services.ask(request.user, payload.text))


@router.post(
    "/questions/{question_id}/feedback", response=responses(AssistantQuestionOut), summary="反馈回答是否有帮助"
)
def feedback(request: HttpRequest, question_id: Id, payload: AssistantFeedbackIn) -> Question:
    found = _own(request, question_id)
    if payload.helpful is None:
        raise ValidationError(_("请说明回答是否有帮助。"))
    return services.give_feedback(request.user, found, payload.helpful)


@router.post("/questions/{question_id}/hand-off", response=responses(AssistantQuestionOut), summary="转人工")
def hand_off(request: HttpRequest, question_id: Id) -> Question:
    return services.hand_off(request.user, _own(request, question_id))
