from datetime import timedelta

import pytest

from plaza.evaluation import services
from plaza.lib import clock


def plan(world, organisation=None, actor=None, **extra):
    today = clock.today()
    fields = {
        "year": today.year,
        "title": "年度民主评议党员",
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=20),
        "materials": "《中国共产党章程》党员的义务和权利",
    }
    fields.update(extra)
    return services.create_campaign(actor or world.secretary_a, organisation or world.branch_a, **fields)


@pytest.fixture
def campaign(world):
    """Branch A's campaign for this year, with activist_a (not a Party member) invited; still a draft."""
    return plan(world, invited=[world.activist_a])


@pytest.fixture
def opened(campaign, world):
    """Open: secretary_a and member_a are graded, activist_a grades as an invited 群众."""
    return services.open_campaign(world.secretary_a, campaign)


def grades_for(campaign, grader, grade="qualified"):
    return {p.person_id: grade for p in services.gradees_for(grader, campaign)}
