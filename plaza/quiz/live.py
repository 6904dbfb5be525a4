"""The live contest's messages over the channel layer: after a host action commits, every socket of the
contest hears the new shared state (computed once here, not once per socket); each player's socket adds
that player's own rank and answer (``plaza.quiz.consumers``)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from . import queries
from .models import Contest


def group_name(contest_id: int) -> str:
    """Every socket of the contest: phones and big screens (the state after each host action)."""
    return f"quiz-live-{contest_id}"


def screens_group(contest_id: int) -> str:
    """The big screens only: the running counts, once a second (phones do not show them)."""
    return f"quiz-live-{contest_id}-screens"


def send(contest_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group_name(contest_id), message)


def notify(contest_id: int, kind: str = "quiz.state") -> None:
    """Broadcast the contest's shared state (question without its answer, or the reveal with counts and the
    top 20) to every socket of the contest: one ``group_send`` per host action. The ``stamp`` names this
    broadcast, so that each server process reads the board and serialises the shared part once for all its
    sockets (``plaza.quiz.consumers``)."""
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return
    send(contest_id, {"type": kind, "shared": queries.live_shared(contest), "stamp": uuid4().hex})
