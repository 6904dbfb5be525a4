"""Issue 11 item 13: tampering with the audit log, the points ledger or the status changes from a database client
(triggers dropped or bypassed) is evident: the chains name the first broken row."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit import actions, chain
from plaza.audit.models import AuditEntry
from plaza.audit.services import record
from plaza.orgs.services import record_status_change
from plaza.points import services as points
from plaza.points.models import Entry
from plaza.testing.factories import PersonFactory


def _sql(statement: str, params: list | None = None) -> None:
    """What an attacker with a database client does (the test connection may bypass the audit triggers, as a
    client who drops them can)."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _audit(n: int) -> list[AuditEntry]:
    return [record(None, actions.DEMO_SEED, object_type="test", object_id=str(i), after={"i": i}) for i in range(n)]


def _result(model: type) -> chain.Result:
    return chain.verify(model)


def test_untouched_chains_verify(world):
    entries = _audit(5)
    points.award(world.admin, world.member_a, 10, "表彰")
    record_status_change(world.admin, world.activist_a, PoliticalStatus.PROBATIONARY, effective_on=date(2026, 1, 5))
    assert [e.chain_seq for e in entries] == [e.chain_seq for e in sorted(entries, key=lambda e: e.pk)]
    for result in chain.verify_all():
        assert result.ok, result.problem
        assert result.extra == []
        assert result.checked >= 1 or result.chain.startswith("seal:")  # seals (ballot boxes) have no rows here
    audit = _result(AuditEntry)
    assert audit.checked == AuditEntry.objects.count()
    assert audit.head_hash == AuditEntry.objects.order_by("-chain_seq").first().chain_hash


def test_an_edited_audit_entry_is_named(world):
    entries = _audit(5)
    target = entries[2]
    _sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改过了", target.pk])
    result = _result(AuditEntry)
    assert not result.ok
    assert result.broken_id == target.pk
    assert result.broken_seq == target.chain_seq
    assert str(target.pk) in result.problem and "改动" in result.problem


def test_an_edited_time_or_json_is_named_too(world):
    entries = _audit(4)
    _sql("UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"i": 99}', entries[1].pk])
    assert _result(AuditEntry).broken_id == entries[1].pk


def test_a_deleted_audit_entry_is_named(world):
    entries = _audit(5)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = _result(AuditEntry)
    assert not result.ok
    assert result.broken_seq == entries[1].chain_seq
    assert result.broken_id == entries[2].pk  # the row after the gap
    assert "删除" in result.problem


def test_a_row_inserted_around_plaza_is_named(world):
    entries = _audit(2)
    _sql(
        "INSERT INTO audit_auditentry (at, actor_name, action, object_type, object_id, object_repr, reason, chain_hash)"
        " VALUES (%s, '', 'forged', 'x', '1', '', '', '')",
        [entries[0].at],
    )
    forged = AuditEntry.objects.get(action="forged")
    result = _result(AuditEntry)
    assert not result.ok and result.broken_id == forged.pk
    assert "绕过" in result.problem


def test_a_forged_hash_without_the_key_does_not_fit(world, settings):
    entries = _audit(3)
    settings.PLAZA_CHAIN_KEY = "the attacker's guess"
    forged = chain.digest("audit", entries[1].chain_seq, entries[0].chain_hash, ["whatever"])
    settings.PLAZA_CHAIN_KEY = ""
    _sql("UPDATE audit_auditentry SET reason = 'x', chain_hash = %s WHERE id = %s", [forged, entries[1].pk])
    assert _result(AuditEntry).broken_id == entries[1].pk


def test_an_edited_points_entry_and_its_balance_are_named(world):
    points.award(world.admin, world.member_a, 10, "表彰")
    second = points.award(world.admin, world.member_a, 20, "表彰")
    points.award(world.admin, world.member_b, 5, "表彰")
    _sql("UPDATE points_entry SET amount = 20000 WHERE id = %s", [second.pk])
    _sql("UPDATE points_balance SET amount = 20010 WHERE person_id = %s", [world.member_a.pk])
    result = _result(Entry)
    assert result.broken_id == second.pk
    assert "改动" in result.problem
    # the balance alone, changed to match nothing, shows too
    _sql("UPDATE points_balance SET amount = 999 WHERE person_id = %s", [world.member_b.pk])
    problems = Entry.chain_cross_check()
    assert any(str(world.member_b.pk) in p and "999" in p for p in problems)


def test_an_edited_status_change_is_named(world):
    change = record_status_change(
        world.admin, world.activist_a, PoliticalStatus.PROBATIONARY, effective_on=date(2026, 1, 5)
    )
    record_status_change(world.admin, world.employee, PoliticalStatus.APPLICANT, effective_on=date(2026, 2, 1))
    _sql("UPDATE accounts_statuschange SET effective_on = %s WHERE id = %s", ["2025-01-05", change.pk])
    result = _result(StatusChange)
    assert result.broken_id == change.pk


def test_bulk_created_status_changes_are_chained(world):
    people = PersonFactory.create_batch(3)
    chain.bulk_create(
        StatusChange,
        [
            StatusChange(person=p, from_status="", to_status=PoliticalStatus.APPLICANT, effective_on=date(2026, 1, 1))
            for p in people
        ],
    )
    assert _result(StatusChange).ok
    assert not StatusChange.objects.filter(chain_seq__isnull=True).exists()


def test_command_names_the_broken_row(world, capsys):
    entries = _audit(3)
    call_command("verify_chains")
    assert "audit: OK" in capsys.readouterr().out
    _sql("UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError):
        call_command("verify_chains")
    out = capsys.readouterr().out
    assert f"row id {entries[2].pk}" in out and "BROKEN" in out


def test_page_for_audit_right_names_the_broken_row(client, world):
    entries = _audit(3)
    _sql("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entries[0].pk])
    client.force_login(world.member_a)
    assert client.post("/office/audit/chains/").status_code == 403
    client.force_login(world.admin)
    assert 'href="/office/audit/chains/"' in client.get("/office/audit/").content.decode()  # found from the log
    assert client.get("/office/audit/chains/").status_code == 200
    page = client.post("/office/audit/chains/").content.decode()
    assert "断开" in page and f"编号 {entries[0].pk}" in page


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    """Eight writers appending at once on PostgreSQL: one chain, no fork, no gap, every hash fits."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    person = PersonFactory()
    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():  # both chains in one transaction, in either order
                    if n % 2:
                        record(None, actions.DEMO_SEED, object_type="t", object_id=f"{n}-{i}")
                        Entry.objects.create(person=person, kind="earn", amount=1, reason="并发")
                    else:
                        Entry.objects.create(person=person, kind="earn", amount=1, reason="并发")
                        record(None, actions.DEMO_SEED, object_type="t", object_id=f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for model in (AuditEntry, Entry):
        seqs = list(model.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert len(seqs) >= 80
        assert chain.verify(model).ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_pass_over_many_people_and_an_award_do_not_deadlock():
    """A long transaction holding the chain (a pass posting to person after person) and an award to a later
    person: the award waits for the chain before it locks that person's balance, so nobody waits in a circle."""
    if connection.vendor != "postgresql":
        pytest.skip("row and advisory locks across connections are checked on PostgreSQL")
    first, later = PersonFactory(), PersonFactory()
    holding = threading.Event()
    errors: list[Exception] = []

    def long_pass() -> None:
        try:
            with transaction.atomic():
                points.earn(first, 1, reason="长事务", source_type="test", source_id="1")
                holding.set()
                time.sleep(1.0)  # meanwhile the award below starts and waits
                points.earn(later, 1, reason="长事务", source_type="test", source_id="2")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    def award() -> None:
        try:
            holding.wait(10)
            points.earn(later, 5, reason="奖励", source_type="test", source_id="3")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=long_pass), threading.Thread(target=award)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert points.balance_of(later) == 6 and points.balance_of(first) == 1
    assert chain.verify(Entry).ok
