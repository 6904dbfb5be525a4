import pytest
from django.db import DatabaseError, connection, transaction

from plaza.audit.models import AuditEntry, AuditLogIsAppendOnly
from plaza.audit.services import record


@pytest.fixture
def entry(world):
    return record(
        world.staff,
        "orgs.update",
        world.branch_a,
        before={"name": "a", "x": 1},
        after={"name": "b", "x": 1},
        reason="更名",
    )


def test_record_keeps_only_changed_fields(entry):
    assert entry.before == {"name": "a"} and entry.after == {"name": "b"}
    assert entry.actor_name == "王组织" and entry.object_type == "orgs.organisation"


def test_entries_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.reason = "改"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(reason="x")


@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"])
def test_database_refuses_update_and_delete(entry, statement, settings):
    settings.PLAZA_AUDIT_PURGE_ALLOWED = False  # as in production (SQLite)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL plaza.audit_purge = 'off'")  # as in production
        cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "更名"


@pytest.mark.postgres_only
def test_database_refuses_truncate(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plaza.audit_purge = 'off'")
        cursor.execute("TRUNCATE audit_auditentry")


def test_audit_page_is_for_committee_staff_only(entry, login):
    from plaza.testing.factories import PersonFactory

    assert login(PersonFactory()).get("/office/audit/").status_code == 403


def test_audit_page_filters(world, entry, client):
    client.force_login(world.staff)
    page = client.get("/office/audit/", {"action": "orgs.update", "actor": "王"})
    assert page.status_code == 200 and "更名" in page.content.decode()
    page = client.get("/office/audit/", {"action": "people.reveal"})
    assert "更名" not in page.content.decode()
