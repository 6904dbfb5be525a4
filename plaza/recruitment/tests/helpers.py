"""Test helpers other apps' tests use to put someone in the recruitment pipeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from plaza.recruitment import services
from plaza.recruitment.models import Pipeline
from plaza.testing.factories import PersonFactory, join


def someone_applied(world: Any) -> Pipeline:
    """A new colleague in branch A hands in an application (step 1): the statistics have one 入党申请人."""
    person = PersonFactory(employee_no="A0190", name="钱申请", birth_date=date(1999, 3, 1))
    join(person, world.branch_a)
    return services.apply(person, world.branch_a, letter="我志愿加入中国共产党。")
