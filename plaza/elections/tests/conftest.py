from datetime import date

import pytest

from plaza.accounts.models import PoliticalStatus
from plaza.testing.factories import PersonFactory, join

TODAY = date(2026, 6, 1)


@pytest.fixture
def voters(world):
    """Branch A's full members: the secretary, 张建国 and four more (6 voters), plus a probationary member."""
    extra = []
    for number, name in (("A0031", "丁一"), ("A0032", "王五"), ("A0033", "李四"), ("A0034", "赵六")):
        person = PersonFactory(employee_no=number, name=name, political_status=PoliticalStatus.FULL_MEMBER)
        join(person, world.branch_a)
        extra.append(person)
    probationary = PersonFactory(employee_no="A0035", name="钱预备", political_status=PoliticalStatus.PROBATIONARY)
    join(probationary, world.branch_a)
    return [world.secretary_a, world.member_a, *extra]
