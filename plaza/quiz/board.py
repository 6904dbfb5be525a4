"""The live leaderboard: one interface, two stores.

Production (``PLAZA_REDIS_URL`` set) keeps each live contest's board in a Redis sorted set (``ZINCRBY`` per
scored answer, ``ZREVRANGE`` for the top, ``ZREVRANK`` for a player's rank), so thousands of phones asking
their rank never touch the database. The embedded default and the tests read the same figures from the
database (the attempts' scores). The database holds every answer either way, and :meth:`rebuild` puts the
sorted set back from it (after a void, or a Redis restart).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

from .models import Attempt


class Board(Protocol):
    def add(self, contest_id: int, person_id: int, points: int) -> None: ...

    def set_many(self, contest_id: int, scores: dict[int, int]) -> None: ...

    def top(self, contest_id: int, n: int = 20) -> list[tuple[int, int]]: ...

    def rank(self, contest_id: int, person_id: int) -> tuple[int, int] | None: ...

    def rebuild(self, contest_id: int) -> None: ...

    def ranks(self, contest_id: int) -> dict[int, tuple[int, int]]: ...


def ranked(rows: Iterable[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Every player's (rank, score) from (person, score) rows in descending score order, ranked as
    :meth:`Board.rank` ranks one player: one more than the number of players with a strictly higher score.

    >>> ranked([(7, 30), (8, 20), (9, 20), (5, 0)])
    {7: (1, 30), 8: (2, 20), 9: (2, 20), 5: (4, 0)}
    """
    places: dict[int, tuple[int, int]] = {}
    previous: int | None = None
    rank = 0
    for index, (person, score) in enumerate(rows, start=1):
        if person in places:  # a second attempt of one player: the best counts (rows are best first)
            continue
        if score != previous:
            rank, previous = index, score
        places[person] = (rank, score)
    return places


class DatabaseBoard:
    """The board read from the attempts (one live attempt per player)."""

    def add(self, contest_id: int, person_id: int, points: int) -> None:
        """Nothing to do: the attempt's score is the board."""

    def set_many(self, contest_id: int, scores: dict[int, int]) -> None:
        """Nothing to do: the attempt's score is the board."""

    def top(self, contest_id: int, n: int = 20) -> list[tuple[int, int]]:
        rows = Attempt.objects.filter(contest_id=contest_id).order_by("-score", "started_at", "id")[:n]
        return list(rows.values_list("person_id", "score"))

    def rank(self, contest_id: int, person_id: int) -> tuple[int, int] | None:
        mine = Attempt.objects.filter(contest_id=contest_id, person_id=person_id).order_by("-score").first()
        if mine is None:
            return None
        ahead = Attempt.objects.filter(contest_id=contest_id, score__gt=mine.score).count()
        return ahead + 1, mine.score

    def rebuild(self, contest_id: int) -> None:
        """Nothing to do."""

    def ranks(self, contest_id: int) -> dict[int, tuple[int, int]]:
        """The whole board in one query (once per broadcast, never once per player)."""
        rows = Attempt.objects.filter(contest_id=contest_id).order_by("-score").values_list("person_id", "score")
        return ranked(rows)


class RedisBoard:
    """The board in a Redis sorted set ``quiz:board:<contest>`` (score = points, member = person id)."""

    def __init__(self, url: str) -> None:
        import redis  # reason: only production has Redis; the embedded default never imports the client

        self.client: Any = redis.Redis.from_url(url)

    @staticmethod
    def key(contest_id: int) -> str:
        return f"quiz:board:{contest_id}"

    def add(self, contest_id: int, person_id: int, points: int) -> None:
        self.client.zincrby(self.key(contest_id), points, person_id)

    def set_many(self, contest_id: int, scores: dict[int, int]) -> None:
        """Several players' totals at once (a batch of answers, read from their locked attempts): one ZADD."""
        if scores:
            self.client.zadd(self.key(contest_id), {str(k): v for k, v in scores.items()})

    def top(self, contest_id: int, n: int = 20) -> list[tuple[int, int]]:
        rows = self.client.zrevrange(self.key(contest_id), 0, n - 1, withscores=True)
        return [(int(member), int(score)) for member, score in rows]

    def rank(self, contest_id: int, person_id: int) -> tuple[int, int] | None:
        score = self.client.zscore(self.key(contest_id), person_id)
        if score is None:
            return None
        ahead = self.client.zcount(self.key(contest_id), f"({score}", "+inf")
        return int(ahead) + 1, int(score)

    def ranks(self, contest_id: int) -> dict[int, tuple[int, int]]:
        """The whole sorted set in one ``ZREVRANGE`` (once per broadcast, never once per player)."""
        rows = self.client.zrevrange(self.key(contest_id), 0, -1, withscores=True)
        return ranked((int(member), int(score)) for member, score in rows)

    def rebuild(self, contest_id: int) -> None:
        rows = dict(Attempt.objects.filter(contest_id=contest_id).values_list("person_id", "score"))
        pipe = self.client.pipeline()
        pipe.delete(self.key(contest_id))
        if rows:
            pipe.zadd(self.key(contest_id), {str(k): v for k, v in rows.items()})
        pipe.execute()


@lru_cache(maxsize=1)
def _redis_board(url: str) -> RedisBoard:
    return RedisBoard(url)


def board() -> Board:
    """The board of this deployment: Redis when ``PLAZA_REDIS_URL`` is set, the database otherwise."""
    url = getattr(settings, "REDIS_URL", "")
    return _redis_board(url) if url else DatabaseBoard()
