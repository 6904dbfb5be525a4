"""Two ballots from one voter at the same moment: one counts (PostgreSQL, real connections)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.elections import services
from plaza.elections.models import Ballot, SealedBallot, VoterRecord

from .test_elections import _approved


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_ballots_at_once_from_one_voter_count_once(world, voters):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    candidate = election.candidates.first()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def cast() -> None:
        try:
            barrier.wait()
            outcomes.append(services.cast(voters[1], election, code=election.code, yes=[candidate.pk]))
        except ValidationError as exc:
            outcomes.append("refused: " + "".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(not o.startswith("refused") for o in outcomes) == 1
    assert all("已投过票" in o for o in outcomes if o.startswith("refused"))
    assert VoterRecord.objects.filter(election=election).count() == 1
    assert SealedBallot.objects.filter(election=election).count() == 1  # sealed until the close
    services.close_voting(world.secretary_a, election)
    assert Ballot.objects.filter(election=election).count() == 1
