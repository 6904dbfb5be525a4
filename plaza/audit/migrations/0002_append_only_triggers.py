"""Database triggers that refuse UPDATE and DELETE on the audit log, on PostgreSQL and SQLite alike.

The test suite must empty tables between transactional tests, so the triggers let a purge through when the
*connection* says so: on PostgreSQL the session setting ``plaza.audit_purge = on`` (set only by the test
settings' connection options), on SQLite the SQL function ``plaza_audit_locked()`` returning 0 (registered
by plaza.audit on each connection; 0 only when settings.PLAZA_AUDIT_PURGE_ALLOWED is true, which only the
test settings set). Production connections set neither, so nothing passes.
"""

from django.db import migrations

TABLE = "audit_auditentry"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION plaza_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF current_setting('plaza.audit_purge', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plaza_audit_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION plaza_audit_refuse_change();
CREATE TRIGGER plaza_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION plaza_audit_refuse_change();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS plaza_audit_no_update ON {TABLE};
DROP TRIGGER IF EXISTS plaza_audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS plaza_audit_refuse_change();
"""
SQLITE_UP = [
    f"CREATE TRIGGER plaza_audit_no_update BEFORE UPDATE ON {TABLE} WHEN plaza_audit_locked() "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END;",
    f"CREATE TRIGGER plaza_audit_no_delete BEFORE DELETE ON {TABLE} WHEN plaza_audit_locked() "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS plaza_audit_no_update;", "DROP TRIGGER IF EXISTS plaza_audit_no_delete;"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
