"""The ledger's cap mechanism is tested with two more activities besides 阅读豆 (the only one Plaza registers):
they exist for these tests only."""

import pytest

from plaza.points import services


@pytest.fixture(autouse=True)
def test_activities(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setitem(services._ACTIVITIES, "video", services.Activity("video", "视频学习", 10))
    monkeypatch.setitem(services._ACTIVITIES, "quiz", services.Activity("quiz", "答题", 20))
