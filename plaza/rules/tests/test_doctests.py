"""The examples in the docstrings are true (``--doctest-modules`` is not on by default, so run them here)."""

import doctest
import importlib
import pkgutil

import pytest

import plaza.rules

#: Every module of the rules package: a new one is checked without being listed.
MODULES = sorted(
    info.name for info in pkgutil.iter_modules(plaza.rules.__path__) if not info.ispkg and info.name != "tests"
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"plaza.rules.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
