"""Rules of the suite itself: a test that can only run on PostgreSQL says so with the one marker."""

import ast
from pathlib import Path

import plaza

ROOT = Path(plaza.__file__).parent


def _is_vendor_skip(function: ast.FunctionDef, helpers: set[str]) -> bool:
    """``if connection.vendor != "postgresql": pytest.skip(...)`` in its body, or a call to a helper doing so."""
    for node in ast.walk(function):
        if isinstance(node, ast.If) and "vendor" in ast.unparse(node.test):
            body = ast.Module(body=node.body, type_ignores=[])
            if any(isinstance(c, ast.Call) and ast.unparse(c.func) == "pytest.skip" for c in ast.walk(body)):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers:
            return True
    return False


def _marked(node: ast.FunctionDef, module_marked: bool) -> bool:
    return module_marked or any("postgres_only" in ast.unparse(d) for d in node.decorator_list)


def test_every_test_that_skips_off_postgresql_carries_the_postgres_only_marker():
    unmarked = []
    for path in [*ROOT.rglob("tests/test_*.py"), *(ROOT.parent / "tests").rglob("test_*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_marked = any(
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", "") == "pytestmark" for t in node.targets)
            and "postgres_only" in ast.unparse(node.value)
            for node in tree.body
        )
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        helpers = {f.name for f in functions if not f.name.startswith("test_") and _is_vendor_skip(f, set())}
        for function in functions:
            is_test = function.name.startswith("test_")
            if is_test and _is_vendor_skip(function, helpers) and not _marked(function, module_marked):
                unmarked.append(f"{path.relative_to(ROOT.parent)}::{function.name}")
    assert not unmarked, "mark these @pytest.mark.postgres_only:\n" + "\n".join(unmarked)


def test_postgres_only_tests_are_skipped_off_postgresql():
    from django.conf import settings

    from plaza.testing import database

    class Item:
        def __init__(self, marked: bool) -> None:
            self.marked, self.markers = marked, []

        def get_closest_marker(self, name: str):  # noqa: ANN201
            return self.marked if name == "postgres_only" else None

        def add_marker(self, marker) -> None:  # noqa: ANN001
            self.markers.append(marker)

    items = [Item(True), Item(False)]
    database.pytest_collection_modifyitems(None, items)
    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    assert [len(item.markers) for item in items] == ([0, 0] if on_postgres else [1, 0])


def test_the_workers_get_whole_modules_but_the_spread_ones_and_the_page_walks_roles(pytestconfig):
    """scripts/test.sh's workers receive a module's tests together (its module-wide fixture is built once), read from
    the test's id on the controller: pytest-xdist's ``--dist loadgroup`` groups nothing under pytest 9 (issue 13). The
    modules marked ``spread`` are exactly those the scheduler lets go test by test."""
    conftest = pytestconfig.pluginmanager.get_plugin(str(ROOT.parent / "conftest.py"))
    assert conftest.work_unit("plaza/demo/tests/test_seed_demo.py::test_x") == "plaza/demo/tests/test_seed_demo.py"
    assert conftest.work_unit("plaza/core/tests/test_dates_on_pages.py::test_y[sj001]") == (
        "plaza/core/tests/test_dates_on_pages.py"
    )
    walk = "tests/browser/test_page_walk.py::test_every_page_of_every_role_fits_a_360_px_phone[sj001]"
    assert conftest.work_unit(walk) == walk
    assert conftest.work_unit("tests/browser/test_page_walk.py::test_other") == "tests/browser/test_page_walk.py"
    spread = {
        str(path.relative_to(ROOT.parent))
        for path in [*ROOT.rglob("tests/test_*.py"), *(ROOT.parent / "tests").rglob("test_*.py")]
        if "\npytestmark = pytest.mark.spread" in path.read_text(encoding="utf-8")
    }
    assert spread == set(conftest.SPREAD)
    assert conftest.work_unit(f"{conftest.SPREAD[0]}::test_z") == f"{conftest.SPREAD[0]}::test_z"
