from dataclasses import dataclass
from datetime import date

import pytest

from plaza.accounts.models import Person, PoliticalStatus
from plaza.orgs.models import Organisation
from plaza.testing.factories import Level, PersonFactory, Title, add_org, appoint, join

TODAY = date(2026, 6, 10)


@dataclass
class Youth:
    branch_a: Organisation  # 装调车间团支部
    branch_b: Organisation  # 物流团支部
    secretary_a: Person  # 团支部书记 of branch_a
    secretary_b: Person
    committee_secretary: Person  # 团委书记
    near: Person  # turns 28 on 2026-07-01, no League post
    near_with_post: Person  # turns 28 on 2026-07-01, holds a post (secretary_b's deputy... a secretary)
    young: Person  # 24
    member_b: Person  # branch_b, 25


@pytest.fixture
def youth(world) -> Youth:
    branch_a = add_org(world.league, "装调车间团支部", "L0101", Level.LEAGUE_BRANCH)
    branch_b = add_org(world.league, "物流团支部", "L0201", Level.LEAGUE_BRANCH)
    secretary_a = PersonFactory(employee_no="Y0001", name="钱团书", birth_date=date(1999, 1, 5))
    secretary_b = PersonFactory(employee_no="Y0002", name="孙团书", birth_date=date(1998, 7, 1))
    committee_secretary = PersonFactory(employee_no="Y0003", name="李团委", birth_date=date(1996, 1, 1))
    near = PersonFactory(
        employee_no="Y0010", name="周将满", birth_date=date(1998, 7, 1), political_status=PoliticalStatus.LEAGUE_MEMBER
    )
    young = PersonFactory(
        employee_no="Y0011", name="吴青年", birth_date=date(2002, 3, 3), political_status=PoliticalStatus.LEAGUE_MEMBER
    )
    member_b = PersonFactory(
        employee_no="Y0020", name="郑团员", birth_date=date(2001, 3, 3), political_status=PoliticalStatus.LEAGUE_MEMBER
    )
    for person in (secretary_a, near, young):
        join(person, branch_a)
    for person in (secretary_b, member_b):
        join(person, branch_b)
    join(committee_secretary, world.league)
    appoint(secretary_a, branch_a, Title.LEAGUE_SECRETARY)
    appoint(secretary_b, branch_b, Title.LEAGUE_SECRETARY)
    appoint(committee_secretary, world.league, Title.LEAGUE_SECRETARY)
    return Youth(branch_a, branch_b, secretary_a, secretary_b, committee_secretary, near, secretary_b, young, member_b)
