"""Issue 11 item 1, played as the attacker: someone holds the database (raw SQL, a backup at any moment) and the
audit log, and knows exactly who voted in which order. They must not be able to tell how anyone voted — not by
ids, row order, physical position (SQLite rowid, PostgreSQL ``ctid``), transaction ids (``xmin``), timestamps or
audit entries. Runs on SQLite and on PostgreSQL (``PLAZA_DATABASE_URL``); the ``xmin`` part only on PostgreSQL.

The design under attack (``docs/secret-ballots.md``): ballots are sealed while voting is open and written, in
random order, in one batch when it closes.
"""

import base64
import json
import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.audit import chain
from plaza.audit.models import AuditEntry
from plaza.elections import services
from plaza.elections.models import Ballot, Election, SealedBallot, State, VoterRecord

from .test_elections import _approved

SEED = 20261206
WRITE_IN = "Tashi Dorje"  # plain ASCII, so it would be found in any table however JSON is stored
#: What each of the six voters (``voters`` fixture, by index) votes: every ballot different.
CHOICES = {
    0: {"yes": ["丁一"]},
    1: {"yes": ["王五"]},
    2: {"yes": ["李四"], "against": ["丁一"]},
    3: {"yes": ["丁一", "王五"]},
    4: {"yes": ["王五", "李四"], "abstain": ["丁一"]},
    5: {"write_ins": [WRITE_IN]},
}
ORDERS = ([0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2])


def _physical_order() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _vote(world, voters, order: list[int]):
    """Open a fresh election and let the voters vote in ``order``; return it and each voter's receipt."""
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    receipts = {}
    for index in order:
        choice = CHOICES[index]
        receipts[index] = services.cast(
            voters[index],
            election,
            code=election.code,
            yes=[ids[n] for n in choice.get("yes", [])],
            against=[ids[n] for n in choice.get("against", [])],
            abstain=[ids[n] for n in choice.get("abstain", [])],
            write_ins=choice.get("write_ins", []),
        )
    return election, receipts


def _content(names, against, abstain) -> tuple:  # noqa: ANN001
    load = [json.loads(v) if isinstance(v, str) else v for v in (names, against, abstain)]  # SQLite: JSON text
    return tuple(tuple(sorted(v)) for v in load)


def _truth(index: int) -> tuple:
    choice = CHOICES[index]
    return _content(
        choice.get("yes", []) + choice.get("write_ins", []), choice.get("against", []), choice.get("abstain", [])
    )


def _stored(election) -> list[tuple]:
    """The ballots as the attacker reads them: in physical order, straight from the table."""
    return [
        _content(*row)
        for row in _rows(
            f"SELECT names, against, abstain FROM elections_ballot WHERE election_id = %s ORDER BY {_physical_order()}",
            [election.pk],
        )
    ]


def _dump() -> str:
    """Every row of every table of the database, as text: what a backup taken now would hold."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text.extend(str(row) for row in cursor.fetchall())
    return "\n".join(text)


@pytest.mark.django_db(transaction=True)
def test_while_voting_is_open_the_database_holds_no_readable_ballot(world, voters):
    election, receipts = _vote(world, voters, ORDERS[0])
    assert _rows("SELECT count(*) FROM elections_ballot WHERE election_id = %s", [election.pk]) == [(0,)]
    sealed = [
        row[0] for row in _rows("SELECT sealed FROM elections_sealedballot WHERE election_id = %s", [election.pk])
    ]
    assert len(sealed) == len(CHOICES) == VoterRecord.objects.filter(election=election).count()
    assert len({len(s) for s in sealed}) == 1  # one ballot for one name, one with a write-in: the same length
    assert len({base64.b64decode(s)[:12] for s in sealed}) == len(sealed)  # a fresh nonce each, no timestamp
    backup = _dump()
    assert WRITE_IN not in backup  # nothing a voter chose is readable anywhere …
    assert not any(receipt in backup for receipt in receipts.values())  # … nor the receipts they were shown
    assert voters[5].employee_no in backup and "丁一" in backup  # (the dump does read every value)
    wrapped = _rows("SELECT seal_key FROM elections_election WHERE id = %s", [election.pk])[0][0]
    assert wrapped and len(wrapped) > 100  # the key is in the database only wrapped with PLAZA_FIELD_KEYS


@pytest.mark.django_db(transaction=True)
def test_after_closing_the_ballots_order_and_ids_do_not_follow_the_voters(world, voters, monkeypatch):
    """With the shuffle's seed fixed, the stored order is the same whatever order the voters voted in: it is a
    function of the ballots' contents and chance only. So lining up voter records (by id, rowid or ctid) with
    ballots (by rowid, ctid or id) pairs each place with the same ballot however the voters came."""
    stored, ranks = [], []
    for order in ORDERS:
        monkeypatch.setattr(services, "_shuffle", random.Random(SEED).shuffle)
        election, receipts = _vote(world, voters, order)
        services.close_voting(world.secretary_a, election)
        stored.append(_stored(election))
        by_record = _rows(
            f"SELECT person_id FROM elections_voterrecord WHERE election_id = %s ORDER BY {_physical_order()}",
            [election.pk],
        )
        ranks.append([pk for (pk,) in by_record])
        assert sorted(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == sorted(
            receipts.values()
        )  # every voter's receipt is published: the count is checkable
        assert not SealedBallot.objects.filter(election=election).exists()
        assert _rows("SELECT seal_key FROM elections_election WHERE id = %s", [election.pk]) == [("",)]
    assert sorted(stored[0]) == sorted(_truth(i) for i in CHOICES)  # every ballot, exactly as cast
    assert stored[0] == stored[1] == stored[2]  # the same physical order whatever the voting order
    assert ranks[0] != ranks[1] != ranks[2]  # while the voter records do follow it (that is no secret)
    assert stored[0] != [_truth(i) for i in ORDERS[0]]  # the ballots are not in the order of voting
    # the attacker's best pairing, k-th voter record with k-th ballot, is right only by chance:
    truth = {voters[i].pk: _truth(i) for i in CHOICES}
    hits = [
        sum(truth[pk] == ballot for pk, ballot in zip(r, s, strict=True)) for r, s in zip(ranks, stored, strict=True)
    ]
    assert all(h < len(CHOICES) for h in hits), hits
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"  # random ids: no sequence to line up either


@pytest.mark.django_db(transaction=True)
def test_no_time_and_no_audit_entry_sits_next_to_a_ballot(world, voters):
    from django.db import models

    election = services.open_voting(world.secretary_a, _approved(world, voters))
    opened = AuditEntry.objects.filter(action="elections.open").latest("id")
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    for index in (0, 1, 2):
        services.cast(voters[index], election, code=election.code, yes=[ids["丁一"]])
    services.close_voting(world.secretary_a, election)
    counted = AuditEntry.objects.filter(action="elections.count").latest("id")
    between = _rows("SELECT count(*) FROM audit_auditentry WHERE id > %s AND id < %s", [opened.pk, counted.pk])
    assert between == [(0,)]  # casting a ballot writes nothing to the audit log
    assert "ballot" not in " ".join(AuditEntry.objects.values_list("object_type", flat=True))
    time_types = {"DateField", "DateTimeField", "TimeField", "DurationField"}
    with connection.cursor() as cursor:
        for table in ("elections_ballot", "elections_sealedballot", "elections_voterrecord"):
            columns = connection.introspection.get_table_description(cursor, table)
            types = {connection.introspection.get_field_type(c.type_code, c) for c in columns}
            assert not types & time_types, table  # no row of a ballot or a voter carries a time
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in Ballot._meta.concrete_fields)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_every_ballot_carries_the_closing_transactions_id_not_a_voters(world, voters):
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's")
    election, _receipts = _vote(world, voters, ORDERS[2])
    voters_xmin = {
        x for (x,) in _rows("SELECT xmin::text FROM elections_voterrecord WHERE election_id = %s", [election.pk])
    }
    assert len(voters_xmin) == len(CHOICES)  # each voter's own transaction
    services.close_voting(world.secretary_a, election)
    ballots_xmin = {
        x for (x,) in _rows("SELECT xmin::text FROM elections_ballot WHERE election_id = %s", [election.pk])
    }
    assert len(ballots_xmin) == 1 and not ballots_xmin & voters_xmin
    election_xmin = _rows("SELECT xmin::text FROM elections_election WHERE id = %s", [election.pk])[0][0]
    assert ballots_xmin == {election_xmin}  # written by the close, with the result
    blocks = {c for (c,) in _rows("SELECT ctid::text FROM elections_ballot WHERE election_id = %s", [election.pk])}
    assert len(blocks) == len(CHOICES)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_votes_racing_the_close_are_counted_or_refused_never_lost(world, voters):
    """Casting takes a share lock on the election, closing an exclusive one: a ballot whose voter is recorded is
    always among the ballots counted, and nothing sealed is left behind."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    candidate = election.candidates.first()
    barrier = threading.Barrier(len(voters) + 1)
    outcomes: list[str] = []

    def cast(voter) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            outcomes.append(services.cast(voter, election, code=election.code, yes=[candidate.pk]))
        except ValidationError as exc:
            outcomes.append("refused: " + "".join(exc.messages))
        finally:
            connections.close_all()

    def close() -> None:
        try:
            barrier.wait()
            services.close_voting(world.secretary_a, election)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(v,)) for v in voters] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cast_ok = [o for o in outcomes if not o.startswith("refused")]
    assert all("已经结束" in o for o in outcomes if o.startswith("refused"))
    election.refresh_from_db()
    assert election.state == State.CLOSED
    assert VoterRecord.objects.filter(election=election).count() == len(cast_ok)
    assert sorted(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == sorted(cast_ok)
    assert election.result["returned"] == len(cast_ok) and not SealedBallot.objects.exists()


@pytest.mark.django_db
def test_a_tampered_ballot_box_is_refused_not_counted(world, voters):
    """The close opens every sealed ballot and checks they add up to the voters; if the database was changed
    behind Plaza's back, nothing is counted and nothing changes."""
    election, _receipts = _vote(world, voters, [0, 1, 2])
    first = SealedBallot.objects.filter(election=election).first()
    raw = bytearray(base64.b64decode(first.sealed))
    raw[-1] ^= 1
    SealedBallot.objects.filter(pk=first.pk).update(sealed=base64.b64encode(bytes(raw)).decode())
    with pytest.raises(ValidationError, match="无法打开"):
        services.close_voting(world.secretary_a, election)
    SealedBallot.objects.filter(pk=first.pk).delete()
    with pytest.raises(ValidationError, match="选票数（2）与投票人数（3）不一致"):
        services.close_voting(world.secretary_a, election)
    election.refresh_from_db()
    assert election.state == State.OPEN and not Ballot.objects.exists() and election.seal_key
    Election.objects.filter(pk=election.pk).update(seal_key="")
    with pytest.raises(ValidationError, match="无法密封保存"):
        services.cast(voters[3], election, code=election.code)
    assert VoterRecord.objects.filter(election=election).count() == 3  # the refused voter may try again


@pytest.mark.django_db
def test_a_ballot_changed_after_the_count_is_evident_to_the_chain_check(world, voters):
    """Issue 11 item 13: counted ballots carry no chain place (it would order them), so the count's chained
    audit entry seals their set; changing, adding or removing one with SQL shows in ``verify_all``."""
    election, _receipts = _vote(world, voters, [0, 1, 2, 3])
    services.close_voting(world.secretary_a, election)

    def ballot_problems() -> list[str]:
        results = [r for r in chain.verify_all() if r.chain.startswith("seal:")]
        assert results, "the ballot seal check is registered"
        return [p for r in results for p in ([r.problem] if r.problem else []) + r.extra]

    assert ballot_problems() == []
    target = Ballot.objects.filter(election=election).order_by("receipt").first()
    Ballot.objects.filter(pk=target.pk).update(names=["王五", "李四", "丁一"])
    problems = ballot_problems()
    assert len(problems) == 1 and str(election.pk) in problems[0] and "选票被改动" in problems[0]
    Ballot.objects.filter(pk=target.pk).update(names=target.names)  # put back: evident no more
    assert ballot_problems() == []
    Ballot.objects.filter(pk=target.pk).delete()
    assert ballot_problems()


@pytest.mark.django_db
def test_the_upgrade_rewrites_ballots_stored_the_old_way_and_seals_open_votes(world, voters):
    """Migration 0002: ballots written before sealing (in their voters' order) are written again, shuffled, with
    new ids; an election open for phone voting gets its key and goes on counting both."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("plaza.elections.migrations.0002_sealed_ballots")
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    Election.objects.filter(pk=election.pk).update(seal_key="")  # as it was before the upgrade
    old = [Ballot.objects.create(election=election, names=[name]) for name in ("丁一", "王五", "李四")]
    for voter in voters[:3]:
        VoterRecord.objects.create(election=election, person=voter)
    migration.seal_and_reshuffle(apps, None)
    assert not set(Ballot.objects.values_list("pk", flat=True)) & {b.pk for b in old}
    assert sorted(Ballot.objects.values_list("receipt", flat=True)) == sorted(b.receipt for b in old)
    election.refresh_from_db()
    assert election.seal_key
    services.cast(voters[3], election, code=election.code, yes=[election.candidates.get(person__name="丁一").pk])
    services.close_voting(world.secretary_a, election)
    election.refresh_from_db()
    assert election.result["votes"] == {"丁一": 2, "王五": 1, "李四": 1}
