from collections.abc import Iterator

import pytest
from django.db import transaction

from plaza.assistant.demo import seed_demo_examples, seed_demo_knowledge


@pytest.fixture(scope="module")
def _knowledge_once(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    """The demo knowledge base and its ~7,000 example questions, seeded once for a module (about a second each
    time, and most of this app's tests need it: issue 13) inside a transaction rolled back when the module ends.
    Each test runs in a savepoint within it, so none sees another's changes. A module's tests that do not ask for
    ``knowledge`` run before it is seeded (:func:`pytest_collection_modifyitems` below), so they still start from an
    empty knowledge base. A transactional test (``transaction=True``) cannot run inside the open transaction: keep
    those in a module without ``knowledge`` (``test_warmup.py``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo_knowledge()
        seed_demo_examples()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def knowledge(_knowledge_once, db):  # noqa: ANN001, ANN201
    """The demo knowledge base (nine Markdown documents) with its example questions (常见问法)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within each module of this app, the tests without the seeded knowledge base first (a stable sort keeps the
    file's order otherwise), so the module-wide seeding above never reaches a test that expects an empty one."""
    here = __file__.rsplit("/", 1)[0]
    mine = [item for item in items if str(item.path).startswith(here)]
    if not mine:
        return
    rank = {id(item): ("knowledge" in getattr(item, "fixturenames", ())) for item in mine}
    ordered = iter(sorted(mine, key=lambda item: (str(item.path), rank[id(item)])))
    positions = [n for n, item in enumerate(items) if str(item.path).startswith(here)]
    for n in positions:
        items[n] = next(ordered)
