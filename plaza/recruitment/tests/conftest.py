from datetime import date

import pytest

from plaza.accounts.models import PoliticalStatus
from plaza.testing.factories import PersonFactory, join


@pytest.fixture
def applicant(world):
    person = PersonFactory(employee_no="A0100", name="孙申请", birth_date=date(1998, 5, 1))
    join(person, world.branch_a)
    return person


@pytest.fixture
def full_members(world):
    extra = PersonFactory(employee_no="A0101", name="周党员", political_status=PoliticalStatus.FULL_MEMBER)
    join(extra, world.branch_a)
    return [world.member_a, extra]
