"""The League pages' organisation pickers tell same-named 团支部 apart by their parents (issue: the 共青团 office
listed "车身车间团支部" four times and nobody could tell which was which)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plaza.orgs.queries import SEPARATOR
from plaza.testing.factories import Level, add_org

pytestmark = pytest.mark.django_db


def test_league_pickers_name_each_branch_with_its_parent(world, login):  # noqa: ANN001
    jinqiao = add_org(world.league, "金桥工厂团总支", "L0100", Level.LEAGUE_GENERAL_BRANCH)
    donyue = add_org(world.league, "东岳工厂团总支", "L0200", Level.LEAGUE_GENERAL_BRANCH)
    add_org(jinqiao, "车身车间团支部", "L0101", Level.LEAGUE_BRANCH)
    add_org(donyue, "车身车间团支部", "L0201", Level.LEAGUE_BRANCH)
    client = login(world.admin)
    for name in ("league:roster", "league:dues", "league:compliance"):
        page = client.get(reverse(name)).content.decode()
        assert f"金桥工厂团总支{SEPARATOR}车身车间团支部" in page, name
        assert f"东岳工厂团总支{SEPARATOR}车身车间团支部" in page, name
