import pytest

pytest_plugins = ["plaza.testing.fixtures", "plaza.testing.database"]

#: Modules that take longest (scripts/test.sh prints the slowest tests; docs/benchmarks.md, issue 13): they are sent
#: to the xdist workers first, so that no long one is left for the end while the other worker idles (a run lasts as
#: long as its slowest worker). Any order is correct: a transactional test leaves the database as it found it.
SLOW_FIRST = (
    "tests/browser/test_page_walk.py",
    "plaza/core/tests/test_hostile_params.py",
    "plaza/core/tests/test_server.py",
    "plaza/api/tests/test_schemathesis.py",
    "tests/browser/",
)


def _rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return next((n for n, slow in enumerate(SLOW_FIRST) if path.startswith(slow)), len(SLOW_FIRST))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` (scripts/test.sh) a module's tests share one worker, as with ``--dist loadfile``,
    so that a module-wide fixture is built once; a module marked ``spread`` (no module-wide fixture) or a test with
    an ``xdist_group`` of its own (one role of the page walk) may go to any worker."""
    for item in items:
        if item.get_closest_marker("xdist_group") or item.get_closest_marker("spread"):
            continue
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


class _SlowFirst:
    @pytest.hookimpl(trylast=True)  # after pytest-django's own order (database tests, then transactional ones)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=_rank)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_SlowFirst(), "plaza-slow-first")
