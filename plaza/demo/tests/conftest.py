"""Tests that share the module's seeded enterprise (the ``seeded`` fixture) run after the module's other tests,
which need an empty database: the enterprise is seeded once and stays until the module's last test."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = __file__.rsplit("/", 1)[0]
    mine = [i for i, item in enumerate(items) if str(item.fspath).startswith(here)]
    if not mine:
        return
    ordered = sorted((items[i] for i in mine), key=lambda item: (str(item.fspath), "seeded" in item.fixturenames))
    for index, item in zip(mine, ordered, strict=True):
        items[index] = item
