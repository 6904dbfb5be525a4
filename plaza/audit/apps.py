from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_guard(sender, connection, **kwargs) -> None:  # noqa: ANN001, ANN003
    """SQLite's audit triggers call plaza_audit_locked(): 1 (locked) unless the test settings allow a purge."""
    if connection.vendor != "sqlite":
        return

    connection.connection.create_function(
        "plaza_audit_locked", 0, lambda: 0 if getattr(settings, "PLAZA_AUDIT_PURGE_ALLOWED", False) else 1
    )


class AuditConfig(AppConfig):
    name = "plaza.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_guard, dispatch_uid="plaza-audit-sqlite-guard")
