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


#: Modules whose tests share no module-wide fixture and may go to any worker, one by one (``pytestmark = spread``).
SPREAD = ("plaza/api/tests/test_schemathesis.py",)
#: Tests each of which is a unit of its own (one role of the page walk: the walks spread over the workers).
OWN_UNIT = ("tests/browser/test_page_walk.py::test_every_page_of_every_role_fits_a_360_px_phone[",)


def work_unit(nodeid: str) -> str:
    """What goes to one xdist worker as a whole: a module's tests together, so that a module-wide fixture (the demo
    enterprise, the knowledge base) is built once, except the tests of :data:`SPREAD` and :data:`OWN_UNIT`.

    Read from the test's id on the controller (:class:`ModuleScheduling`), not from a marker: pytest 9 reads a test's
    id from ``Node._id``, so pytest-xdist 3.8's ``--dist loadgroup``, which appends the ``xdist_group`` to
    ``Node._nodeid``, no longer groups anything, and every module's fixtures were built again on each worker and after
    each switch between modules (issue 13)."""
    module = nodeid.split("::", 1)[0]
    if module in SPREAD or nodeid.startswith(OWN_UNIT):
        return nodeid
    return module


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``-n N`` (scripts/test.sh) schedules by :func:`work_unit`, with pytest-xdist's scope scheduler."""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ModuleScheduling(config, log)


class _SlowFirst:
    @pytest.hookimpl(trylast=True)  # after pytest-django's own order (database tests, then transactional ones)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=_rank)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_SlowFirst(), "plaza-slow-first")
