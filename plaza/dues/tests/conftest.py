from datetime import date
from decimal import Decimal

import pytest

from plaza.dues import services

TODAY = date(2025, 6, 15)


@pytest.fixture
def based(world):
    """member_a and secretary_a of branch A, member_b of branch B: in-service bases from 2025-01 (8000 → 120.00)."""
    for actor, person in (
        (world.secretary_a, world.member_a),
        (world.secretary_a, world.secretary_a),
        (world.secretary_b, world.member_b),
    ):
        services.set_base(actor, person, category="in_service", base=Decimal("8000"), effective_from=date(2025, 1, 1))
    return world
