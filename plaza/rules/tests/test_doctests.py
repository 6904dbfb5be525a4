"""The examples in the docstrings are true (``--doctest-modules`` is not on by default, so run them here)."""

import doctest
import importlib

import pytest

MODULES = [
    "dates",
    "dues",
    "elections",
    "evaluation",
    "local",
    "meetings",
    "quiz",
    "recruitment",
    "referrals",
    "sources",
    "transfers",
    "workdays",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"plaza.rules.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
