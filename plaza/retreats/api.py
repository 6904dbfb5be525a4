"""The JSON API of 疗休养, over the same services and queries as the pages: open routes, sign-up, my sign-ups.

A batch is looked up among the caller's union organisations' batches (``queries.member_batch``), so anything
else is a 404; refusals (eligibility, closed sign-up) are 400s with the reason."""

from datetime import date
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as Created

from plaza.lib import clock
from plaza.lib.schemas import responses

from . import queries, services
from .models import Batch, SignUp

router = Router(tags=["疗休养"])
Id = Annotated[int, Path(ge=1, le=2**62)]


class BatchOut(Schema):
    id: int
    route: str
    destination: str
    organisation: str
    days: int
    starts_on: date
    ends_on: date
    places: int
    signup_closes_on: date
    problems: list[str]

    @staticmethod
    def from_batch(batch: Batch, problems: list[str]) -> "BatchOut":
        return BatchOut(
            id=batch.pk,
            route=batch.route.name,
            destination=batch.route.destination,
            organisation=batch.route.organisation.name,
            days=batch.route.days,
            starts_on=batch.starts_on,
            ends_on=batch.ends_on,
            places=batch.places,
            signup_closes_on=batch.signup_closes_on,
            problems=problems,
        )


class SignUpOut(Schema):
    id: int
    batch: int
    route: str
    starts_on: date
    status: str
    status_label: str
    waiting_rank: int | None

    @staticmethod
    def of(signup: SignUp) -> "SignUpOut":
        return SignUpOut(
            id=signup.pk,
            batch=signup.batch_id,
            route=signup.batch.route.name,
            starts_on=signup.batch.starts_on,
            status=signup.status,
            status_label=str(signup.get_status_display()),
            waiting_rank=signup.waiting_rank,
        )


@router.get("/routes", response=responses(list[BatchOut]), summary="可报名的疗休养线路")
def routes(request: HttpRequest) -> list[BatchOut]:
    today = clock.today()
    return [
        BatchOut.from_batch(b, services.eligibility_problems(request.user, b, today))
        for b in queries.open_batches(request.user, today)[:50]
    ]


@router.post("/batches/{batch_id}/sign-up", response=responses(SignUpOut, status=201), summary="报名疗休养")
def sign_up(request: HttpRequest, batch_id: Id) -> Created[SignUpOut]:
    batch = queries.member_batch(request.user, batch_id)
    if batch is None:
        raise Http404
    signup = services.sign_up(request.user, batch)
    return Created(201, SignUpOut.of(queries.own_signup(request.user, signup.pk) or signup))


@router.get("/mine", response=responses(list[SignUpOut]), summary="我的疗休养报名")
def mine(request: HttpRequest) -> list[SignUpOut]:
    return [SignUpOut.of(s) for s in queries.my_signups(request.user)[:50]]
