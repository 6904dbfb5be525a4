"""Database triggers that refuse UPDATE and DELETE on the dues bases, the payments ledger and the reductions,
for any client (PostgreSQL and SQLite), as the audit log does (plaza/audit/migrations/0002): a purge passes only
when the connection says so (``plaza.audit_purge = on`` on PostgreSQL, ``plaza_audit_locked()`` returning 0 on
SQLite), which only the test settings do."""

from django.db import migrations

TABLES = ("dues_duesbase", "dues_duespayment", "dues_duesreduction")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION plaza_dues_refuse_change() RETURNS trigger AS $$
BEGIN
    IF current_setting('plaza.audit_purge', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'Dues records are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def _postgres_up(table: str) -> str:
    return (f"CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION plaza_dues_refuse_change();"
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION plaza_dues_refuse_change();")


def _sqlite_up(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN plaza_audit_locked() "
        "BEGIN SELECT RAISE(ABORT, 'Dues records are append-only'); END;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN plaza_audit_locked() "
        "BEGIN SELECT RAISE(ABORT, 'Dues records are append-only'); END;",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(_postgres_up(table))
    elif vendor == "sqlite":
        for table in TABLES:
            for statement in _sqlite_up(table):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS plaza_dues_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial"), ("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
