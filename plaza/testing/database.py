"""The test database is migrated once, into a template, and every test process copies it.

Running 34 migrations (and the post-migrate content types and permissions) takes about a minute on this
machine, and pytest-django did it in every xdist worker, on SQLite and again on PostgreSQL, at every run. Here
the migrated database is kept as a template named by a hash of every installed app's migration files (and
Django's version): the first process of a run builds it (``manage.py migrate`` in a subprocess, under a file
lock, so parallel workers wait for one build), later processes and later runs copy it —

- SQLite: the template is a file; each worker's in-memory test database is filled from it with SQLite's
  backup API instead of being migrated;
- PostgreSQL: the template is a database (``plaza_tpl_<hash>``); each worker's test database is created
  ``CREATE DATABASE … TEMPLATE plaza_tpl_<hash>`` (Django's ``TEST["TEMPLATE"]``), as Zulip does.

A change to any migration changes the hash, so a stale template is never used; old templates are left for the
operating system's /tmp clean-up (SQLite) or dropped when a new one is built (PostgreSQL). ``PLAZA_TEST_TEMPLATE=0``
turns this off (plain pytest-django: migrate in each process).

After a transactional test (``transaction=True``, the live server of the browser tests) Django empties every table
with ``flush`` and then sends ``post_migrate`` again, which recreates the content types and permissions of every
app: 2–3 s per test on this machine, the bulk of the browser tests' "slow teardowns". On SQLite the worker's
in-memory database is instead copied again from the template (the backup API, a few milliseconds): the same fresh
state a worker starts from, migration data included. PostgreSQL, and anything the copy cannot do (another open
connection holding a lock), still flushes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = Path(os.environ.get("PLAZA_TEST_TEMPLATE_DIR", Path(tempfile.gettempdir()) / "plaza-test-templates"))


def enabled() -> bool:
    return os.environ.get("PLAZA_TEST_TEMPLATE", "1") != "0"


def migrations_hash() -> str:
    """What the migrated schema depends on: every installed app's migration files, and Django's version."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATE_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    env = {**os.environ, "PLAZA_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "plaza.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"building the test database template failed:\n{result.stdout}\n{result.stderr}")


def sqlite_template() -> Path:
    """The migrated SQLite template file (built once per set of migrations)."""
    name = f"sqlite-{migrations_hash()}"
    path = TEMPLATE_DIR / f"{name}.sqlite3"
    with _locked(name):
        if not path.exists():
            building = path.with_suffix(f".building-{os.getpid()}")
            building.unlink(missing_ok=True)
            _migrate(f"sqlite:///{building}")
            os.replace(building, path)
    return path


def _postgres_admin(settings_dict: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def postgres_template(settings_dict: dict[str, Any]) -> str:
    """The migrated PostgreSQL template database's name (built once per set of migrations)."""
    name = f"plaza_tpl_{migrations_hash()}"
    with _locked(name), _postgres_admin(settings_dict) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            building = f"{name}_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
            admin.execute(f'CREATE DATABASE "{building}"')
            user = settings_dict.get("USER") or "postgres"
            password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
            host = settings_dict.get("HOST") or "127.0.0.1"
            port = settings_dict.get("PORT") or 5432
            _migrate(f"postgres://{user}{password}@{host}:{port}/{building}")
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            # Older templates (other migrations) are not needed any more.
            for (old,) in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'plaza\\_tpl\\_%%' AND datname <> %s", [name]
            ).fetchall():
                admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
    return name


def _fill_from_template(connection: Any, template: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


#: The SQLite template of each database alias of this session (set by django_db_setup), for the teardown below.
_SQLITE_TEMPLATES: dict[str, Path] = {}


def _restore_after_transactional_test(flush: Any) -> Any:
    """TransactionTestCase._fixture_teardown: copy the template back instead of flushing (SQLite in memory)."""

    def _fixture_teardown(self: Any) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connections

        names = list(self._databases_names(include_mirrors=False))
        plain = self.available_apps is None and not self.serialized_rollback
        if not (plain and names and all(n in _SQLITE_TEMPLATES for n in names)):
            return flush(self)
        try:
            for name in names:
                connection = connections[name]
                if not connection.is_in_memory_db():
                    raise sqlite3.OperationalError("not in memory")
                if connection.connection is not None and connection.connection.in_transaction:
                    connection.connection.rollback()
                _fill_from_template(connection, _SQLITE_TEMPLATES[name])
        except sqlite3.Error:
            return flush(self)
        ContentType.objects.clear_cache()  # the template's ids, as flush's post_migrate would have cleared it
        return None

    return _fixture_teardown


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's ``django_db_setup``, with the test database copied from a migrated template."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    setup_args: dict[str, Any] = {}
    if not django_db_use_migrations:
        _disable_migrations()
    if django_db_keepdb and not django_db_createdb:
        setup_args["keepdb"] = True
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    use_template = enabled() and django_db_use_migrations and not setup_args.get("keepdb")

    with django_db_blocker.unblock():
        templates: dict[str, Any] = {}
        if use_template:
            for alias in aliases:
                settings_dict = connections[alias].settings_dict
                vendor = connections[alias].vendor
                if vendor == "sqlite":
                    templates[alias] = sqlite_template()
                elif vendor == "postgresql":
                    templates[alias] = postgres_template(settings_dict)
                    settings_dict["TEST"]["TEMPLATE"] = templates[alias]
                    settings.DATABASES[alias].setdefault("TEST", {})["TEMPLATE"] = templates[alias]

        from django.core import management

        real_call_command = management.call_command

        def call_command(name: str, *args: Any, **options: Any) -> Any:
            alias = options.get("database", "default")
            if name == "migrate" and alias in templates:
                connection = connections[alias]
                if connection.vendor == "sqlite":
                    _fill_from_template(connection, templates[alias])
                return None  # PostgreSQL: CREATE DATABASE … TEMPLATE made it complete
            return real_call_command(name, *args, **options)

        # Workers create their PostgreSQL copies one at a time: CREATE DATABASE … TEMPLATE wants the template alone.
        serial = _locked("setup") if any(isinstance(t, str) for t in templates.values()) else nullcontext()
        with serial, mock.patch.object(management, "call_command", call_command):
            db_cfg = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                **setup_args,
            )
        _SQLITE_TEMPLATES.update({alias: t for alias, t in templates.items() if isinstance(t, Path)})

    from django.test import TransactionTestCase

    with mock.patch.object(
        TransactionTestCase,
        "_fixture_teardown",
        _restore_after_transactional_test(TransactionTestCase._fixture_teardown),
    ):
        yield
    _SQLITE_TEMPLATES.clear()

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:  # noqa: BLE001
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``postgres_only`` tests are skipped, before any database work, when the suite runs on another database.

    With ``PLAZA_TEST_DATABASE_ONLY=1`` (scripts/test.sh's PostgreSQL pass) the tests that never reach the test
    database (no ``django_db`` mark, no fixture built on ``django_db_setup``: pure rules, templates, the embedded
    server on its own SQLite file) are left out: they ran in the SQLite pass and would run the same way again."""
    from django.conf import settings

    if os.environ.get("PLAZA_TEST_DATABASE_ONLY") == "1":
        kept, left = [], []
        for item in items:
            uses = item.get_closest_marker("django_db") or "django_db_setup" in getattr(item, "fixturenames", ())
            (kept if uses else left).append(item)
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = kept
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (postgres_only); runs in the PostgreSQL pass of scripts/test.sh")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


def main() -> None:
    """Build the template for the database ``PLAZA_DATABASE_URL`` names (SQLite when it is unset) ahead of the
    suite: ``scripts/test.sh`` runs this in the background while lint and mypy run on the other core, so the
    first test does not wait for every migration. A test process that starts meanwhile waits on the same lock."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.test")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        sqlite_template()
    else:
        postgres_template(connection.settings_dict)


if __name__ == "__main__":
    main()
